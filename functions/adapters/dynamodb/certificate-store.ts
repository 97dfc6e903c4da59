// Certificate records in DynamoDB (written by the enrollment's save, in the transaction that issues them).
import type { Certificate } from '../../domain/certificates.js';
import type { CertificateRecords } from '../../use-cases/ports/certificates.js';
import { toCertificate } from './certificate-items.js';
import { keys } from './keys.js';
import type { Table } from './table.js';

export class DynamoCertificateRecords implements CertificateRecords {
  constructor(private readonly table: Table) {}

  async get(certificateId: string): Promise<Certificate | undefined> {
    const item = await this.table.get(keys.certificate(certificateId));
    return item ? toCertificate(item) : undefined;
  }
}
