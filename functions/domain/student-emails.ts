// The emails Baton sends students while they train: the welcome email when they are enrolled and
// the reminders about steps that stay open. Pure: each returns the message (subject, plain text,
// HTML, Reply-To, the one-click unsubscribe URL); the mailer decides how it travels.
import type { Brand } from './brand.js';
import { oneLine, render, type Block } from './email-layout.js';
import type { EmailMessage } from './notifications.js';
import type { PartnerId } from './partners.js';

/** A step as an email shows it. */
export interface EmailStep {
  partnerId: PartnerId;
  partnerName: string;
  courseName: string;
  /** in_progress: start it now; pending: it opens after the steps before it; done or closed steps are listed as such. */
  status: string;
  /** Where the student starts at the partner, when the partner has a launch link. */
  launchUrl?: string;
  /** The partner's instructions for students (how to sign in there). */
  instructions?: string;
  /** The student's account id at the partner, once linked. */
  accountId?: string;
  dueAt?: string;
  overdue?: boolean;
}

interface StudentEmailInput {
  brand: Brand;
  studentName: string;
  studentEmail: string;
  programName: string;
  /** The admin who enrolled the student (or nudged them): replies go to them. */
  coordinator?: string;
  /** The one-click unsubscribe URL (reminders only). */
  unsubscribeUrl: string;
}

/** "May 12, 2026": the date only, in UTC (a due date is a day, not a time). */
export const formatDate = (iso: string) =>
  new Date(iso).toLocaleDateString('en-US', { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' });

const progressUrl = (brand: Brand) => `${brand.siteUrl}/student/progress`;

function stepLines(step: EmailStep, options: { instructions: boolean }): string[] {
  const lines: string[] = [];
  if (step.accountId) lines.push(`Your ${step.partnerName} account: ${step.accountId}`);
  if (step.dueAt) lines.push(`${step.overdue ? 'Was due' : 'Due'} ${formatDate(step.dueAt)}`);
  if (options.instructions && step.instructions) lines.push(step.instructions);
  return lines;
}

const STATUS_WORDS: Record<string, string> = {
  in_progress: 'start now',
  pending: 'opens after the steps before it',
  completed: 'done',
  waived: 'waived',
  skipped: 'skipped',
  cancelled: 'cancelled',
};

const unsubscribeFooter = (input: StudentEmailInput) => ({
  text: 'We remind you about steps that stay open. Stop these reminders:',
  link: { label: 'unsubscribe', url: input.unsubscribeUrl },
});

/** The email a student gets when enrolled: the program, each step and how to start it, who to ask. */
export function welcomeEmail(input: StudentEmailInput & { steps: EmailStep[] }): EmailMessage {
  const { brand } = input;
  const program = oneLine(input.programName);
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: `You are enrolled in ${program} with ${brand.organizationName}. Here are its steps and how to start each one.`,
    },
    {
      kind: 'items',
      items: input.steps.map((step) => ({
        title: `${step.partnerName}: ${step.courseName} (${STATUS_WORDS[step.status] ?? step.status})`,
        lines: stepLines(step, { instructions: true }),
        ...(step.launchUrl && (step.status === 'in_progress' || step.status === 'pending')
          ? { link: { label: `Open ${step.partnerName}`, url: step.launchUrl } }
          : {}),
      })),
    },
    { kind: 'paragraph', text: 'When you finish a course, the partner tells us and your next step opens by itself.' },
    { kind: 'button', label: 'See your progress', url: progressUrl(brand) },
  ];
  if (input.coordinator)
    blocks.push({ kind: 'paragraph', text: `Your coordinator is ${input.coordinator}: reply to this email to reach them.` });
  return {
    to: input.studentEmail,
    subject: `Welcome to ${program}: how to start`,
    ...render({ brand, name: input.studentName, blocks, footer: [unsubscribeFooter(input)] }),
    ...envelope(input),
  };
}

/** A reminder about one or more steps in progress: each step, its partner, the launch link and the due date. */
export function reminderEmail(input: StudentEmailInput & { steps: EmailStep[]; nudgedBy?: string }): EmailMessage {
  const { brand } = input;
  const program = oneLine(input.programName);
  const [first] = input.steps;
  const overdue = input.steps.some((s) => s.overdue);
  const subject =
    input.steps.length === 1 && first
      ? `Reminder: ${oneLine(first.courseName)} at ${oneLine(first.partnerName)}${overdue ? ' is overdue' : ''}`
      : `Reminder: ${input.steps.length} steps of ${program} are waiting${overdue ? ' (overdue)' : ''}`;
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: input.nudgedBy
        ? `Your coordinator ${input.nudgedBy} asked us to remind you of your ${program} training: it is waiting for you.`
        : `A quick reminder: your ${program} training is waiting for you.`,
    },
    {
      kind: 'items',
      items: input.steps.map((step) => ({
        title: `${step.partnerName}: ${step.courseName}`,
        lines: stepLines(step, { instructions: false }),
        ...(step.launchUrl ? { link: { label: `Continue at ${step.partnerName}`, url: step.launchUrl } } : {}),
      })),
    },
    { kind: 'button', label: 'See your progress', url: progressUrl(brand) },
  ];
  if (input.coordinator)
    blocks.push({ kind: 'paragraph', text: `Stuck? Reply to this email to reach your coordinator, ${input.coordinator}.` });
  return {
    to: input.studentEmail,
    subject,
    ...render({ brand, name: input.studentName, blocks, footer: [unsubscribeFooter(input)] }),
    ...envelope(input),
  };
}

/** Sender, Reply-To (the organization's when it set one, else the coordinator) and the one-click unsubscribe URL. */
function envelope(input: StudentEmailInput): Pick<EmailMessage, 'fromName' | 'fromAddress' | 'replyTo' | 'unsubscribeUrl'> {
  const { brand } = input;
  const replyTo = brand.replyTo ?? input.coordinator;
  return {
    fromName: oneLine(brand.senderName),
    ...(brand.senderAddress ? { fromAddress: brand.senderAddress } : {}),
    ...(replyTo ? { replyTo } : {}),
    unsubscribeUrl: input.unsubscribeUrl,
  };
}
