// Partners as admins manage them: list (with each partner's last delivery), read one (with its
// secrets' ids and last use, and who changed what), create or replace one, and load the seed
// partners. A saved configuration applies to the next webhook: the webhook reads its partner.
import { DomainError, validationError } from '../domain/errors.js';
import { RESERVED_DROP_FOLDERS } from '../domain/drop-zone.js';
import { validatePartnerDefinition } from '../domain/partner-definition.js';
import { changedFields, isPartnerId, PARTNER_ID_RULE, type Partner, type PartnerChange, type PartnerId } from '../domain/partners.js';
import { SEED_PARTNERS } from '../domain/seed-partners.js';
import type { Actor } from './enrollments.js';
import type { DeliveryLogEntry, DeliveryStore } from './ports/deliveries.js';
import type { PartnerStore } from './ports/partners.js';
import type { Clock, PartnerSecrets } from './ports/services.js';
import { retrying } from './retry.js';

/** A partner as the API shows it: the record, its webhook path, never a secret value. */
export type PartnerView = Omit<Partner, 'secretsLastUsed'> & { webhookPath: string };

export interface SecretView {
  secretId: string;
  createdAt?: string;
  lastUsedAt?: string;
}

export interface PartnerSummary extends PartnerView {
  /** The newest delivery in the partner's log (kept 30 days once settled), if any. */
  lastDelivery?: Pick<DeliveryLogEntry, 'webhookId' | 'receivedAt' | 'outcome' | 'reason'>;
}

export interface PartnerDetail extends PartnerView {
  secrets: SecretView[];
  changes: PartnerChange[];
}

/** Ids the site's routes use beside partner ids (/admin/partners/new). */
const RESERVED_PARTNER_IDS: ReadonlySet<string> = new Set(['new']);

export const webhookPath = (partnerId: PartnerId) => `/api/webhooks/partners/${partnerId}`;

export function toPartnerView(partner: Partner): PartnerView {
  const { secretsLastUsed: _lastUsed, ...record } = partner;
  return { ...record, webhookPath: webhookPath(partner.id) };
}

/** The partner id from a path, or NOT_FOUND (a path that cannot be a partner's names none). */
export function partnerIdOf(id: string): PartnerId {
  if (isPartnerId(id)) return id;
  throw new DomainError('NOT_FOUND', `no partner "${String(id).slice(0, 50)}": partner ids are ${PARTNER_ID_RULE}`);
}

export async function getPartnerOrThrow(partners: PartnerStore, id: string): Promise<Partner> {
  const partner = await partners.get(partnerIdOf(id));
  if (!partner) throw new DomainError('NOT_FOUND', `no partner "${id}"; PUT /api/admin/partners/${id} creates it`);
  return partner;
}

export async function listPartners(deps: { partners: PartnerStore; deliveries: DeliveryStore }): Promise<PartnerSummary[]> {
  const partners = await deps.partners.list();
  // One query per partner for its newest delivery: nothing is written per webhook to keep this list.
  return Promise.all(
    partners.map(async (partner) => {
      const [last] = (await deps.deliveries.listForPartner(partner.id, { limit: 1 })).items;
      return {
        ...toPartnerView(partner),
        ...(last
          ? {
              lastDelivery: {
                webhookId: last.webhookId,
                receivedAt: last.receivedAt,
                outcome: last.outcome,
                ...(last.reason ? { reason: last.reason } : {}),
              },
            }
          : {}),
      };
    }),
  );
}

export async function readPartner(deps: { partners: PartnerStore; secrets: PartnerSecrets }, id: string): Promise<PartnerDetail> {
  const partner = await getPartnerOrThrow(deps.partners, id);
  const [secrets, changes] = await Promise.all([deps.secrets.listSecrets(partner.id), deps.partners.changes(partner.id, 20)]);
  return { ...toPartnerView(partner), secrets: secrets.map((s) => secretView(s, partner)), changes };
}

export function secretView(secret: { id: string; createdAt?: string }, partner: Pick<Partner, 'secretsLastUsed'>): SecretView {
  const lastUsedAt = partner.secretsLastUsed[secret.id];
  return { secretId: secret.id, ...(secret.createdAt ? { createdAt: secret.createdAt } : {}), ...(lastUsedAt ? { lastUsedAt } : {}) };
}

/** Creates the partner or replaces its definition (a new version, with what changed in its audit trail). */
export async function savePartner(
  deps: { partners: PartnerStore; clock: Clock },
  id: string,
  input: unknown,
  admin: Pick<Actor, 'email'>,
): Promise<{ partner: PartnerView; created: boolean }> {
  if (!isPartnerId(id)) throw validationError(`partnerId must be ${PARTNER_ID_RULE}`);
  if (RESERVED_PARTNER_IDS.has(id))
    throw validationError(`partnerId "${id}" is reserved (the site's page for adding a partner); pick another`);
  if (RESERVED_DROP_FOLDERS.includes(id))
    throw validationError(`partnerId "${id}" is reserved (a folder of Baton's own in the imports drop zone); pick another`);
  const definition = validatePartnerDefinition(input);
  return retrying<{ partner: PartnerView; created: boolean }>(`saving partner ${id}`, async () => {
    const current = await deps.partners.get(id);
    const changes = changedFields(current, definition);
    if (current && changes.length === 0) return { done: { partner: toPartnerView(current), created: false } };
    const at = deps.clock.now().toISOString();
    const partner: Partner = {
      ...definition,
      id,
      version: (current?.version ?? 0) + 1,
      createdAt: current?.createdAt ?? at,
      createdBy: current?.createdBy ?? admin.email,
      updatedAt: at,
      updatedBy: admin.email,
      secretsLastUsed: current?.secretsLastUsed ?? {},
    };
    const saved = await deps.partners.save(partner, current?.version ?? 0, { at, by: admin.email, changes });
    return saved ? { done: { partner: toPartnerView(partner), created: !current } } : { again: 'the partner changed meanwhile' };
  });
}

/** Creates the seed partners that do not exist yet; ones that exist are left as admins made them. */
export async function seedPartners(deps: { partners: PartnerStore; clock: Clock }) {
  let created = 0;
  for (const [id, definition] of SEED_PARTNERS) {
    if (await deps.partners.get(id)) continue;
    await savePartner(deps, id, definition, { email: 'seed' });
    created++;
  }
  return { partners: SEED_PARTNERS.length, created };
}
