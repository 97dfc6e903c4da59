// Certificate records in DynamoDB (written by the enrollment's save, in the transaction that issues them).
import type { Certificate } from '../../domain/certificates.js';
import type { CertificateRecords } from '../../use-cases/ports/certificates.js';
import { toCertificate } from './certificate-items.js';
import { keys, listKeys } from './keys.js';
import { GSI } from './schema.js';
import type { Table } from './table.js';
import type { Page } from '../../use-cases/ports/page.js';

export class DynamoCertificateRecords implements CertificateRecords {
  constructor(private readonly table: Table) {}

  async get(certificateId: string): Promise<Certificate | undefined> {
    const item = await this.table.get(keys.certificate(certificateId));
    return item ? toCertificate(item) : undefined;
  }

  async listIssued(from: string, to: string, limit: number, cursor?: string): Promise<Page<string>> {
    const page = await this.table.queryPage(
      {
        IndexName: GSI.list.name,
        KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': listKeys.certificatesPartition, ':from': from, ':to': `${to}~` },
        Limit: limit,
      },
      cursor,
      GSI.list.cursor(listKeys.certificatesPartition),
    );
    return { ...page, items: page.items.map((item) => (item.gsi4sk as string).split('#')[1]!) };
  }
}
