// Enrollment use cases: enroll a student, read enrollments (owner or admin), admin overrides.
import { randomUUID } from 'node:crypto';
import { enrollmentCreated, stepMoved } from '../domain/counters.js';
import {
  generateSteps,
  isDone,
  newEnrollment,
  normalizeEnrollmentId,
  planAdvance,
  findStepBySequence,
  withStepStatus,
  type Enrollment,
} from '../domain/enrollment.js';
import { DomainError, validationError } from '../domain/errors.js';
import { partnerName, type PartnerId } from '../domain/partners.js';
import { toAdminEnrollmentView, toStudentEnrollmentView, type AdminEnrollmentView, type EnrollmentView } from './enrollment-view.js';
import type { Logger } from './logger.js';
import type { Clock, Repository, Settings, Student, WorkflowStarter } from './ports.js';
import { reapplyUnmatchedFor, waitingEventOwners } from './partner-accounts.js';
import { startWorkflow } from './start-workflow.js';
import { stepChanges } from './step-changes.js';

/** Who is calling: the claims of a verified Cognito (or local-mode) access token. */
export interface Actor {
  sub: string;
  email: string;
  isAdmin: boolean;
}

export interface EnrollmentDeps {
  repo: Repository;
  workflow: WorkflowStarter;
  clock: Clock;
  settings: Settings;
  logger: Logger;
}

export interface EnrollStudentInput {
  studentEmail: string;
  studentName?: string;
  programId: string;
  partnerAccounts?: Partial<Record<PartnerId, string>>;
}

/**
 * The seed's generate_enrollment_steps: snapshot the program's current steps, start the first
 * sequence, and hand the enrollment to the workflow, all with no manual step.
 */
export async function enrollStudent(deps: EnrollmentDeps, input: EnrollStudentInput, admin: Actor): Promise<AdminEnrollmentView> {
  const { repo, clock } = deps;
  const program = await repo.getProgram(input.programId);
  if (!program) throw validationError(`programId "${input.programId}" is not a program; GET /api/programs lists them`);
  const now = clock.now().toISOString();

  const student = await repo.ensureStudent({
    id: randomUUID(),
    email: input.studentEmail,
    name: input.studentName ?? nameFromEmail(input.studentEmail),
    createdAt: now,
  });
  const links = Object.entries(input.partnerAccounts ?? {})
    .filter(([partnerId, externalId]) => externalId && student.accounts[partnerId as PartnerId] !== externalId)
    .map(([partnerId, externalId]) => ({ partnerId: partnerId as PartnerId, externalId: externalId }));

  const enrollment: Enrollment = {
    ...newEnrollment(randomUUID(), student, program, now, admin.email),
    advanceRequestedAt: now,
  };
  let steps = generateSteps(program);
  for (const step of planAdvance('active', steps).start) steps = withStepStatus(steps, step.index, 'in_progress', now);

  await repo.createEnrollment({
    enrollment,
    steps,
    links,
    counters: [enrollmentCreated(program.id), ...steps.map((s) => stepMoved(s.partnerId, null, s.status))],
  });
  // Completions that arrived before this enrollment existed wait in the unmatched inbox. Done
  // before the workflow starts: if this dies first, the advance request it leaves makes the
  // reconciler do both.
  const accounts = { ...student.accounts, ...Object.fromEntries(links.map((l) => [l.partnerId, l.externalId])) };
  await reapplyUnmatchedFor(deps, waitingEventOwners({ ...student, accounts }));
  await startWorkflow(deps, enrollment.id, 'enrolled');

  return readAdminView(deps, enrollment.id);
}

type ReadDeps = Pick<EnrollmentDeps, 'repo' | 'settings'>;

/** Admins see the admin view of any enrollment; a student, the student view of their own. */
const viewFor = (actor: Actor) => (actor.isAdmin ? toAdminEnrollmentView : toStudentEnrollmentView);

/** An enrollment for its own student or an admin; anyone else gets the same 404 as a missing id. */
export async function readEnrollment(deps: ReadDeps, id: string, actor: Actor): Promise<EnrollmentView | AdminEnrollmentView> {
  const { data, accounts } = await findEnrollment(deps, id, actor);
  return viewFor(actor)(data.enrollment, data.steps, accounts, deps.settings.siteUrl);
}

/** The admin view of an enrollment, after an admin's action on it. */
export async function readAdminView(deps: ReadDeps, id: string): Promise<AdminEnrollmentView> {
  const { data, accounts } = await findEnrollment(deps, id);
  return toAdminEnrollmentView(data.enrollment, data.steps, accounts, deps.settings.siteUrl);
}

/** The enrollment with its student's partner accounts; a student asking for another's gets a 404. */
async function findEnrollment(deps: ReadDeps, id: string, actor?: Actor) {
  const data = await getEnrollment(deps.repo, id);
  if (actor && !actor.isAdmin && data.enrollment.studentEmail !== actor.email) {
    throw new DomainError('ENROLLMENT_NOT_FOUND', `no enrollment ${data.enrollment.id}`);
  }
  const student = await deps.repo.getStudent(data.enrollment.studentId);
  return { data, accounts: student?.accounts ?? {} };
}

/**
 * The enrollment and its steps, or ENROLLMENT_NOT_FOUND. An id that cannot be an enrollment's
 * gets the same 404 as one that does not exist, and never reaches the table.
 */
