// A student brings proof of completion for their step in progress: a reference, the completion
// date, an optional expiry, and optionally a file, which their browser PUTs to a presigned slot
// and then confirms. Confirming checks the file by its content (PDF, PNG or JPEG, of the declared
// size); a file that is something else rejects the evidence with the reason, on the student's step.
import { randomUUID } from 'node:crypto';
import { findStepBySequence } from '../domain/enrollment.js';
import { DomainError, validationError } from '../domain/errors.js';
import {
  evidenceFileKey,
  fileProblem,
  MAX_EVIDENCE_FILE_BYTES,
  type Evidence,
  type EvidenceFile,
  type EvidenceFileType,
} from '../domain/evidence.js';
import { acceptsEvidence } from '../domain/partners.js';
import { changeEnrollment } from './enrollment-transitions.js';
import { getEnrollment, owns, type Actor } from './enrollments.js';
import type { Logger } from './logger.js';
import type { EnrollmentStore } from './ports/enrollments.js';
import type { PartnerStore } from './ports/partners.js';
import type { Clock } from './ports/services.js';
import type { StudentStore } from './ports/students.js';
import { UPLOAD_SLOT_SECONDS, type Uploads, type UploadSlot } from './uploads.js';

export interface EvidenceDeps {
  enrollments: EnrollmentStore;
  students: StudentStore;
  partners: PartnerStore;
  uploads: Uploads;
  clock: Clock;
  logger: Logger;
}

export interface SubmitEvidenceInput {
  enrollmentId: string;
  sequence: number;
  partnerId?: string;
  reference: string;
  completedAt: string;
  credentialExpiresAt?: string;
  file?: { contentType: EvidenceFileType; size: number };
}

/** The enrollment, when the caller is its student; anyone else gets the 404 a missing id gets. */
async function ownEnrollment(deps: Pick<EvidenceDeps, 'enrollments' | 'students'>, id: string, actor: Actor) {
  const state = await getEnrollment(deps.enrollments, id);
  const student = await deps.students.get(state.enrollment.studentId);
  if (!student || !(await owns(deps, student, actor, { claim: false }))) {
    throw new DomainError('ENROLLMENT_NOT_FOUND', `no enrollment ${state.enrollment.id}`);
  }
  return state;
}

export async function submitEvidence(
  deps: EvidenceDeps,
  input: SubmitEvidenceInput,
  actor: Actor,
): Promise<{ evidenceId: string; uploadUrl?: string; uploadHeaders?: UploadSlot['headers'] }> {
  const state = await ownEnrollment(deps, input.enrollmentId, actor);
  const at = deps.clock.now().toISOString();
  if (input.completedAt > at) throw validationError('completedAt: must not be in the future');
  if (input.credentialExpiresAt && input.credentialExpiresAt <= input.completedAt) {
    throw validationError('expiresAt: must be after completedAt');
  }
  // The partner's switch: a partner whose own reports are reliable takes no proof from students.
  const found = findStepBySequence(state.steps, input.sequence, input.partnerId);
  if (!('error' in found) && !acceptsEvidence(await deps.partners.get(found.step.partnerId))) {
    throw new DomainError('EVIDENCE_NOT_ACCEPTED', `${found.step.partnerId} does not take proof of completion from students`);
  }
  const file: EvidenceFile | undefined = input.file ? { ...input.file, status: 'awaiting_upload' } : undefined;
  const evidence: Evidence = {
    id: randomUUID(),
    submittedAt: at,
    reference: input.reference,
    completedAt: input.completedAt,
    ...(input.credentialExpiresAt ? { credentialExpiresAt: input.credentialExpiresAt } : {}),
    ...(file ? { file } : {}),
    status: 'pending',
  };
  await changeEnrollment(deps, state.enrollment.id, {
    type: 'submit_evidence',
    at,
    sequence: input.sequence,
    ...(input.partnerId ? { partnerId: input.partnerId } : {}),
    evidence,
  });
  deps.logger.info('evidence submitted', { enrollmentId: state.enrollment.id, evidenceId: evidence.id, withFile: file !== undefined });
  if (!file) return { evidenceId: evidence.id };
  // The slot signs the declared type and size: S3 refuses any other body.
  const slot = await deps.uploads.createSlot({
    key: evidenceFileKey(evidence.id),
    contentType: file.contentType,
    maxBytes: MAX_EVIDENCE_FILE_BYTES,
    size: file.size,
    expiresInSeconds: UPLOAD_SLOT_SECONDS,
  });
  return { evidenceId: evidence.id, uploadUrl: slot.url, uploadHeaders: slot.headers };
}

/**
 * The browser says the file is uploaded: Baton checks it by content and size. Not there yet: 409,
 * nothing changes (the browser may retry; admins see the evidence as awaiting its file). Refused:
 * the evidence is rejected with the reason (the student sees it and may submit again), and the
 * answer is a 415 naming the problem.
 */
export async function confirmEvidenceFile(
  deps: EvidenceDeps,
  input: { enrollmentId: string; evidenceId: string },
  actor: Actor,
): Promise<{ evidenceId: string; status: Evidence['status'] }> {
  const state = await ownEnrollment(deps, input.enrollmentId, actor);
  const evidence = state.steps.flatMap((s) => s.evidence ?? []).find((e) => e.id === input.evidenceId);
  if (!evidence) throw new DomainError('EVIDENCE_NOT_FOUND', `enrollment ${state.enrollment.id} has no evidence ${input.evidenceId}`);
  if (!evidence.file) throw new DomainError('EVIDENCE_FILE_MISSING', `evidence ${evidence.id} declared no file`);
  if (evidence.file.status !== 'awaiting_upload') return { evidenceId: evidence.id, status: evidence.status };
  const key = evidenceFileKey(evidence.id);
  const head = await deps.uploads.head(key);
  if (!head) throw new DomainError('EVIDENCE_FILE_MISSING', 'the file has not arrived yet; upload it, then confirm again');
  // Never read more than the limit: head() says how big it is first.
  const bytes = head.size <= MAX_EVIDENCE_FILE_BYTES ? await deps.uploads.read(key) : new Uint8Array();
  const problem = fileProblem(evidence.file, bytes ? { size: head.size, head: bytes.subarray(0, 64) } : undefined);
  const { after } = await changeEnrollment(deps, state.enrollment.id, {
    type: 'check_evidence_file',
    at: deps.clock.now().toISOString(),
    evidenceId: evidence.id,
    ...(problem ? { problem } : {}),
  });
  if (problem) {
    deps.logger.info('evidence file refused', { enrollmentId: state.enrollment.id, evidenceId: evidence.id, problem });
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `The file was refused: ${problem}`);
  }
  const saved = after.steps.flatMap((s) => s.evidence ?? []).find((e) => e.id === evidence.id)!;
  return { evidenceId: evidence.id, status: saved.status };
}
