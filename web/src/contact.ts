// The "contact" link for a stuck student: a mailto with a subject and a body that name the step,
// ready for the coordinator to send from their own mail client.
import { daysAgo } from './format.ts';

export interface StuckStep {
  studentName: string;
  studentEmail: string;
  partnerName: string;
  courseName: string;
  startedAt: string;
}

export function stuckStudentMailto(step: StuckStep, progressUrl: string, now = Date.now()): string {
  const firstName = step.studentName.split(/\s+/)[0] || step.studentName;
  const subject = `Checking in: ${step.partnerName} – ${step.courseName}`;
  const body = [
    `Hi ${firstName},`,
    '',
    `You started ${step.partnerName}'s "${step.courseName}" ${daysAgo(step.startedAt, now)} and it isn't finished yet. ` +
      'Is anything getting in the way (access, time, the course itself)? Reply to this email and I will help.',
    '',
    `You can pick up where you left off from your progress page: ${progressUrl}`,
    '',
    'Thanks,',
  ].join('\r\n');
  // encodeURIComponent, not URLSearchParams: mail clients read "+" literally.
  return `mailto:${encodeURIComponent(step.studentEmail).replace(/%40/g, '@')}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}
