// The API's JSON as the site reads it (README "API"; functions/use-cases/*-view.ts, pipeline.ts).
// Only the fields the screens use are declared.

export type StepStatus = 'pending' | 'in_progress' | 'completed' | 'waived';

export type Resolution =
  | { source: 'admin'; by: string; reason: string }
  | { source: 'partner'; webhookId?: string; result?: string };

export interface Step {
  index: number;
  sequence: number;
  partnerId: string;
  partnerName: string;
  courseId: string;
  courseName: string;
  required: boolean;
  status: StepStatus;
  startedAt?: string;
  completedAt?: string;
  launchUrl?: string;
  resolution?: Resolution;
}

export type TimelineType =
  | 'enrolled'
  | 'step_started'
  | 'step_completed'
  | 'step_waived'
  | 'enrollment_completed'
  | 'certificate_issued'
  | 'email_sent'
  | 'workflow_failed';

export interface Enrollment {
  id: string;
  studentName: string;
  studentEmail: string;
  programId: string;
  programName: string;
  status: 'active' | 'completed' | 'cancelled';
  createdAt: string;
  completedAt?: string;
  progress: { completed: number; total: number; percent: number };
  currentSteps: number[];
  steps: Step[];
  certificate?: { id: string; pdfUrl: string; verifyUrl: string; issuedAt?: string };
  workflowFailure?: { error: string; at: string };
  timeline: Array<{ at: string; type: TimelineType; detail: string }>;
}

export interface Program {
  id: string;
  name: string;
  category: string;
  steps: Array<{ sequence: number; partnerId: string; courseId: string; courseName: string; required: boolean }>;
}

export interface ProviderCounts {
  partnerId: string;
  partnerName: string;
  pending: number;
  in_progress: number;
  completed: number;
  waived: number;
}

export interface ProgramRate {
  programId: string;
  programName: string;
  category: string;
  total: number;
  active: number;
  completed: number;
  /** Percent, 0-100, two decimals. */
  completionRate: number;
}

export interface StuckStudent {
  enrollmentId: string;
  studentName: string;
  studentEmail: string;
  partnerId: string;
  partnerName: string;
  courseId: string;
  stepIndex: number;
  startedAt: string;
  daysStuck: number;
}

export interface Pipeline {
  providers: ProviderCounts[];
  programs: ProgramRate[];
  stuck: StuckStudent[];
  stuckDays: number;
  failures: Array<{ enrollmentId: string; studentName: string; studentEmail: string; programName: string; error: string; at: string }>;
}

export interface UnmatchedEvent {
  partnerId: string;
  webhookId: string;
  receivedAt: string;
  /** unknown_student, no_step, …: why no step took it. */
  reason?: string;
  externalId?: string;
  email?: string;
  courseId?: string;
  result?: string;
  rawBody: string;
}

export interface LinkResult {
  partnerId: string;
  externalId: string;
  studentId: string;
  reapplied: Array<{ webhookId: string; partnerId: string; status: 'applied' | 'duplicate' | 'unmatched' | 'ignored'; reason?: string }>;
}

export interface CertificateVerification {
  id: string;
  status: 'valid' | 'revoked';
  studentName: string;
  programId: string;
  programName: string;
  partners: string[];
  completedAt: string;
  issuedAt: string;
  revokedAt?: string;
  revokedReason?: string;
  verifyUrl: string;
}
