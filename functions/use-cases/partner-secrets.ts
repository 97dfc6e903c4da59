// A partner's webhook secrets: an admin creates one (generated, or supplied when the platform
// dictates its own key), lists them (id, created, last used; never a value after creation) and
// retires one. Several are active at once, so a rotation is: create, let the partner switch,
// retire the old one. Each change is in the partner's audit trail.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { DomainError, validationError } from '../domain/errors.js';
import { usesSecrets } from '../domain/partner-webhook-config.js';
import type { Actor } from './enrollments.js';
import { getPartnerOrThrow, secretView, type SecretView } from './partners.js';
import type { PartnerStore } from './ports/partners.js';
import type { Clock, PartnerSecrets } from './ports/services.js';
import { retrying } from './retry.js';

/** A partner holds at most this many secrets at once (a rotation needs two). */
export const MAX_SECRETS_PER_PARTNER = 5;

type SecretDeps = { partners: PartnerStore; secrets: PartnerSecrets; clock: Clock };

export async function listPartnerSecrets(deps: SecretDeps, partnerId: string): Promise<SecretView[]> {
  const partner = await getPartnerOrThrow(deps.partners, partnerId);
  return (await deps.secrets.listSecrets(partner.id)).map((s) => secretView(s, partner));
}

export async function createPartnerSecret(
  deps: SecretDeps,
  partnerId: string,
  supplied: string | undefined,
  admin: Actor,
): Promise<{ secretId: string; secret: string; createdAt: string }> {
  const partner = await getPartnerOrThrow(deps.partners, partnerId);
  const { verification } = partner.webhook;
  if (!usesSecrets(verification)) {
    throw validationError(
      `partner ${partner.id} verifies with its published keys (jwt scheme, webhook.verification.jwksUrl); it has no shared secret`,
    );
  }
  const standard = verification.scheme === 'standard-webhooks';
  if (supplied !== undefined) {
    if (!/^[\x21-\x7e]{16,512}$/.test(supplied)) throw validationError('secret: must be 16-512 printable characters without spaces');
    if (standard) {
      try {
        if (!supplied.startsWith('whsec_')) throw new Error('no prefix');
        new Webhook(supplied);
      } catch {
        throw validationError('secret: a Standard Webhooks secret is "whsec_" followed by base64 (omit it to have one generated)');
      }
    }
  }
  const existing = await deps.secrets.listSecrets(partner.id);
  if (existing.length >= MAX_SECRETS_PER_PARTNER) {
    throw validationError(`partner ${partner.id} has ${existing.length} secrets, the most it may hold; retire one first`);
  }
  const value = supplied ?? (standard ? `whsec_${randomBytes(24).toString('base64')}` : randomBytes(32).toString('base64url'));
  const createdAt = deps.clock.now().toISOString();
  const secretId = `sec_${randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')}`;
  await retrying(`adding a secret to ${partner.id}`, async () => ({
    done: await deps.secrets.addSecret(partner.id, { id: secretId, value, createdAt }),
  }));
  await deps.partners.recordChange(partner.id, {
    at: createdAt,
    by: admin.email,
    changes: [`secret ${secretId} ${supplied ? 'added' : 'generated'}`],
  });
  return { secretId, secret: value, createdAt };
}

export async function retirePartnerSecret(deps: SecretDeps, partnerId: string, secretId: string, admin: Actor): Promise<void> {
  const partner = await getPartnerOrThrow(deps.partners, partnerId);
  const retired = await retrying(`retiring a secret of ${partner.id}`, async () => ({
    done: await deps.secrets.retireSecret(partner.id, secretId),
  }));
  if (!retired) throw new DomainError('SECRET_NOT_FOUND', `partner ${partner.id} has no secret ${secretId.slice(0, 60)}`);
  await deps.partners.recordChange(partner.id, {
    at: deps.clock.now().toISOString(),
    by: admin.email,
    changes: [`secret ${secretId} retired`],
  });
}
