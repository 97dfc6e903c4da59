// The admin's enrollment lists through the API: every filter, both orders, cursor paging with
// short pages, and 400s that name what is wrong and write nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton;
const ids: Record<string, string> = {};
const HOUR = 3600_000;

const list = async (query: string, as = ADMIN) => {
  const response = await baton.api('GET', `/api/admin/enrollments${query ? `?${query}` : ''}`, { as });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as { enrollments: any[]; cursor?: string };
};
const names = (body: { enrollments: any[] }) => body.enrollments.map((e) => e.studentName);

/** Every page of a list, following cursors. */
async function allPages(query: string, limit: number) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const body = await list(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    pages.push(names(body));
    cursor = body.cursor;
  } while (cursor && pages.length < 20);
  return pages;
}

beforeAll(async () => {
  baton = await startTestBaton({ clock: { now: () => new Date('2026-01-05T09:00:00.000Z') } });
  // One an hour, so creation order is known: Ada (CNA), Ben (MA), Cleo (CNA), Dev (MA), Eve (CNA).
  const enroll = async (name: string, programId: string, accounts?: Record<string, string>) => {
    const e = await baton.enroll({
      studentEmail: `${name.toLowerCase()}@lists.example`,
      studentName: `${name} Tester`,
      programId,
      ...(accounts ? { partnerAccounts: accounts } : {}),
    });
    ids[name] = e.id;
    baton.clock.advance(HOUR);
  };
  await enroll('Ada', 'cna');
  await enroll('Ben', 'medical-assistant', { hsi: 'HSI-BEN' });
  await enroll('Cleo', 'cna');
  await enroll('Dev', 'medical-assistant', { hsi: 'HSI-DEV' });
  await enroll('Eve', 'cna');
  // Ben's HSI step completes (his certiport step starts); Cleo is cancelled; then a day passes.
  await baton.complete('hsi', { studentId: 'HSI-BEN', courseId: 'bls-cpr-aed' });
  await baton.drain();
  baton.clock.advance(60_000);
  const cancelled = await baton.api('POST', `/api/admin/enrollments/${ids.Cleo}/cancel`, { as: ADMIN, body: { reason: 'Moved away' } });
  expect(cancelled.status).toBe(200);
  baton.clock.advance(9 * 24 * HOUR);
});
afterAll(() => baton?.stop());

