import { DomainError } from './errors.js';
import { isPartnerId, type PartnerId } from './partners.js';

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
}

export interface ProgramDefinition {
  id: string;
  name: string;
  category: ProgramCategory;
  steps: ProgramStep[];
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

/**
 * Checks a program definition from untrusted input (admin edits, the catalog file) and
 * returns it with steps ordered by sequence. Throws INVALID_PROGRAM / UNKNOWN_PARTNER with
 * a message naming the offending step.
 */
export function validateProgram(input: unknown): ProgramDefinition {
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
    if (!isPartnerId(s.partnerId)) {
      throw new DomainError('UNKNOWN_PARTNER', `${where}: unknown partner "${String(s.partnerId)}"`);
    }
    if (typeof s.courseId !== 'string' || !COURSE_ID.test(s.courseId)) {
      throw invalid(`${where}: courseId must be 1-128 printable characters without spaces`);
    }
    if (!Number.isInteger(s.sequence) || (s.sequence as number) < 1 || (s.sequence as number) > 99) {
      throw invalid(`${where}: sequence must be an integer from 1 to 99`);
    }
    const key = `${s.partnerId}/${s.courseId}`;
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
    return {
      sequence: s.sequence as number,
      partnerId: s.partnerId,
      courseId: s.courseId,
      courseName: s.courseName ?? s.courseId,
      required: s.required ?? true,
      completion,
    };
  });
  if (!steps.some((s) => s.required)) throw invalid(`program ${p.id} needs at least one required step`);

  if (p.cipCode !== undefined && (typeof p.cipCode !== 'string' || !CIP_CODE.test(p.cipCode)))
    throw invalid(`program ${p.id}: cipCode must be a CIP code like 51.0801`);
  if (p.onetCode !== undefined && (typeof p.onetCode !== 'string' || !ONET_CODE.test(p.onetCode)))
    throw invalid(`program ${p.id}: onetCode must be an O*NET-SOC code like 31-9092.00`);
  steps.sort((a, b) => a.sequence - b.sequence);
  return {
    id: p.id,
    name: p.name.trim(),
    category: p.category as ProgramCategory,
    steps,
    ...(p.cipCode ? { cipCode: p.cipCode } : {}),
    ...(p.onetCode ? { onetCode: p.onetCode } : {}),
  };
}

/** True when two definitions would produce the same enrollments (used to skip no-op edits). */
export function sameSteps(a: readonly ProgramStep[], b: readonly ProgramStep[]): boolean {
  const canonical = (s: ProgramStep) => [s.sequence, s.partnerId, s.courseId, s.courseName, s.required, s.completion].join('\u0000');
  return a.length === b.length && a.every((step, i) => canonical(step) === canonical(b[i]!));
}
