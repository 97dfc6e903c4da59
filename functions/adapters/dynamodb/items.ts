// Item shapes: domain objects ↔ DynamoDB items. Keys come from keys.ts; nothing here decides
// when a write happens.
import type { Certificate } from '../../domain/certificates.js';
import type { Enrollment, EnrollmentStep } from '../../domain/enrollment.js';
import type { Program } from '../../domain/programs.js';
import type { Delivery, Student } from '../../use-cases/ports.js';
import { indexKeys, keys } from './keys.js';

export type Item = Record<string, unknown>;

/** Settled deliveries are kept this long: the dedupe window (≥ 7 days) plus audit time. */
export const DELIVERY_RETENTION_SECONDS = 30 * 24 * 3600;

const ENTITY = 'entity';

export function programItem(program: Program): Item {
  return { ...keys.program(program.id), [ENTITY]: 'program', ...program };
}

export function programVersionItem(program: Program): Item {
  return { ...keys.programVersion(program.id, program.version), [ENTITY]: 'programVersion', ...program };
}

export function toProgram(item: Item): Program {
  return {
    id: item.id as string,
    name: item.name as string,
    category: item.category as Program['category'],
    // Map attributes come back in any order; rebuild each step with the domain's field order.
    steps: (item.steps as Program['steps']).map((s) => ({
      sequence: s.sequence,
      partnerId: s.partnerId,
      courseId: s.courseId,
      courseName: s.courseName,
      required: s.required,
      completion: s.completion,
    })),
    version: item.version as number,
    updatedAt: item.updatedAt as string,
  };
}

export function studentProfileItem(student: Omit<Student, 'accounts'>): Item {
  return {
    ...keys.studentProfile(student.id),
    ...indexKeys.studentByName(student.name, student.id),
    ...indexKeys.studentByEmail(student.email),
    [ENTITY]: 'student',
    id: student.id,
    name: student.name,
    email: student.email,
    createdAt: student.createdAt,
  };
}

/** Builds a Student from the items of its partition (profile + account items). */
export function toStudent(items: Item[]): Student | undefined {
  const profile = items.find((i) => i[ENTITY] === 'student');
  if (!profile) return undefined;
  const accounts: Student['accounts'] = {};
  for (const item of items) {
    if (item[ENTITY] === 'studentAccount') accounts[item.partnerId as keyof Student['accounts']] = item.externalId as string;
  }
  return {
    id: profile.id as string,
    name: profile.name as string,
    email: profile.email as string,
    createdAt: profile.createdAt as string,
    accounts,
  };
}

export function enrollmentItem(enrollment: Enrollment): Item {
  return {
    ...keys.enrollment(enrollment.id),
    ...indexKeys.studentEnrollment(enrollment.studentId, enrollment.createdAt, enrollment.id),
    ...(enrollment.advanceRequestedAt ? indexKeys.advanceDue(enrollment.advanceRequestedAt, enrollment.id) : {}),
    [ENTITY]: 'enrollment',
    ...enrollment,
    version: 1,
  };
}

/** The email → student pointer that also makes emails unique. */
export function studentEmailItem(email: string, studentId: string): Item {
  return { ...keys.studentEmail(email), [ENTITY]: 'studentEmail', studentId };
}

export interface PartnerAccountLink {
  partnerId: string;
  externalId: string;
  studentId: string;
  at: string;
}

/** The (partner, external id) → student pointer, unique per account. */
export function partnerAccountItem(link: PartnerAccountLink): Item {
  return { ...keys.partnerAccount(link.partnerId, link.externalId), [ENTITY]: 'partnerAccount', ...link };
}

/** The student's own record of a partner account (read with the profile in one Query). */
export function studentAccountItem(link: PartnerAccountLink): Item {
  return { ...keys.studentAccount(link.studentId, link.partnerId), [ENTITY]: 'studentAccount', ...link };
}

/** Exists while the student has an active enrollment in the program. */
export function activeEnrollmentItem(enrollment: Pick<Enrollment, 'id' | 'studentId' | 'programId'>): Item {
  return {
    ...keys.activeEnrollment(enrollment.studentId, enrollment.programId),
    [ENTITY]: 'activeEnrollment',
    enrollmentId: enrollment.id,
  };
}

const ENROLLMENT_FIELDS = [
  'id',
  'studentId',
  'studentName',
  'studentEmail',
  'programId',
  'programName',
  'programVersion',
  'status',
  'createdAt',
  'createdBy',
  'completedAt',
  'cancellation',
  'certificateId',
  'certificateIssuedAt',
  'emailSentAt',
  'emailClaimedAt',
  'advanceRequestedAt',
  'workflowFailure',
] as const satisfies ReadonlyArray<keyof Enrollment>;

