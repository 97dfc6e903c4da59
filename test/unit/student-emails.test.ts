// The emails students get, as a mail client reads them: one greeting style, HTML and plain text,
// Reply-To to the coordinator, RFC 8058 one-click unsubscribe headers, and values from data that
// cannot break out of their place (a name with "\r\n" adds no header and no line). Composed by the
// one MIME composer local mode's outbox and the SES mailer both use, parsed back by mailparser.
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMime } from '../../functions/adapters/mime.js';
import { defaultBrand } from '../../functions/domain/brand.js';
import { completionEmail } from '../../functions/domain/notifications.js';
import { reminderEmail, welcomeEmail, type EmailStep } from '../../functions/domain/student-emails.js';
import { studentOfToken, tokenFingerprint, unsubscribeToken } from '../../functions/domain/unsubscribe.js';

const brand = defaultBrand('https://learn.example.org', { organizationName: 'Northside Training', supportEmail: 'help@northside.example' });
const UNSUBSCRIBE = 'https://learn.example.org/api/unsubscribe?token=abc.def';
const steps: EmailStep[] = [
  {
    partnerId: 'hsi',
    partnerName: 'HSI',
    instructions: "Sign in to HSI's Otis learning site with the email this message was sent to; your course is on your dashboard.",
    courseName: 'BLS',
    status: 'in_progress',
    launchUrl: 'https://otis.hsi.com/courses/bls?learner=H-1',
    accountId: 'H-1',
    dueAt: '2026-05-12T09:00:00.000Z',
  },
  {
    partnerId: 'certiport',
    partnerName: 'Certiport',
    courseName: 'MOS Word',
    status: 'pending',
    launchUrl: 'https://certiport.pearsonvue.com/exams/mos?candidate=',
  },
];
const base = {
  brand,
  studentEmail: 'kim@example.org',
  programName: 'Medical Assistant',
  coordinator: 'coach@northside.example',
  unsubscribeUrl: UNSUBSCRIBE,
};
const sender = { name: 'Baton', address: 'no-reply@northside.example' };

describe('the welcome email', () => {
  const email = welcomeEmail({ ...base, studentName: 'Kim', steps });

  it('names the program, each step with how to start it (launch link, account id, the partner’s instructions) and the coordinator', () => {
    expect(email.subject).toBe('Welcome to Medical Assistant: how to start');
    expect(email.text.split('\n')[0]).toBe('Hi Kim,');
    for (const expected of [
      'You are enrolled in Medical Assistant with Northside Training.',
      '* HSI: BLS (start now)',
      'Your HSI account: H-1',
      'Due May 12, 2026',
      "Sign in to HSI's Otis learning site",
      'Open HSI: https://otis.hsi.com/courses/bls?learner=H-1',
      '* Certiport: MOS Word (opens after the steps before it)',
      'Your coordinator is coach@northside.example: reply to this email to reach them.',
      'The Northside Training team',
      'Questions? Write to help@northside.example.',
      `unsubscribe: ${UNSUBSCRIBE}`,
    ])
      expect(email.text).toContain(expected);
    expect(email.html).toContain('<a href="https://otis.hsi.com/courses/bls?learner=H-1">Open HSI</a>');
    expect(email.replyTo).toBe('coach@northside.example');
  });
});

describe('a reminder', () => {
  it('names the step, its partner, the launch link and the due date; a nudge says who asked', () => {
    const email = reminderEmail({
      ...base,
      studentName: 'Kim',
      steps: [{ ...steps[0]!, overdue: true }],
      nudgedBy: 'coach@northside.example',
    });
    expect(email.subject).toBe('Reminder: BLS at HSI is overdue');
    expect(email.text).toContain('Your coordinator coach@northside.example asked us to remind you');
    expect(email.text).toContain('Was due May 12, 2026');
    expect(email.text).toContain('Continue at HSI: https://otis.hsi.com/courses/bls?learner=H-1');
    expect(reminderEmail({ ...base, studentName: 'Kim', steps }).subject).toBe('Reminder: 2 steps of Medical Assistant are waiting');
  });
});

