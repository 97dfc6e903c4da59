// Partner ↔ items: the partner record (in one partition with every other partner, so one Query
// lists them) and its audit trail (in the partner's own partition).
import type { Partner, PartnerChange } from '../../domain/partners.js';
import { ENTITY, pick, type Item } from './item.js';
import { keys } from './keys.js';

export const PARTNER_FIELDS = [
  'id',
  'name',
  'contactEmail',
  'supportUrl',
  'launchUrlTemplate',
  'instructions',
  'courses',
  'status',
  'webhook',
  'studentEvidence',
  'csv',
  'version',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'secretsLastUsed',
] as const satisfies ReadonlyArray<keyof Partner>;

export const partnerItem = (partner: Partner): Item => ({
  ...keys.partner(partner.id),
  [ENTITY]: 'partner',
  ...pick(partner, PARTNER_FIELDS),
});

export function toPartner(item: Item): Partner {
  const partner = pick(item, PARTNER_FIELDS) as unknown as Partner;
  // Records saved before partners had the evidence switch take evidence.
  return {
    ...partner,
    courses: partner.courses ?? [],
    secretsLastUsed: partner.secretsLastUsed ?? {},
    studentEvidence: partner.studentEvidence ?? true,
  };
}

export const partnerChangeItem = (partnerId: string, change: PartnerChange, unique: string): Item => ({
  ...keys.partnerChange(partnerId, change.at, unique),
  [ENTITY]: 'partnerChange',
  ...change,
});

export const toPartnerChange = (item: Item): PartnerChange => pick(item, ['at', 'by', 'changes']) as unknown as PartnerChange;
