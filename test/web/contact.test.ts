import { describe, expect, it } from 'vitest';
import { stuckStudentMailto } from '../../web/src/contact.ts';
import { daysAgo, formatDays } from '../../web/src/format.ts';

const NOW = Date.parse('2026-03-20T12:00:00Z');
const step = {
  studentName: 'Dana Whitfield',
  studentEmail: 'dana+ma@example.com',
  partnerName: 'HSI',
  courseName: 'BLS, CPR, AED & First Aid',
  startedAt: '2026-03-10T09:00:00Z',
};

describe('contact link for a stuck student', () => {
  it('is a mailto to the student with a subject and body naming the step', () => {
    const href = stuckStudentMailto(step, 'https://baton.example.com/student/progress', NOW);
    const url = new URL(href);

    expect(url.protocol).toBe('mailto:');
    expect(decodeURIComponent(url.pathname)).toBe('dana+ma@example.com');
    expect(url.searchParams.get('subject')).toBe('Checking in: HSI – BLS, CPR, AED & First Aid');
    expect(url.searchParams.get('body')).toBe(
      [
        'Hi Dana,',
        '',
        `You started HSI's "BLS, CPR, AED & First Aid" 10 days ago and it isn't finished yet. Is anything getting in the way (access, time, the course itself)? Reply to this email and I will help.`,
        '',
        'You can pick up where you left off from your progress page: https://baton.example.com/student/progress',
        '',
        'Thanks,',
      ].join('\r\n'),
    );
  });

  it('encodes spaces as %20 and keeps "+" in the address, as mail clients expect', () => {
    const href = stuckStudentMailto(step, 'https://x', NOW);

    expect(href.startsWith('mailto:dana%2Bma@example.com?subject=Checking%20in')).toBe(true);
    expect(href).not.toMatch(/subject=[^&]*\+/);
  });
});

describe('days', () => {
  it('reads as people say it', () => {
    expect(daysAgo('2026-03-20T08:00:00Z', NOW)).toBe('today');
    expect(daysAgo('2026-03-19T08:00:00Z', NOW)).toBe('yesterday');
    expect(daysAgo('2026-03-01T12:00:00Z', NOW)).toBe('19 days ago');
    expect(formatDays(1)).toBe('1 day');
    expect(formatDays(0.5)).toBe('0.5 days');
    expect(formatDays(12.37)).toBe('12 days');
  });
});