export async function getEnrollment(repo: Repository, id: string) {
  const normalized = normalizeEnrollmentId(id);
  const data = normalized ? await repo.getEnrollment(normalized) : undefined;
  if (data) return data;
  const shown = id.length > 40 ? `${id.slice(0, 40)}…` : id;
  throw new DomainError(
    'ENROLLMENT_NOT_FOUND',
    normalized ? `no enrollment ${normalized}` : `no enrollment "${shown}": enrollment ids are UUIDs`,
  );
}

/** The caller's own enrollments, newest first. */
export async function listMyEnrollments(deps: ReadDeps, actor: Actor): Promise<Array<EnrollmentView | AdminEnrollmentView>> {
  const student = await deps.repo.findStudentByEmail(actor.email);
  if (!student) return [];
  return listForStudent(deps, student, viewFor(actor));
}

async function listForStudent<V extends EnrollmentView>(
  deps: ReadDeps,
  student: Student,
  view: (...args: Parameters<typeof toStudentEnrollmentView>) => V,
) {
  const enrollments = await deps.repo.listStudentEnrollments(student.id);
  return enrollments.map(({ enrollment, steps }) => view(enrollment, steps, student.accounts, deps.settings.siteUrl));
}

/** Admin search by student email or name prefix. */
export async function searchEnrollments(deps: ReadDeps, query: string): Promise<AdminEnrollmentView[]> {
  const trimmed = query.trim();
  if (trimmed.length < 2) throw validationError('q must be at least 2 characters of a student name or email');
  const students = await deps.repo.searchStudents(trimmed, 20);
  const views = await Promise.all(
    students.map(async (s) => listForStudent(deps, (await deps.repo.getStudent(s.id)) ?? s, toAdminEnrollmentView)),
  );
  return views.flat();
}

export type OverrideAction = 'complete' | 'waive';

/** Attempts at an override whose enrollment keeps changing between the read and the write. */
const OVERRIDE_ATTEMPTS = 3;

/** Admin override: mark a step complete or waive it, with who and why recorded on the step. */
export async function overrideStep(
  deps: EnrollmentDeps,
  input: { enrollmentId: string; sequence: number; partnerId?: string; action: OverrideAction; reason: string },
  admin: Actor,
): Promise<AdminEnrollmentView> {
  for (let attempt = 1; attempt <= OVERRIDE_ATTEMPTS; attempt++) {
    const data = await getEnrollment(deps.repo, input.enrollmentId);
    const enrollmentId = data.enrollment.id;
    if (data.enrollment.status !== 'active') {
      throw new DomainError('ENROLLMENT_NOT_ACTIVE', `enrollment is ${data.enrollment.status}; only active enrollments change`);
    }
    const found = findStepBySequence(data.steps, input.sequence, input.partnerId);
    if ('error' in found) {
      if (found.error === 'ambiguous') {
        const partners = found.candidates.map((s) => s.partnerId).join(', ');
        throw new DomainError('STEP_AMBIGUOUS', `sequence ${input.sequence} has several steps (${partners}); send "partnerId" to pick one`);
      }
      throw new DomainError(
        'STEP_NOT_FOUND',
        `enrollment has no step with sequence ${input.sequence}${input.partnerId ? ` at ${input.partnerId}` : ''}`,
      );
    }
    const step = found.step;
    if (isDone(step)) {
      throw new DomainError('STEP_ALREADY_DONE', `${partnerName(step.partnerId)} step is already ${step.status}`);
    }
    const to = input.action === 'complete' ? 'completed' : 'waived';
    const at = deps.clock.now().toISOString();
    const result = await deps.repo.commitTransition({
      changes: [
        {
          enrollmentId,
          ...stepChanges([{ step, to, resolution: { source: 'admin', by: admin.email, reason: input.reason } }], at),
          requestAdvanceAt: at,
        },
      ],
    });
    if (result.ok) {
      await startWorkflow(deps, enrollmentId, `s${step.index}-${to}`);
      return readAdminView(deps, enrollmentId);
    }
  }
  // Each attempt re-read a step that was still open on an active enrollment, and each write found
  // it changed again (the workflow or a partner was updating it): not a refusal, just bad timing.
  throw new DomainError(
    'CONCURRENT_CHANGE',
    `the enrollment changed ${OVERRIDE_ATTEMPTS} times while this override was being saved, and nothing was saved; reload it and try again`,
  );
}

/** Admin retry of a workflow that failed for good (e.g. the certificate or email task). */
export async function retryWorkflow(
  deps: EnrollmentDeps,
  input: { enrollmentId: string; resendEmail: boolean },
  admin: Actor,
): Promise<AdminEnrollmentView> {
  const enrollmentId = (await getEnrollment(deps.repo, input.enrollmentId)).enrollment.id;
  const at = deps.clock.now().toISOString();
  const retried = await deps.repo.retryAfterFailure(enrollmentId, at, input.resendEmail);
  if (!retried) throw new DomainError('NOTHING_TO_RETRY', 'this enrollment has no failed workflow to retry');
  deps.logger.info('admin retried workflow', { enrollmentId, admin: admin.email, resendEmail: input.resendEmail });
  await startWorkflow(deps, enrollmentId, `retry-${Date.parse(at)}`);
  return readAdminView(deps, enrollmentId);
}

function nameFromEmail(email: string): string {
  const local = email.split('@')[0] ?? email;
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join(' ');
}