describe('enrollment lists', () => {
  it('lists everyone newest first, or oldest first, with rows that say where each enrollment is', async () => {
    const newest = await list('');
    expect(names(newest)).toEqual(['Eve Tester', 'Dev Tester', 'Cleo Tester', 'Ben Tester', 'Ada Tester']);
    expect(newest.cursor).toBeUndefined();
    expect(names(await list('sort=created_asc'))).toEqual(['Ada Tester', 'Ben Tester', 'Cleo Tester', 'Dev Tester', 'Eve Tester']);
    const ben = newest.enrollments.find((e) => e.id === ids.Ben);
    expect(ben).toMatchObject({
      studentEmail: 'ben@lists.example',
      programId: 'medical-assistant',
      programName: 'Medical Assistant',
      status: 'active',
      progress: { completed: 1, total: 3, percent: 33 },
    });
    expect(ben.steps.map((s: any) => `${s.partnerId}:${s.status}`)).toEqual([
      'hsi:completed',
      'certiport:in_progress',
      'careersafe:pending',
    ]);
  });

  it('sorts by last change: the cancellation and the completion come first', async () => {
    expect(names(await list('sort=updated')).slice(0, 2)).toEqual(['Cleo Tester', 'Ben Tester']);
  });

  it('filters by program, status and both, each from its own list of the index', async () => {
    expect(names(await list('programId=cna'))).toEqual(['Eve Tester', 'Cleo Tester', 'Ada Tester']);
    expect(names(await list('status=cancelled'))).toEqual(['Cleo Tester']);
    expect(names(await list('programId=cna&status=active'))).toEqual(['Eve Tester', 'Ada Tester']);
    expect(names(await list('programId=cna&status=active&sort=updated'))).toEqual(['Eve Tester', 'Ada Tester']);
  });

  it('filters by partner and step status, stuck, and creation dates', async () => {
    expect(names(await list('partnerId=certiport&stepStatus=in_progress'))).toEqual(['Ben Tester']);
    expect(names(await list('stepStatus=cancelled'))).toEqual(['Cleo Tester']);
    // Everyone still active has been on a step for more than 9 days; 10 days is too long for all.
    // Stuck comes from the attention index, longest stuck first (Ben's certiport step started after his HSI completion).
    expect(names(await list('stuck=true'))).toEqual(['Ada Tester', 'Dev Tester', 'Eve Tester', 'Ben Tester']);
    expect(await allPages('stuck=true', 1)).toEqual([['Ada Tester'], ['Dev Tester'], ['Eve Tester'], ['Ben Tester']]);
    expect(names(await list('stuck=true&programId=medical-assistant'))).toEqual(['Dev Tester', 'Ben Tester']);
    expect(names(await list('stuck=true&partnerId=certiport'))).toEqual(['Ben Tester']);
    expect(names(await list('stuck=10'))).toEqual([]);
    expect(names(await list('createdFrom=2026-01-05T10:00:00Z&createdTo=2026-01-05T12:00:00Z'))).toEqual([
      'Dev Tester',
      'Cleo Tester',
      'Ben Tester',
    ]);
    expect(names(await list('createdTo=2026-01-04'))).toEqual([]);
    expect(names(await list('overdue=true'))).toEqual([]);
  });

  it('finds any part of a name or email, in any case, with the other filters', async () => {
    // Rows come by the matching text (here the same for both), each student's newest first.
    expect(names(await list('q=TESTER&programId=medical-assistant')).sort()).toEqual(['Ben Tester', 'Dev Tester']);
    expect(names(await list('q=ve@lists'))).toEqual(['Eve Tester']);
    expect(names(await list('q=nobody-here'))).toEqual([]);
  });

  it('pages with a cursor: every row once, in order, whatever the page size', async () => {
    for (const limit of [1, 2, 4]) {
      const pages = await allPages('programId=cna', limit);
      expect(pages.flat()).toEqual(['Eve Tester', 'Cleo Tester', 'Ada Tester']);
      expect(pages.every((p) => p.length <= limit)).toBe(true);
    }
    const merged = await allPages('sort=created', 2);
    expect(merged.flat()).toEqual(['Eve Tester', 'Dev Tester', 'Cleo Tester', 'Ben Tester', 'Ada Tester']);
    const searched = await allPages('q=tester', 1);
    expect(searched.flat().sort()).toEqual(['Ada Tester', 'Ben Tester', 'Cleo Tester', 'Dev Tester', 'Eve Tester']);
  });

  it('lets a viewer read the lists', async () => {
    expect(names(await list('status=cancelled', 'viewer@test.com'))).toEqual(['Cleo Tester']);
  });

  it('answers bad filters with a 400 naming them, and writes nothing', async () => {
    const before = JSON.stringify(await baton.items());
    const cases: Array<[string, string]> = [
      ['status=finished', 'status'],
      ['stepStatus=done', 'stepStatus'],
      ['partnerId=acme', 'partnerId: must be the id of a partner'],
      ['sort=name', 'sort'],
      ['createdFrom=yesterday', 'createdFrom'],
      ['createdFrom=2026-02-01&createdTo=2026-01-01', 'createdFrom'],
      ['q=a', 'q'],
      ['limit=0', 'limit'],
      ['statu=active', 'statu'],
      ['cursor=not-a-cursor', 'cursor'],
    ];
    for (const [query, named] of cases) {
      const response = await baton.api('GET', `/api/admin/enrollments?${query}`, { as: ADMIN });
      expect.soft([query, response.status]).toEqual([query, 400]);
      expect.soft(response.body.error?.message, query).toContain(named);
    }
    // A cursor of one list is refused by another.
    const cursor = (await list('limit=1')).cursor!;
    const other = await baton.api('GET', `/api/admin/enrollments?programId=cna&limit=1&cursor=${encodeURIComponent(cursor)}`, {
      as: ADMIN,
    });
    expect([other.status, other.body.error.message]).toEqual([400, expect.stringContaining('cursor')]);
    expect(JSON.stringify(await baton.items())).toBe(before);
  });
});
