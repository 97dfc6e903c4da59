// Certificate records ↔ items.
import type { Certificate } from '../../domain/certificates.js';
import { ENTITY, type Item } from './item.js';
import { keys, listKeys } from './keys.js';

/** A certificate; it is also in the list of certificates by issue date (gsi4). */
export function certificateItem(certificate: Certificate): Item {
  return {
    ...keys.certificate(certificate.id),
    ...listKeys.certificateIssued(certificate.issuedAt, certificate.id),
    [ENTITY]: 'certificate',
    ...certificate,
  };
}

export function toCertificate(item: Item): Certificate {
  const { pk: _pk, sk: _sk, gsi4pk: _lpk, gsi4sk: _lsk, [ENTITY]: _entity, ...certificate } = item;
  return certificate as unknown as Certificate;
}
