// Enrolling a student, and reading enrollments: an admin any, a student their own.
import { randomUUID } from 'node:crypto';
import { normalizeEnrollmentId, type EnrollmentState } from '../domain/enrollment.js';
import { decide, evolveAll } from '../domain/enrollment-decider.js';
import { DomainError, validationError } from '../domain/errors.js';
import { directoryOf, type PartnerDirectory, type PartnerId } from '../domain/partners.js';
import type { Student } from '../domain/student.js';
import {
  toAdminEnrollmentView,
  toStudentEnrollmentView,
  type AdminEnrollmentView,
  type EnrollmentView,
  type ViewContext,
} from './enrollment-view.js';
import type { Logger } from './logger.js';
import type { CatalogStore } from './ports/catalog.js';
import type { PartnerStore } from './ports/partners.js';
import type { EnrollmentStore } from './ports/enrollments.js';
import type { Clock, Settings, WorkflowStarter } from './ports/services.js';
import type { StudentStore } from './ports/students.js';
import type { DeliveryStore } from './ports/deliveries.js';
import type { SuppressionList } from './ports/suppressions.js';
import { retrying } from './retry.js';
import { startWorkflow } from './start-workflow.js';
import { describe, type StudentEmailDeps } from './email-delivery.js';
import { sendWelcome } from './student-emails.js';
import { completionOfCourses, reapplyWaiting, waitingOwners } from './waiting-events.js';

/** Who is calling: the claims of a verified Cognito (or local-mode) access token. */
export interface Actor {
  sub: string;
  email: string;
  isAdmin: boolean;
  /** An admin or a viewer: may read what admins read (every route that changes something stays admin-only). */
  isStaff: boolean;
}

export interface EnrollmentDeps extends Partial<Pick<StudentEmailDeps, 'mailer' | 'unsubscribeKeys' | 'organization'>> {
  catalog: CatalogStore;
  partners: PartnerStore;
  students: StudentStore;
  suppressions: SuppressionList;
  enrollments: EnrollmentStore;
  deliveries: DeliveryStore;
  workflow: WorkflowStarter;
  clock: Clock;
  settings: Settings;
  logger: Logger;
}

export interface EnrollStudentInput {
  studentEmail: string;
  studentName?: string;
  programId: string;
  partnerAccounts?: Record<PartnerId, string>;
}

/**
 * The seed's generate_enrollment_steps: snapshot the program's current steps, start the first
 * sequence, and hand the enrollment to the workflow, all with no manual step.
 */
export async function enrollStudent(
  deps: EnrollmentDeps & Pick<StudentEmailDeps, 'mailer' | 'unsubscribeKeys' | 'organization'>,
  input: EnrollStudentInput,
  admin: Actor,
): Promise<AdminEnrollmentView> {
  const enrollmentId = await enroll(deps, input, admin, { welcome: 'now' });
  return readAdminView(deps, enrollmentId);
}

/**
 * Enrolls the student (what POST /api/enrollments does) and answers the enrollment's id. The
 * welcome email goes out now, or (`sweep`, for bulk enrollment: no slow side effect per row) is
 * left to the reminder sweep, which sends every welcome a request did not (the claim keeps it to one).
 */
export async function enroll(
  deps: EnrollmentDeps & Partial<Pick<StudentEmailDeps, 'mailer' | 'unsubscribeKeys' | 'organization'>>,
  input: EnrollStudentInput,
  admin: Pick<Actor, 'email'>,
  options: { welcome: 'now' | 'sweep' },
): Promise<string> {
  const program = await deps.catalog.get(input.programId);
  if (!program) throw validationError(`programId "${input.programId}" is not a program; GET /api/programs lists them`);
  const now = deps.clock.now().toISOString();
  const student = await retrying(`the student ${input.studentEmail}`, async () => ({
    done: await deps.students.ensure({
      id: randomUUID(),
      email: input.studentEmail,
      name: input.studentName ?? nameFromEmail(input.studentEmail),
      createdAt: now,
    }),
  }));
  const links = Object.entries(input.partnerAccounts ?? {})
    .filter(([partnerId, externalId]) => externalId && student.accounts[partnerId] !== externalId)
    .map(([partnerId, externalId]) => ({ partnerId: partnerId, externalId: externalId, studentId: student.id, at: now }));

  const decision = decide(undefined, { type: 'enroll', at: now, enrollmentId: randomUUID(), student, program, by: admin.email });
  if (!decision.ok) throw new DomainError(decision.refusal.code, decision.refusal.message);
  const created = evolveAll(undefined, decision.events);
  await retrying(`enrolling ${student.email}`, async () => {
    const saved = await deps.enrollments.save([{ before: undefined, events: decision.events }], { links });
    if (saved.ok) return { done: undefined };
    if (saved.conflict === 'account_taken')
      throw new DomainError('PARTNER_ACCOUNT_TAKEN', 'one of the partner accounts is already linked to another student');
    if (saved.conflict === 'active_enrollment_exists') {
      throw new DomainError('ACTIVE_ENROLLMENT_EXISTS', `${student.email} already has an active enrollment in ${program.name}`);
    }
    return { again: saved.conflict };
  });
  // Completions that arrived before this enrollment existed wait in the unmatched inbox: apply the
  // ones its steps can use. Done before the workflow starts: if this dies first, the advance
  // request it leaves makes the reconciler do both.
  const accounts = { ...student.accounts, ...Object.fromEntries(links.map((l) => [l.partnerId, l.externalId])) };
  await reapplyWaiting(deps, student.id, waitingOwners({ ...student, accounts }), completionOfCourses(created.steps));
  await startWorkflow(deps, created.enrollment.id, 'enrolled');
  // At once, with the enrollment; if this fails or dies, the sweep sends it (the claim keeps it to one).
  if (options.welcome === 'now' && deps.mailer && deps.unsubscribeKeys && deps.organization) {
    const emailDeps = { ...deps, mailer: deps.mailer, unsubscribeKeys: deps.unsubscribeKeys, organization: deps.organization };
    await sendWelcome(emailDeps, created.enrollment.id).catch((error: unknown) =>
      deps.logger.error('welcome email not sent now; the sweep sends it', { enrollmentId: created.enrollment.id, error: describe(error) }),
    );
  }
  return created.enrollment.id;
}

