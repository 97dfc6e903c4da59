// Certificate records ↔ items. Index membership follows the state: a valid certificate that
// expires is in the expiry list (by its expiry instant), a revoked one in its status list's
// revoked set, anything else in neither. The expiry is stored as `certificateExpiresAt`: the
// table's TTL attribute is `expiresAt`, and a certificate must never be deleted by TTL.
import type { Certificate } from '../../domain/certificates.js';
import { statusListPosition } from '../../domain/open-badge.js';
import { ENTITY, type Item } from './item.js';
import { indexKeys, keys, listKeys } from './keys.js';

/** What the expiring list and the reminder sweep read from the index. */
export const CERTIFICATE_LIST_FIELDS = [
  'id',
  'enrollmentId',
  'studentName',
  'studentEmail',
  'programId',
  'programName',
  'issuedAt',
  'certificateExpiresAt',
  'renewalProgramId',
  'reminders',
  'statusListIndex',
] as const;

function indexOf(certificate: Certificate) {
  if (certificate.status === 'revoked' && certificate.statusListIndex !== undefined) {
    const { list, index } = statusListPosition(certificate.statusListIndex);
    return indexKeys.certificateRevoked(list, index);
  }
  if (certificate.status === 'valid' && certificate.expiresAt) return indexKeys.certificateExpiring(certificate.expiresAt, certificate.id);
  return {};
}

export function certificateItem(certificate: Certificate, version = 1): Item {
  const { expiresAt, ...rest } = certificate;
  return {
    ...keys.certificate(certificate.id),
    ...indexOf(certificate),
    // In the list of certificates by issue date (gsi4: the certificate export).
    ...listKeys.certificateIssued(certificate.issuedAt, certificate.id),
    [ENTITY]: 'certificate',
    ...rest,
    ...(expiresAt ? { certificateExpiresAt: expiresAt } : {}),
    version,
  };
}

export function toCertificate(item: Item): { certificate: Certificate; version: number } {
  const {
    pk: _pk,
    sk: _sk,
    gsi2pk: _gpk,
    gsi2sk: _gsk,
    gsi4pk: _lpk,
    gsi4sk: _lsk,
    [ENTITY]: _entity,
    certificateExpiresAt,
    version,
    ...rest
  } = item;
  const certificate = { ...rest, ...(certificateExpiresAt ? { expiresAt: certificateExpiresAt } : {}) } as unknown as Certificate;
  return { certificate, version: (version as number | undefined) ?? 0 };
}
