// The enrollment as the API shows it (the stable contract in README), including the timeline,
// which is derived from the recorded transitions rather than stored twice.
import { verifyUrl } from '../domain/certificates.js';
import { currentSteps, progress, type Enrollment, type EnrollmentStep, type Progress, type StepStatus } from '../domain/enrollment.js';
import { launchUrl, partnerName, type PartnerId } from '../domain/partners.js';
import type { Student } from './ports.js';

export interface StepView {
  index: number;
  sequence: number;
  partnerId: PartnerId;
  partnerName: string;
  courseId: string;
  courseName: string;
  required: boolean;
  completion: 'completed' | 'passed';
  status: StepStatus;
  startedAt?: string;
  completedAt?: string;
  /** When a skipped or cancelled step was closed. */
  closedAt?: string;
  launchUrl?: string;
  /** Who completed or waived the step and why (admin overrides) or which partner event did. */
  resolution?: EnrollmentStep['resolution'];
}

export interface TimelineEntry {
  at: string;
  type:
    | 'enrolled'
    | 'step_started'
    | 'step_completed'
    | 'step_waived'
    | 'step_skipped'
    | 'enrollment_completed'
    | 'enrollment_cancelled'
    | 'certificate_issued'
    | 'email_sent'
    | 'workflow_failed';
  detail: string;
}

export interface EnrollmentView {
  id: string;
  studentId: string;
  studentName: string;
  studentEmail: string;
  programId: string;
  programName: string;
  programVersion: number;
  status: Enrollment['status'];
  createdAt: string;
  completedAt?: string;
  /** Who cancelled the enrollment, when and why. */
  cancellation?: Enrollment['cancellation'];
  progress: Progress;
  currentSteps: number[];
  steps: StepView[];
  certificate?: { id: string; pdfUrl: string; verifyUrl: string; issuedAt?: string };
  /** Present when the workflow failed for good; admins retry from the dashboard. */
  workflowFailure?: Enrollment['workflowFailure'];
  timeline: TimelineEntry[];
}

export function toEnrollmentView(
  enrollment: Enrollment,
  steps: readonly EnrollmentStep[],
  accounts: Student['accounts'],
  siteUrl: string,
): EnrollmentView {
  const ordered = [...steps].sort((a, b) => a.index - b.index);
  const base = siteUrl.replace(/\/+$/, '');
  return {
    id: enrollment.id,
    studentId: enrollment.studentId,
    studentName: enrollment.studentName,
    studentEmail: enrollment.studentEmail,
    programId: enrollment.programId,
    programName: enrollment.programName,
    programVersion: enrollment.programVersion,
    status: enrollment.status,
    createdAt: enrollment.createdAt,
    ...(enrollment.completedAt ? { completedAt: enrollment.completedAt } : {}),
    ...(enrollment.cancellation ? { cancellation: enrollment.cancellation } : {}),
    progress: progress(ordered),
    currentSteps: [...new Set(currentSteps(ordered).map((s) => s.sequence))],
    steps: ordered.map((step) => ({
      index: step.index,
      sequence: step.sequence,
      partnerId: step.partnerId,
      partnerName: partnerName(step.partnerId),
      courseId: step.courseId,
      courseName: step.courseName,
      required: step.required,
      completion: step.completion,
      status: step.status,
      ...(step.startedAt ? { startedAt: step.startedAt } : {}),
      ...(step.completedAt ? { completedAt: step.completedAt } : {}),
      ...(step.closedAt ? { closedAt: step.closedAt } : {}),
      ...(step.status === 'in_progress' ? { launchUrl: launchUrl(step.partnerId, step.courseId, accounts[step.partnerId]) } : {}),
      ...(step.resolution ? { resolution: step.resolution } : {}),
    })),
    ...(enrollment.certificateId
      ? {
          certificate: {
            id: enrollment.certificateId,
            pdfUrl: `${base}/api/certificates/${enrollment.certificateId}/pdf`,
            verifyUrl: verifyUrl(base, enrollment.certificateId),
            ...(enrollment.certificateIssuedAt ? { issuedAt: enrollment.certificateIssuedAt } : {}),
          },
        }
      : {}),
    ...(enrollment.workflowFailure ? { workflowFailure: enrollment.workflowFailure } : {}),
    timeline: timeline(enrollment, ordered),
  };
}

export function timeline(enrollment: Enrollment, steps: readonly EnrollmentStep[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ at: enrollment.createdAt, type: 'enrolled', detail: `Enrolled in ${enrollment.programName}` }];
  for (const step of steps) {
    const name = `${partnerName(step.partnerId)}: ${step.courseName}`;
    if (step.startedAt) entries.push({ at: step.startedAt, type: 'step_started', detail: `${name} started` });
    if (step.completedAt && (step.status === 'completed' || step.status === 'waived')) {
      entries.push({
        at: step.completedAt,
        type: step.status === 'waived' ? 'step_waived' : 'step_completed',
        detail: `${name} ${step.status === 'waived' ? 'waived' : 'completed'}${resolutionDetail(step.resolution)}`,
      });
    }
    if (step.status === 'skipped' && step.closedAt) {
      entries.push({ at: step.closedAt, type: 'step_skipped', detail: `${name} skipped: optional, not taken before the program was completed` });
    }
  }
  if (enrollment.status === 'completed' && enrollment.completedAt) {
    entries.push({ at: enrollment.completedAt, type: 'enrollment_completed', detail: `${enrollment.programName} completed` });
  }
  if (enrollment.cancellation) {
    const { at, by, reason } = enrollment.cancellation;
    entries.push({ at, type: 'enrollment_cancelled', detail: `Enrollment cancelled by ${by}: ${reason}` });
  }
  if (enrollment.certificateIssuedAt && enrollment.certificateId) {
    entries.push({ at: enrollment.certificateIssuedAt, type: 'certificate_issued', detail: `Certificate ${enrollment.certificateId} issued` });
  }
  if (enrollment.emailSentAt) {
    entries.push({ at: enrollment.emailSentAt, type: 'email_sent', detail: `Completion email sent to ${enrollment.studentEmail}` });
  }
  // Stable order: by time, then by the order above (enrolled before its first step started).
  const ordered = entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.at.localeCompare(b.e.at) || a.i - b.i).map(({ e }) => e);
  // A recorded failure is the automation's current state, so it comes last; its time is when
  // the failed execution started (the state machine's clock), which may precede its last success.
  if (enrollment.workflowFailure) {
    ordered.push({ at: enrollment.workflowFailure.at, type: 'workflow_failed', detail: `Automation failed: ${enrollment.workflowFailure.error}` });
  }
  return ordered;
}

function resolutionDetail(resolution: EnrollmentStep['resolution']): string {
  if (!resolution) return '';
  if (resolution.source === 'admin') return ` by ${resolution.by}: ${resolution.reason}`;
  return resolution.result === 'passed' ? ' (passed)' : '';
}
