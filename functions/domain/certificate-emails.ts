// The reminder a student gets before a certificate expires (60 and 14 days before, by default),
// laid out like every other email (email-layout.ts).
import type { Brand } from './brand.js';
import { oneLine, render } from './email-layout.js';
import type { EmailMessage } from './notifications.js';

const longDate = (iso: string) =>
  new Date(iso).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

export function expiryReminderEmail(input: {
  studentName: string;
  studentEmail: string;
  programName: string;
  certificateId: string;
  expiresAt: string;
  daysLeft: number;
  verifyUrl: string;
  progressUrl: string;
  renewalProgramName?: string;
  brand: Brand;
}): EmailMessage {
  const { brand } = input;
  const program = oneLine(input.programName);
  const days = `${input.daysLeft} day${input.daysLeft === 1 ? '' : 's'}`;
  const renew = input.renewalProgramName
    ? `To stay certified, complete ${oneLine(input.renewalProgramName)} before then: ask your program coordinator to enroll you.`
    : 'To stay certified, ask your program coordinator how to renew it before then.';
  return {
    to: input.studentEmail,
    subject: `Your ${program} certificate expires in ${days}`,
    ...render({
      brand,
      name: input.studentName,
      blocks: [
        {
          kind: 'paragraph',
          text: `Your ${program} certificate ${input.certificateId} expires on ${longDate(input.expiresAt)} (in ${days}).`,
        },
        { kind: 'paragraph', text: renew },
        { kind: 'button', label: 'Your certificates', url: input.progressUrl },
        { kind: 'paragraph', text: `Its verification page: ${input.verifyUrl}` },
      ],
    }),
    fromName: oneLine(brand.senderName),
    ...(brand.senderAddress ? { fromAddress: brand.senderAddress } : {}),
    ...(brand.replyTo ? { replyTo: brand.replyTo } : {}),
  };
}
