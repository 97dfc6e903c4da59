// The evidence review queue's reads (its writes are the enrollment save's: functions/adapters/dynamodb/evidence-items.ts).
import type { EvidenceEntry, EvidenceStatus } from '../../domain/evidence.js';
import type { Page } from './page.js';

export interface EvidenceStore {
  get(evidenceId: string): Promise<EvidenceEntry | undefined>;
  /** One partner's evidence with this status, oldest first (an index query; it may lag a save by a moment). */
  listByPartner(status: EvidenceStatus, partnerId: string, limit: number, cursor?: string): Promise<Page<EvidenceEntry>>;
}