describe('every email, composed and parsed back', () => {
  it('has HTML and plain text, From with the brand, Reply-To, and RFC 8058 one-click headers', async () => {
    const raw = await composeMime(reminderEmail({ ...base, studentName: 'Kim', steps }), sender, new Date('2026-05-01T12:00:00Z'));
    const parsed = await simpleParser(raw);
    expect(parsed.from?.value).toEqual([{ name: 'Baton', address: 'no-reply@northside.example' }]);
    expect(parsed.replyTo?.value).toEqual([{ name: '', address: 'coach@northside.example' }]);
    expect(parsed.headers.get('list')).toMatchObject({ unsubscribe: { url: UNSUBSCRIBE } });
    expect(raw.toString()).toMatch(/^List-Unsubscribe: <https:\/\/learn\.example\.org\/api\/unsubscribe\?token=abc\.def>\r$/m);
    expect(raw.toString()).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(parsed.text).toContain('Hi Kim,');
    expect(parsed.html).toContain('<p>Hi Kim,</p>');
    expect(parsed.date?.toISOString()).toBe('2026-05-01T12:00:00.000Z');
  });

  it('keeps a name with line breaks on one line: no injected header, no injected line', async () => {
    const name = 'Kim\r\nBcc: victim@example.org\r\n\r\nFake body';
    const email = welcomeEmail({ ...base, studentName: name, programName: 'CDL\r\nX-Evil: 1', steps });
    expect(email.text.split('\n')[0]).toBe('Hi Kim Bcc: victim@example.org Fake body,');
    expect(email.subject).toBe('Welcome to CDL X-Evil: 1: how to start');
    const parsed = await simpleParser(
      await composeMime(email, { name: 'Baton\r\nBcc: x@example.org', address: sender.address }, new Date()),
    );
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.headers.has('x-evil')).toBe(false);
    expect(parsed.text!.split('\n').filter((line) => line.startsWith('Bcc:'))).toEqual([]);
    expect(email.html).not.toContain('\r\n\r\nFake');
  });

  it('escapes HTML from data', () => {
    const email = completionEmail({
      studentName: 'Ann <script>',
      studentEmail: 'ann@example.org',
      programName: 'HVAC',
      certificateId: 'ABCD-EFGH-JKMN-PQRS',
      verifyUrl: 'https://learn.example.org/verify/ABCD-EFGH-JKMN-PQRS',
      progressUrl: 'https://learn.example.org/student/progress',
      brand,
      coordinator: 'coach@northside.example',
    });
    expect(email.html).toContain('Hi Ann &lt;script&gt;,');
    expect(email.html).not.toContain('<script>');
    expect(email.replyTo).toBe('coach@northside.example');
    expect(email.unsubscribeUrl).toBeUndefined(); // transactional: nothing to unsubscribe from
  });

  it('refuses to compose a message to something that is not an address', async () => {
    await expect(
      composeMime({ ...welcomeEmail({ ...base, studentName: 'Kim', steps }), replyTo: 'x@y.com\r\nBcc: z@w.com' }, sender, new Date()),
    ).rejects.toThrow('replyTo is not an email address');
  });
});

describe('unsubscribe tokens', () => {
  const key = Buffer.from('k'.repeat(32));
  it('name the student they were signed for, and nobody for another key or a changed character', () => {
    const token = unsubscribeToken(key, 'student-1');
    expect(studentOfToken(key, token)).toBe('student-1');
    expect(studentOfToken(Buffer.from('j'.repeat(32)), token)).toBeUndefined();
    const changed = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(studentOfToken(key, changed)).toBeUndefined();
    const otherStudent = `${Buffer.from('student-2').toString('base64url')}.${token.split('.')[1]}`;
    expect(studentOfToken(key, otherStudent)).toBeUndefined();
    expect(studentOfToken(key, 'x'.repeat(500))).toBeUndefined();
  });

  it('are accepted in their one canonical spelling only (not with the spare bits of the last character set)', () => {
    const token = unsubscribeToken(key, 'student-1');
    const last = token.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 32 bytes in 43 characters: the last one carries 4 bits of the MAC and 2 spare bits.
    const respelled = token.slice(0, -1) + alphabet[alphabet.indexOf(last) ^ 1];
    expect(Buffer.from(respelled.split('.')[1]!, 'base64url')).toEqual(Buffer.from(token.split('.')[1]!, 'base64url'));
    expect(studentOfToken(key, respelled)).toBeUndefined();
  });

  it('have a fingerprint for logs that is not the token', () => {
    const token = unsubscribeToken(key, 'student-1');
    expect(tokenFingerprint(token)).toMatch(/^[0-9a-f]{12}$/);
    expect(token).not.toContain(tokenFingerprint(token));
  });
});
