// The admin's evidence queue: pending (or approved, rejected) evidence oldest first, by partner or
// across all of them; approving completes the step through the enrollment's one save path (and
// starts the workflow that advances it), rejecting records the reason the student sees.
import { DomainError } from '../domain/errors.js';
import { evidenceFileKey, type EvidenceEntry, type EvidenceStatus } from '../domain/evidence.js';
import { changeEnrollment } from './enrollment-transitions.js';
import type { Actor } from './enrollments.js';
import type { Logger } from './logger.js';
import type { EnrollmentStore } from './ports/enrollments.js';
import type { EvidenceStore } from './ports/evidence.js';
import type { PartnerStore } from './ports/partners.js';
import type { Clock, WorkflowStarter } from './ports/services.js';
import { startWorkflow } from './start-workflow.js';
import { READ_LINK_SECONDS, type Uploads } from './uploads.js';

export interface EvidenceReviewDeps {
  evidence: EvidenceStore;
  enrollments: EnrollmentStore;
  partners: PartnerStore;
  uploads: Uploads;
  workflow: WorkflowStarter;
  clock: Clock;
  logger: Logger;
}

/** A queue entry as admins see it: with a short-lived link to its file, once the file has passed its check. */
export type EvidenceQueueEntry = EvidenceEntry & { fileUrl?: string };

export interface EvidenceQueue {
  items: EvidenceQueueEntry[];
  /** One partner's queue continues from here. */
  next?: string;
  /** The whole queue had more than `limit` entries (filter by partner to page through one). */
  more?: boolean;
}

export async function listEvidence(
  deps: Pick<EvidenceReviewDeps, 'evidence' | 'partners' | 'uploads'>,
  input: { status: EvidenceStatus; partnerId?: string; limit: number; cursor?: string },
): Promise<EvidenceQueue> {
  const { status, limit } = input;
  let page: EvidenceQueue;
  if (input.partnerId) {
    page = await deps.evidence.listByPartner(status, input.partnerId, limit, input.cursor);
  } else {
    // One query per partner (each its own partition), merged oldest first.
    const partners = await deps.partners.list();
    const pages = await Promise.all(partners.map((p) => deps.evidence.listByPartner(status, p.id, limit)));
    const merged = pages.flatMap((p) => p.items).sort((a, b) => a.submittedAt.localeCompare(b.submittedAt) || a.id.localeCompare(b.id));
    const more = merged.length > limit || pages.some((p) => p.next !== undefined);
    page = { items: merged.slice(0, limit), ...(more ? { more } : {}) };
  }
  const items = await Promise.all(
    page.items.map(async (entry) =>
      entry.file?.status === 'received'
        ? { ...entry, fileUrl: await deps.uploads.linkToRead(evidenceFileKey(entry.id), READ_LINK_SECONDS, fileName(entry)) }
        : entry,
    ),
  );
  return { ...page, items };
}

const EXTENSIONS = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg' } as const;
const fileName = (entry: EvidenceEntry) =>
  `evidence-${entry.reference.replace(/[^A-Za-z0-9-]+/g, '_')}.${EXTENSIONS[entry.file!.contentType]}`;

async function entryOf(deps: Pick<EvidenceReviewDeps, 'evidence'>, evidenceId: string): Promise<EvidenceEntry> {
  const entry = await deps.evidence.get(evidenceId);
  if (!entry) throw new DomainError('EVIDENCE_NOT_FOUND', `no evidence ${evidenceId}`);
  return entry;
}

/** The entry as the save left it (the evidence on its step, with the entry's step and student). */
function reviewed(entry: EvidenceEntry, after: Awaited<ReturnType<typeof changeEnrollment>>['after']): EvidenceEntry {
  const evidence = after.steps.find((s) => s.index === entry.index)?.evidence?.find((e) => e.id === entry.id);
  return { ...entry, ...evidence };
}

export async function approveEvidence(
  deps: Omit<EvidenceReviewDeps, 'uploads' | 'partners'>,
  input: { evidenceId: string; note?: string },
  admin: Actor,
): Promise<{ evidence: EvidenceEntry }> {
  const entry = await entryOf(deps, input.evidenceId);
  const { after } = await changeEnrollment(deps, entry.enrollmentId, {
    type: 'approve_evidence',
    at: deps.clock.now().toISOString(),
    evidenceId: entry.id,
    by: admin.email,
    ...(input.note ? { note: input.note } : {}),
  });
  deps.logger.info('evidence approved', { enrollmentId: entry.enrollmentId, evidenceId: entry.id, admin: admin.email });
  await startWorkflow(deps, entry.enrollmentId, `s${entry.index}-evidence`);
  return { evidence: reviewed(entry, after) };
}

export async function rejectEvidence(
  deps: Omit<EvidenceReviewDeps, 'workflow' | 'uploads' | 'partners'>,
  input: { evidenceId: string; reason: string },
  admin: Actor,
): Promise<{ evidence: EvidenceEntry }> {
  const entry = await entryOf(deps, input.evidenceId);
  const { after } = await changeEnrollment(deps, entry.enrollmentId, {
    type: 'reject_evidence',
    at: deps.clock.now().toISOString(),
    evidenceId: entry.id,
    by: admin.email,
    reason: input.reason,
  });
  deps.logger.info('evidence rejected', { enrollmentId: entry.enrollmentId, evidenceId: entry.id, admin: admin.email });
  return { evidence: reviewed(entry, after) };
}
