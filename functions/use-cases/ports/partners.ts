// Partners: their records (details, courses, webhook configuration) and their audit trail.
import type { Partner, PartnerChange, PartnerId } from '../../domain/partners.js';

export interface PartnerStore {
  /** Every partner, by name. */
  list(): Promise<Partner[]>;
  /** Strongly consistent unless `consistent: false` (the webhook's read: half the cost, may lag an admin's save by a moment). */
  get(partnerId: PartnerId, options?: { consistent?: boolean }): Promise<Partner | undefined>;
  /**
   * Creates the partner (expectedVersion 0) or replaces the version an admin edited, with the
   * change in its audit trail, in one write; false when the stored version is another.
   */
  save(partner: Partner, expectedVersion: number, change: PartnerChange): Promise<boolean>;
  /** Adds an entry to the audit trail alone (a secret created or retired). */
  recordChange(partnerId: PartnerId, change: PartnerChange): Promise<void>;
  /** The newest entries of the audit trail, newest first. */
  changes(partnerId: PartnerId, limit: number): Promise<PartnerChange[]>;
  /**
   * Records that a secret verified a delivery at `at`, unless the record already says so since
   * `notBefore` (the caller skips the call when the partner record it read says so already).
   */
  markSecretUsed(partnerId: PartnerId, secretId: string, at: string, notBefore: string): Promise<void>;
}
