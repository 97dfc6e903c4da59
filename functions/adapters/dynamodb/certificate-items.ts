// Certificate records ↔ items.
import type { Certificate } from '../../domain/certificates.js';
import { ENTITY, type Item } from './item.js';
import { keys } from './keys.js';

export function certificateItem(certificate: Certificate): Item {
  return { ...keys.certificate(certificate.id), [ENTITY]: 'certificate', ...certificate };
}

export function toCertificate(item: Item): Certificate {
  const { pk: _pk, sk: _sk, [ENTITY]: _entity, ...certificate } = item;
  return certificate as unknown as Certificate;
}
