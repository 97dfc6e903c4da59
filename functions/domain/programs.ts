import { DomainError } from './errors.js';
import { isPartnerId, type PartnerId, type PartnerStatus } from './partners.js';
import { DEFAULT_REMINDERS, isIntegerIn, validateReminders, type ReminderRules } from './reminder-rules.js';
import { SEED_PARTNER_IDS } from './seed-partners.js';

export const PROGRAM_CATEGORIES = [
  'Healthcare',
  'Beauty/Cosmetology',
  'Technical/Trade',
  'IT/Tech',
  'Business/Admin',
  'Specialized',
] as const;
export type ProgramCategory = (typeof PROGRAM_CATEGORIES)[number];

/** Which partner event completes a step: any completion, or only a passing result. */
export type CompletionRule = 'completed' | 'passed';

export interface ProgramStep {
  /** Steps run in ascending sequence; steps that share a sequence run in parallel. */
  sequence: number;
  partnerId: PartnerId;
  courseId: string;
  courseName: string;
  /** Optional steps are offered but never block advancement or completion. */
  required: boolean;
  completion: CompletionRule;
  /** Days the student has to complete the step once it starts (its `dueAt`); none: no due date. */
  dueDays?: number;
}

export interface ProgramDefinition {
  id: string;
  name: string;
  category: ProgramCategory;
  steps: ProgramStep[];
  /** Certificates of this program expire this many months after completion (CPR, OSHA cards); none: never. */
  certificateValidityMonths?: number;
  /** The program that renews this one's certificate (a shorter path), offered when it nears expiry. */
  renewalProgramId?: string;
  /** Reminder emails about steps that stay open; null: none for this program. */
  reminders: ReminderRules | null;
  /** Classification of Instructional Programs code (NN.NNNN), for funder reports (PIRL 1305). */
  cipCode?: string;
  /** O*NET-SOC occupation code (NN-NNNN.NN), for funder reports (PIRL 1306). */
  onetCode?: string;
}

const CIP_CODE = /^\d{2}\.\d{4}$/;
const ONET_CODE = /^\d{2}-\d{4}\.\d{2}$/;

export interface Program extends ProgramDefinition {
  /** Incremented on every edit; enrollments keep the steps of the version they started with. */
  version: number;
  updatedAt: string;
}

const PROGRAM_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const COURSE_ID = /^[\x21-\x7e]{1,128}$/;

/** The partners a program may name, by id (the shipped ones unless the caller has the stored records). */
export type KnownPartners = ReadonlyMap<PartnerId, { status: PartnerStatus }>;
const SHIPPED_PARTNERS: KnownPartners = new Map(SEED_PARTNER_IDS.map((id) => [id, { status: 'active' }]));

/**
 * Checks a program definition from untrusted input (admin edits, the catalog file) and
 * returns it with steps ordered by sequence. Throws INVALID_PROGRAM / UNKNOWN_PARTNER with
 * a message naming the offending step: every step's partner must exist and be active.
 */
