// One email rule for every way an address arrives: request bodies (zod), partner events, and
// local mode's sign-in all accept and refuse the same addresses, and store them the same way.
import { describe, expect, it } from 'vitest';
import { foldEmail, isEmailAddress, normalizeEmail } from '../../functions/domain/email.js';
import { parsePartnerEvent } from '../../functions/domain/partner-events.js';
import { emailSchema } from '../../functions/handlers/schemas.js';

const VALID = [
  'student@test.com',
  'Hana.Sato@Example.COM',
  "o'brien+baton@mail.example.org",
  'a@b.co',
  'x_y-z@sub.domain.example',
  'user@xn--bcher-kva.xn--p1ai',
];
const INVALID = [
  '',
  'not-an-email',
  '@example.org',
  'someone@',
  'someone@localhost',
  'two@@example.org',
  'with space@example.org',
  '.leading@example.org',
  'trailing.@example.org',
  'double..dot@example.org',
  'someone@-example.org',
  'someone@example-.org',
  'someone@example..org',
  'someone@example.c',
  '"quoted"@example.org',
  'someone@exa_mple.org',
  'ünïcode@example.org',
  `${'a'.repeat(65)}@example.org`,
  `a@${'b'.repeat(250)}.org`,
];

function viaSchema(value: string): string | undefined {
  const result = emailSchema.safeParse(value);
  return result.success ? result.data : undefined;
}
function viaPartnerEvent(value: string): string | undefined {
  try {
    const event = parsePartnerEvent({ event: 'course.completed', student_id: 'H-1', course_id: 'bls', email: value }, { now: new Date() });
    return event.kind === 'completion' ? event.email : undefined;
  } catch {
    return undefined;
  }
}
function viaDomain(value: string): string | undefined {
  try {
    return normalizeEmail(value);
  } catch {
    return undefined;
  }
}

describe('the email rule', () => {
  it.each(VALID)('accepts %s everywhere, trimmed and lower-cased the same way', (email) => {
    const expected = email.toLowerCase();
    expect(isEmailAddress(email)).toBe(true);
    expect([viaDomain(` ${email} `), viaSchema(` ${email} `), viaPartnerEvent(` ${email} `)]).toEqual([expected, expected, expected]);
  });

  it.each(INVALID)('refuses %j everywhere', (email) => {
    expect(isEmailAddress(email)).toBe(false);
    expect([viaDomain(email), viaSchema(email), viaPartnerEvent(email)]).toEqual([undefined, undefined, undefined]);
  });

  it('folds only ASCII A-Z, so no address outside ASCII folds into another', () => {
    expect(foldEmail('Hana.Sato@Example.COM')).toBe('hana.sato@example.com');
    // toLowerCase() would turn each of these into a plain ASCII address (kim@, sam@, inci@ …).
    for (const email of ['\u212Aim@test.com', '\u017Fam@test.com', '\u0130nci@test.com', 'kim@\u212Aelvin.com'])
      expect.soft(foldEmail(email), email).toBe(email);
    expect(foldEmail('ÅSA@Test.com')).toBe('Åsa@test.com');
  });

  it('refuses addresses outside ASCII wherever an address arrives, Kelvin signs included', () => {
    for (const email of ['\u212Aim@test.com', 'kim@\u212Aelvin.com', '\u017Fam@test.com'])
      expect([viaDomain(email), viaSchema(email), viaPartnerEvent(email)], email).toEqual([undefined, undefined, undefined]);
  });

  it('names the field in its 400', () => {
    expect(() => normalizeEmail('nope', 'studentEmail')).toThrow('studentEmail must be a valid email address');
    expect(() => normalizeEmail(42)).toThrow('email must be a valid email address');
  });

  it('allows addresses up to 254 characters and no longer', () => {
    const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(58)}.org`;
    expect(`${'l'.repeat(63)}@${domain}`).toHaveLength(254);
    expect(isEmailAddress(`${'l'.repeat(63)}@${domain}`)).toBe(true);
    expect(isEmailAddress(`${'l'.repeat(64)}@${domain}`)).toBe(false);
  });
});