type ReadDeps = Pick<EnrollmentDeps, 'students' | 'enrollments' | 'settings' | 'partners' | 'clock'> & { suppressions: SuppressionList };

/** The partner records views show names, links and instructions from (one query). */
export const partnerDirectory = async (partners: PartnerStore): Promise<PartnerDirectory> => directoryOf(await partners.list());

/** What a view of this student's enrollments shows besides them: partners, the time, account history, reminder preference, a suppression. */
async function viewContext(
  deps: ReadDeps,
  student: Student | undefined,
  email: string,
  directory?: PartnerDirectory,
): Promise<ViewContext> {
  const [partners, suppression] = await Promise.all([directory ?? partnerDirectory(deps.partners), deps.suppressions.get(email)]);
  return {
    partners,
    now: deps.clock.now(),
    ...(student?.accountHistory ? { accountHistory: student.accountHistory } : {}),
    ...(student?.remindersOff ? { remindersOff: student.remindersOff } : {}),
    ...(suppression ? { suppression } : {}),
  };
}

/** Staff (admins and viewers) see the admin view of any enrollment; a student, the student view of their own. */
const viewFor = (actor: Actor) => (actor.isStaff ? toAdminEnrollmentView : toStudentEnrollmentView);

/** An enrollment for its own student or an admin; anyone else gets the same 404 as a missing id. */
export async function readEnrollment(deps: ReadDeps, id: string, actor: Actor): Promise<EnrollmentView | AdminEnrollmentView> {
  const state = await getEnrollment(deps.enrollments, id);
  const student = await deps.students.get(state.enrollment.studentId);
  if (!actor.isStaff && !(student && (await owns(deps, student, actor, { claim: false })))) {
    throw new DomainError('ENROLLMENT_NOT_FOUND', `no enrollment ${state.enrollment.id}`);
  }
  const context = await viewContext(deps, student, state.enrollment.studentEmail);
  return viewFor(actor)(state.enrollment, state.steps, student?.accounts ?? {}, deps.settings.siteUrl, context);
}

/** The admin view of an enrollment, after an admin's action on it. */
export async function readAdminView(deps: ReadDeps, id: string): Promise<AdminEnrollmentView> {
  const state = await getEnrollment(deps.enrollments, id);
  const student = await deps.students.get(state.enrollment.studentId);
  const context = await viewContext(deps, student, state.enrollment.studentEmail);
  return toAdminEnrollmentView(state.enrollment, state.steps, student?.accounts ?? {}, deps.settings.siteUrl, context);
}

/**
 * The enrollment id in its stored form, or ENROLLMENT_NOT_FOUND: an id that cannot be an
 * enrollment's gets the same 404 as one that does not exist, and never reaches the table.
 */
export function enrollmentIdOf(id: string): string {
  const normalized = normalizeEnrollmentId(id);
  if (normalized) return normalized;
  const shown = id.length > 40 ? `${id.slice(0, 40)}…` : id;
  throw new DomainError('ENROLLMENT_NOT_FOUND', `no enrollment "${shown}": enrollment ids are UUIDs`);
}

/** The enrollment and its steps, or ENROLLMENT_NOT_FOUND. */
export async function getEnrollment(enrollments: EnrollmentStore, id: string): Promise<EnrollmentState> {
  const enrollmentId = enrollmentIdOf(id);
  const snapshot = await enrollments.load(enrollmentId);
  if (!snapshot) throw new DomainError('ENROLLMENT_NOT_FOUND', `no enrollment ${enrollmentId}`);
  return snapshot.state;
}

/**
 * Whether the signed-in caller is this student. The student's own page (`claim`) claims the
 * student for the first account that signs in with its email (`sub`); from then on the account
 * decides, so another account that comes to carry the same email (a recycled address, a second
 * identity provider) is not them. Until then the email, compared exactly, decides.
 */
export async function owns(
  deps: Pick<ReadDeps, 'students'>,
  student: Student,
  actor: Actor,
  options: { claim: boolean },
): Promise<boolean> {
  if (student.sub) return student.sub === actor.sub;
  if (student.email !== actor.email) return false;
  return options.claim ? deps.students.claim(student.id, actor.sub) : true;
}

/** The caller's own enrollments, newest first. */
export async function listMyEnrollments(deps: ReadDeps, actor: Actor): Promise<Array<EnrollmentView | AdminEnrollmentView>> {
  const student = await deps.students.findByEmail(actor.email);
  if (!student || !(await owns(deps, student, actor, { claim: true }))) return [];
  return listForStudent(deps, student, viewFor(actor));
}

async function listForStudent<V extends EnrollmentView>(
  deps: ReadDeps,
  student: Student,
  view: (...args: Parameters<typeof toStudentEnrollmentView>) => V,
  directory?: PartnerDirectory,
) {
  const [enrollments, context] = await Promise.all([
    deps.enrollments.listForStudent(student.id),
    viewContext(deps, student, student.email, directory),
  ]);
  return enrollments.map(({ enrollment, steps }) => view(enrollment, steps, student.accounts, deps.settings.siteUrl, context));
}

function nameFromEmail(email: string): string {
  const local = email.split('@')[0] ?? email;
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join(' ');
}