export function validateProgram(input: unknown, partners: KnownPartners = SHIPPED_PARTNERS): ProgramDefinition {
  const invalid = (message: string) => new DomainError('INVALID_PROGRAM', message);
  if (typeof input !== 'object' || input === null) throw invalid('program must be an object');
  const p = input as Record<string, unknown>;
  if (typeof p.id !== 'string' || !PROGRAM_ID.test(p.id)) {
    throw invalid('program id must be 1-63 lowercase letters, digits or dashes');
  }
  if (typeof p.name !== 'string' || p.name.trim() === '' || p.name.length > 120) {
    throw invalid(`program ${p.id}: name must be 1-120 characters`);
  }
  if (!PROGRAM_CATEGORIES.includes(p.category as ProgramCategory)) {
    throw invalid(`program ${p.id}: category must be one of ${PROGRAM_CATEGORIES.join(', ')}`);
  }
  if (!Array.isArray(p.steps) || p.steps.length === 0) {
    throw invalid(`program ${p.id} has no steps; a program needs at least one partner step`);
  }
  if (p.steps.length > 20) throw invalid(`program ${p.id} has ${p.steps.length} steps; the limit is 20`);

  const programId = p.id; // a string here; the callback below would not keep that narrowing of p.id
  const seen = new Set<string>();
  const steps = p.steps.map((raw: unknown, i): ProgramStep => {
    const where = `program ${programId} step ${i + 1}`;
    if (typeof raw !== 'object' || raw === null) throw invalid(`${where} must be an object`);
    const s = raw as Record<string, unknown>;
    const partnerId = isPartnerId(s.partnerId) ? s.partnerId : undefined;
    const partner = partnerId === undefined ? undefined : partners.get(partnerId);
    if (!partnerId || !partner) throw new DomainError('UNKNOWN_PARTNER', `${where}: unknown partner "${String(s.partnerId).slice(0, 50)}"`);
    if (partner.status !== 'active')
      throw new DomainError('UNKNOWN_PARTNER', `${where}: partner "${partnerId}" is disabled; enable it first`);
    if (typeof s.courseId !== 'string' || !COURSE_ID.test(s.courseId)) {
      throw invalid(`${where}: courseId must be 1-128 printable characters without spaces`);
    }
    if (!Number.isInteger(s.sequence) || (s.sequence as number) < 1 || (s.sequence as number) > 99) {
      throw invalid(`${where}: sequence must be an integer from 1 to 99`);
    }
    const key = `${partnerId}/${s.courseId}`;
    if (seen.has(key)) throw invalid(`${where}: duplicate course ${key}`);
    seen.add(key);
    const completion = s.completion ?? 'completed';
    if (completion !== 'completed' && completion !== 'passed') {
      throw invalid(`${where}: completion must be "completed" or "passed"`);
    }
    if (s.required !== undefined && typeof s.required !== 'boolean') {
      throw invalid(`${where}: required must be true or false`);
    }
    if (s.courseName !== undefined && (typeof s.courseName !== 'string' || s.courseName.length > 120)) {
      throw invalid(`${where}: courseName must be a string of at most 120 characters`);
    }
    if (s.dueDays !== undefined && s.dueDays !== null && !isIntegerIn(s.dueDays, 1, MAX_DUE_DAYS)) {
      throw invalid(`${where}: dueDays must be a whole number of days from 1 to ${MAX_DUE_DAYS} (or left out for no due date)`);
    }
    return {
      sequence: s.sequence as number,
      partnerId,
      courseId: s.courseId,
      courseName: s.courseName ?? s.courseId,
      required: s.required ?? true,
      completion,
      ...(typeof s.dueDays === 'number' ? { dueDays: s.dueDays } : {}),
    };
  });
  if (!steps.some((s) => s.required)) throw invalid(`program ${p.id} needs at least one required step`);

  if (
    p.certificateValidityMonths !== undefined &&
    (!Number.isInteger(p.certificateValidityMonths) ||
      (p.certificateValidityMonths as number) < 1 ||
      (p.certificateValidityMonths as number) > 120)
  ) {
    throw invalid(
      `program ${p.id}: certificateValidityMonths must be a whole number of months from 1 to 120 (leave it out: never expires)`,
    );
  }
  if (p.renewalProgramId !== undefined && (typeof p.renewalProgramId !== 'string' || !PROGRAM_ID.test(p.renewalProgramId))) {
    throw invalid(`program ${p.id}: renewalProgramId must be a program id (1-63 lowercase letters, digits or dashes)`);
  }
  if (p.renewalProgramId === p.id) throw invalid(`program ${p.id}: renewalProgramId cannot name the program itself`);

  if (p.cipCode !== undefined && (typeof p.cipCode !== 'string' || !CIP_CODE.test(p.cipCode)))
    throw invalid(`program ${p.id}: cipCode must be a CIP code like 51.0801`);
  if (p.onetCode !== undefined && (typeof p.onetCode !== 'string' || !ONET_CODE.test(p.onetCode)))
    throw invalid(`program ${p.id}: onetCode must be an O*NET-SOC code like 31-9092.00`);
  steps.sort((a, b) => a.sequence - b.sequence);
  const reminders = p.reminders === undefined ? DEFAULT_REMINDERS : validateReminders(p.reminders, `program ${p.id}`);
  return {
    id: p.id,
    name: p.name.trim(),
    category: p.category as ProgramCategory,
    steps,
    reminders,
    ...(p.certificateValidityMonths !== undefined ? { certificateValidityMonths: p.certificateValidityMonths as number } : {}),
    ...(p.renewalProgramId !== undefined ? { renewalProgramId: p.renewalProgramId } : {}),
    ...(p.cipCode ? { cipCode: p.cipCode } : {}),
    ...(p.onetCode ? { onetCode: p.onetCode } : {}),
  };
}

const MAX_DUE_DAYS = 3650;
/** True when two definitions would produce the same enrollments (used to skip no-op edits). */
export function sameSteps(a: readonly ProgramStep[], b: readonly ProgramStep[]): boolean {
  const canonical = (s: ProgramStep) =>
    [s.sequence, s.partnerId, s.courseId, s.courseName, s.required, s.completion, s.dueDays ?? ''].join('\u0000');
  return a.length === b.length && a.every((step, i) => canonical(step) === canonical(b[i]!));
}
