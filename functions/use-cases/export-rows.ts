// The columns of Baton's exports (docs/exports.md says what each one means) and the rows they are
// built from: one row per student per program (an enrollment) with each of its steps in order,
// or one row per certificate.
import { verifyUrl, type Certificate } from '../domain/certificates.js';
import type { EnrollmentState } from '../domain/enrollment.js';
import type { Program } from '../domain/programs.js';
import type { Student } from '../domain/student.js';

export const ENROLLMENT_COLUMNS = [
  'student_id',
  'student_name',
  'student_email',
  'program_id',
  'program_name',
  'program_version',
  'cip_code',
  'onet_code',
  'enrollment_id',
  'enrollment_date',
  'status',
  'completion_date',
  'cancellation_date',
  'cancellation_reason',
] as const;

export const STEP_COLUMNS = [
  'partner',
  'course',
  'required',
  'status',
  'started',
  'completed',
  'result',
  'score',
  'partner_reference',
  'partner_event_id',
] as const;

export const CERTIFICATE_COLUMNS = [
  'certificate_id',
  'certificate_issued',
  'certificate_expires',
  'certificate_status',
  'certificate_verification_url',
  'recognized_credential',
] as const;

/** Baton's completion certificate is evidence of completion, not by itself a recognized postsecondary credential (WIOA). */
export const RECOGNIZED_CREDENTIAL = 'not determined';

export function enrollmentHeader(maxSteps: number): string[] {
  const steps = Array.from({ length: maxSteps }, (_, i) => STEP_COLUMNS.map((c) => `step${i + 1}_${c}`)).flat();
  return [...ENROLLMENT_COLUMNS, ...steps, ...CERTIFICATE_COLUMNS];
}

export function enrollmentRow(
  { enrollment, steps }: EnrollmentState,
  context: { student?: Student; program?: Program; certificate?: Certificate; siteUrl: string; maxSteps: number },
): unknown[] {
  const date = (at: string | undefined) => at ?? '';
  const row: unknown[] = [
    enrollment.studentId,
    enrollment.studentName,
    enrollment.studentEmail,
    enrollment.programId,
    enrollment.programName,
    enrollment.programVersion,
    context.program?.cipCode ?? '',
    context.program?.onetCode ?? '',
    enrollment.id,
    enrollment.createdAt,
    enrollment.status,
    date(enrollment.completedAt),
    date(enrollment.cancellation?.at),
    enrollment.cancellation?.reason ?? '',
  ];
  for (let i = 0; i < context.maxSteps; i++) {
    const step = steps[i];
    if (!step) {
      row.push(...STEP_COLUMNS.map(() => ''));
      continue;
    }
    const partner = step.resolution?.source === 'partner' ? step.resolution : undefined;
    row.push(
      step.partnerId,
      step.courseId,
      step.required ? 'yes' : 'no',
      step.status,
      date(step.startedAt),
      date(step.completedAt),
      partner ? partner.result : step.resolution?.source === 'admin' ? `${step.status} by admin: ${step.resolution.reason}` : '',
      partner?.score ?? '',
      context.student?.accounts[step.partnerId] ?? '',
      partner?.webhookId ?? '',
    );
  }
  const c = context.certificate;
  row.push(
    c?.id ?? enrollment.certificateId ?? '',
    c?.issuedAt ?? enrollment.certificateIssuedAt ?? '',
    '',
    c?.status ?? '',
    c || enrollment.certificateId ? verifyUrl(context.siteUrl, c?.id ?? enrollment.certificateId!) : '',
    c || enrollment.certificateId ? RECOGNIZED_CREDENTIAL : '',
  );
  return row;
}

export const CERTIFICATE_EXPORT_COLUMNS = [
  'certificate_id',
  'issued',
  'expires',
  'status',
  'revoked_at',
  'revoked_reason',
  'student_id',
  'student_name',
  'student_email',
  'program_id',
  'program_name',
  'cip_code',
  'onet_code',
  'enrollment_id',
  'completed',
  'partners',
  'verification_url',
  'recognized_credential',
] as const;

export function certificateRow(c: Certificate, program: Program | undefined, siteUrl: string): unknown[] {
  return [
    c.id,
    c.issuedAt,
    '',
    c.status,
    c.revokedAt ?? '',
    c.revokedReason ?? '',
    c.studentId,
    c.studentName,
    c.studentEmail,
    c.programId,
    c.programName,
    program?.cipCode ?? '',
    program?.onetCode ?? '',
    c.enrollmentId,
    c.completedAt,
    c.partners.join('; '),
    verifyUrl(siteUrl, c.id),
    RECOGNIZED_CREDENTIAL,
  ];
}