export function toEnrollment(item: Item): Enrollment {
  const enrollment: Record<string, unknown> = {};
  for (const field of ENROLLMENT_FIELDS) if (item[field] !== undefined) enrollment[field] = item[field];
  return enrollment as unknown as Enrollment;
}

export function stepItem(enrollment: Enrollment, step: EnrollmentStep): Item {
  return {
    ...keys.step(enrollment.id, step.index),
    ...indexKeys.studentCourse(enrollment.studentId, step.partnerId, step.courseId, enrollment.id),
    ...(step.status === 'in_progress' && step.startedAt ? indexKeys.inProgressStep(step.startedAt, enrollment.id, step.index) : {}),
    [ENTITY]: 'step',
    enrollmentId: enrollment.id,
    // Denormalized so the stuck-students list needs no second read.
    studentName: enrollment.studentName,
    studentEmail: enrollment.studentEmail,
    ...step,
  };
}

const STEP_FIELDS = [
  'index',
  'sequence',
  'partnerId',
  'courseId',
  'courseName',
  'required',
  'completion',
  'status',
  'startedAt',
  'completedAt',
  'closedAt',
  'resolution',
] as const satisfies ReadonlyArray<keyof EnrollmentStep>;

export function toStep(item: Item): EnrollmentStep {
  const step: Record<string, unknown> = {};
  for (const field of STEP_FIELDS) if (item[field] !== undefined) step[field] = item[field];
  return step as unknown as EnrollmentStep;
}

export function deliveryItem(delivery: Delivery, nowSeconds: number): Item {
  const unmatched = delivery.outcome === 'unmatched';
  const event = delivery.event.kind === 'completion' ? delivery.event : undefined;
  return {
    ...keys.delivery(delivery.partnerId, delivery.webhookId),
    ...(unmatched && event ? unmatchedOwnerIndex(delivery, event) : {}),
    ...(unmatched ? indexKeys.unmatchedInbox(delivery.receivedAt, delivery.partnerId, delivery.webhookId) : {}),
    [ENTITY]: 'delivery',
    ...delivery,
    // Unmatched deliveries stay until an admin resolves them; settled ones expire after the window.
    ...(unmatched ? {} : { expiresAt: nowSeconds + DELIVERY_RETENTION_SECONDS }),
  };
}

/**
 * Where an unmatched event waits to be re-applied: under its student when known (no step yet),
 * else under the partner account it names, else under its email.
 */
function unmatchedOwnerIndex(delivery: Delivery, event: Extract<Delivery['event'], { kind: 'completion' }>) {
  const { receivedAt, webhookId } = delivery;
  if (delivery.studentId) return indexKeys.unmatchedForStudent(delivery.studentId, receivedAt, webhookId);
  if (event.externalId) return indexKeys.unmatchedForAccount(delivery.partnerId, event.externalId, receivedAt, webhookId);
  if (event.email) return indexKeys.unmatchedForEmail(event.email, receivedAt, webhookId);
  return {};
}

/**
 * An unmatched delivery that names a partner account waits under that account; if it also names
 * an email, this second item waits under the email, so enrolling the student by email alone (the
 * account unknown to Baton) finds it too. Deleted when the delivery is settled.
 */
export function unmatchedEmailPointerItem(delivery: Delivery): Item | undefined {
  const event = delivery.event.kind === 'completion' ? delivery.event : undefined;
  if (delivery.outcome !== 'unmatched' || delivery.studentId || !event?.externalId || !event.email) return undefined;
  const { partnerId, webhookId, receivedAt, outcome } = delivery;
  return {
    ...keys.unmatchedEmailPointer(partnerId, webhookId),
    ...indexKeys.unmatchedForEmail(event.email, receivedAt, webhookId),
    [ENTITY]: 'unmatchedEmailPointer',
    partnerId,
    webhookId,
    receivedAt,
    outcome,
    event,
  };
}

const DELIVERY_FIELDS = [
  'partnerId',
  'webhookId',
  'receivedAt',
  'outcome',
  'reason',
  'rawBody',
  'headers',
  'event',
  'studentId',
  'appliedTo',
  'resolvedAt',
  'dismissal',
] as const satisfies ReadonlyArray<keyof Delivery>;

export function toDelivery(item: Item): Delivery {
  const delivery: Record<string, unknown> = {};
  for (const field of DELIVERY_FIELDS) if (item[field] !== undefined) delivery[field] = item[field];
  return delivery as unknown as Delivery;
}

export function certificateItem(certificate: Certificate): Item {
  return { ...keys.certificate(certificate.id), [ENTITY]: 'certificate', ...certificate };
}

export function toCertificate(item: Item): Certificate {
  const { pk: _pk, sk: _sk, [ENTITY]: _entity, ...certificate } = item;
  return certificate as unknown as Certificate;
}

export const isEntity = (item: Item, entity: string) => item[ENTITY] === entity;
