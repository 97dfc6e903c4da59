import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/domain/errors.js';
import { parsePartnerEvent } from '../../functions/domain/partner-events.js';

// The receiving server's clock, which bounds completion times.
const NOW = new Date('2026-03-01T12:00:00Z');
const parse = (body: unknown, now = NOW) => parsePartnerEvent(body, { now });

const rejection = (body: unknown, now = NOW) => {
  try {
    parse(body, now);
  } catch (e) {
    if (e instanceof DomainError) return e.message;
    throw e;
  }
  return 'accepted';
};

describe('the seed’s JSON events', () => {
  it('parses a completion with its optional fields', () => {
    expect(
      parse({
        event: 'course.passed',
        student_id: 'H-1',
        course_id: 'bls',
        completed_at: '2026-02-01T10:00:00+01:00',
        email: 'A@B.org',
        score: 92,
      }),
    ).toEqual({
      kind: 'completion',
      format: 'baton',
      result: 'passed',
      externalId: 'H-1',
      courseId: 'bls',
      email: 'a@b.org',
      occurredAt: '2026-02-01T09:00:00.000Z',
      score: 92,
    });
  });

  it('keeps other event types as "other"', () => {
    expect(parse({ event: 'course.started', student_id: 'H-1' })).toEqual({
      kind: 'other',
      format: 'baton',
      type: 'course.started',
    });
  });

  it('names the field that is missing or wrong', () => {
    expect(rejection({ event: 'course.completed', course_id: 'x' })).toBe('student_id is required');
    expect(rejection({ event: 'course.completed', student_id: 'x' })).toBe('course_id is required');
    expect(rejection({ event: 'course.completed', student_id: 42, course_id: 'x' })).toBe('student_id must be a string');
    expect(rejection({ event: 'course.completed', student_id: 'x', course_id: 'y', completed_at: 'yesterday' })).toBe(
      'completed_at must be an ISO-8601 timestamp',
    );
    expect(rejection({ event: 'course.completed', student_id: 'x', course_id: 'y', score: '90' })).toBe('score must be a number');
    expect(rejection({ event: 'course.completed', student_id: 'x', course_id: 'y', email: 'nope' })).toBe(
      'email must be a valid email address',
    );
    expect(rejection([1, 2])).toBe('body must be a JSON object');
    expect(rejection('text')).toBe('body must be a JSON object');
    expect(rejection({ student_id: 'x' })).toContain('event must be a string');
  });

  it('rejects scores DynamoDB cannot store (it would answer the partner 500 forever) and keeps real ones', () => {
    const withScore = (score: number) => ({ event: 'course.completed', student_id: 'x', course_id: 'y', score });
    for (const score of [1e200, -1e10, 1e-200, 5e-10])
      expect(rejection(withScore(score))).toContain('score must be 0 or a number whose magnitude');
    for (const score of [0, 92, -0.5, 0.87, 1e9, 1e-9]) expect(parse(withScore(score))).toMatchObject({ score });
  });

  it("refuses a completed_at before 2000 or more than 24 hours after the server's clock, saying the accepted range", () => {
    const at = (completed_at: string) => ({ event: 'course.completed', student_id: 'x', course_id: 'y', completed_at });
    for (const time of [
      '-000001-06-01T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '1999-12-31T23:59:59Z',
      '2026-03-02T12:00:01Z',
      '9999-12-31T00:00:00Z',
      '+275760-09-13T00:00:00Z',
    ])
      expect
        .soft(rejection(at(time)), time)
        .toBe(
          `completed_at must be between 2000-01-01T00:00:00Z and 24 hours after the server's current time (now at most 2026-03-02T12:00:00.000Z), not ${time}`,
        );
    for (const time of ['2000-01-01T00:00:00Z', '2026-03-01T12:00:00Z', '2026-03-02T12:00:00Z', '2026-03-02T13:00:00+01:00'])
      expect.soft(rejection(at(time)), time).toBe('accepted');
  });

  it('bounds completed_at by the clock it is given, not by the machine running the parser', () => {
    const body = { event: 'course.completed', student_id: 'x', course_id: 'y', completed_at: '2030-06-01T00:00:00Z' };
    expect(rejection(body, new Date('2030-05-31T12:00:00Z'))).toBe('accepted');
    expect(rejection(body, new Date('2030-05-30T12:00:00Z'))).toContain('must be between 2000-01-01T00:00:00Z and 24 hours after');
  });

  it('rejects identifiers that are too long or carry control characters, spaces or emoji', () => {
    for (const id of ['x'.repeat(10_000), 'abc\u0000def', 'a b', 'learner-🎓', '']) {
      expect(rejection({ event: 'course.completed', student_id: id, course_id: 'c' })).toContain(
        'student_id must be 1-200 printable ASCII',
      );
    }
  });
});

describe('xAPI statements', () => {
  const statement = (overrides: Record<string, unknown> = {}) => ({
    actor: { objectType: 'Agent', account: { homePage: 'https://otis.hsi.com', name: 'H-77' } },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
    object: { id: 'https://otis.hsi.com/courses/bls-cpr-aed', objectType: 'Activity' },
    timestamp: '2026-02-03T04:05:06Z',
    ...overrides,
  });

  it('reads the learner from actor.account.name and the course from the last segment of object.id', () => {
    expect(parse(statement())).toEqual({
      kind: 'completion',
      format: 'xapi',
      result: 'completed',
      externalId: 'H-77',
      courseId: 'bls-cpr-aed',
      occurredAt: '2026-02-03T04:05:06.000Z',
    });
  });

  it('reads a passed verb, an mbox learner and a scaled score', () => {
    const parsed = parse(
      statement({
        actor: { mbox: 'mailto:Grace@Example.org' },
        verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
        result: { score: { scaled: 0.87 }, success: true },
      }),
    );
    expect(parsed).toMatchObject({ result: 'passed', email: 'grace@example.org', score: 0.87 });
    expect(parsed).not.toHaveProperty('externalId');
  });

  it("refuses a timestamp outside 2000-01-01 to 24 hours after the server's clock, as for completed_at", () => {
    for (const timestamp of ['-000001-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '2026-03-03T00:00:00Z', '3000-01-01T00:00:00Z'])
      expect
        .soft(rejection(statement({ timestamp })), timestamp)
        .toMatch(
          /^timestamp must be between 2000-01-01T00:00:00Z and 24 hours after the server's current time \(now at most 2026-03-02T12:00:00\.000Z\)/,
        );
    expect(rejection(statement({ timestamp: '2026-03-02T11:59:59Z' }))).toBe('accepted');
  });

  it('keeps other verbs as "other" and rejects statements without a learner', () => {
    expect(parse(statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/attempted' } }))).toMatchObject({
      kind: 'other',
      format: 'xapi',
    });
    expect(rejection(statement({ actor: { objectType: 'Agent' } }))).toBe('actor.account.name or actor.mbox is required');
    expect(rejection(statement({ object: { id: 42 } }))).toBe('object.id must be the course IRI');
  });
});
