// Certificate records in DynamoDB: issued by the enrollment's save (in the transaction that issues
// them), changed by their own decider's events (revocation, reminder claims), every change
// conditional on the version it was decided on. The expiring list and each status list's revoked
// bits are sparse index partitions (certificate-items.ts), never a scan; every certificate is also in
// the list of certificates by issue date (the certificate export).
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { evolveCertificateAll, type CertificateEvent } from '../../domain/certificate-decider.js';
import type { Certificate, ExpiryReminder } from '../../domain/certificates.js';
import type { CertificateRecords, CertificateSnapshot, ExpiringCertificate } from '../../use-cases/ports/certificates.js';
import type { Page } from '../../use-cases/ports/page.js';
import { certificateItem, toCertificate } from './certificate-items.js';
import { itemUpdate } from './item-diff.js';
import { indexKeys, keys, listKeys, parseCertificateIssuedKey } from './keys.js';
import { GSI } from './schema.js';
import type { Table } from './table.js';

/** The update that takes a certificate item from one version to the next, conditional on the first. */
export function certificateUpdate(tableName: string, before: CertificateSnapshot, after: Certificate) {
  const update = itemUpdate(certificateItem(before.certificate, before.version), certificateItem(after, before.version + 1))!;
  return {
    TableName: tableName,
    Key: keys.certificate(after.id),
    UpdateExpression: update.UpdateExpression,
    ConditionExpression: '#version = :expectedVersion',
    ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#version': 'version' },
    ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':expectedVersion': before.version },
  };
}

export class DynamoCertificateRecords implements CertificateRecords {
  constructor(private readonly table: Table) {}

  async get(certificateId: string): Promise<Certificate | undefined> {
    return (await this.load(certificateId))?.certificate;
  }

  async load(certificateId: string): Promise<CertificateSnapshot | undefined> {
    const item = await this.table.get(keys.certificate(certificateId));
    return item ? toCertificate(item) : undefined;
  }

  async save(before: CertificateSnapshot, events: readonly CertificateEvent[]) {
    if (events.length === 0) return { ok: true as const, saved: before };
    const after = evolveCertificateAll(before.certificate, events);
    const saved = await this.table.conditionalUpdate(certificateUpdate(this.table.name, before, after));
    return saved ? { ok: true as const, saved: { certificate: after, version: before.version + 1 } } : { ok: false as const };
  }

  async listExpiring(from: string, to: string, limit: number, cursor?: string): Promise<Page<ExpiringCertificate>> {
    const page = await this.table.queryPage(
      {
        IndexName: GSI.attention.name,
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
        // Sort keys are `<expiresAt>#<id>`: `to` itself sorts before every key expiring at `to`.
        ExpressionAttributeValues: { ':pk': indexKeys.certificateExpiryPartition, ':from': from, ':to': to },
        Limit: limit,
      },
      cursor,
      GSI.attention.cursor(indexKeys.certificateExpiryPartition),
    );
    return {
      ...page,
      items: page.items.map((item) => ({
        id: item.id as string,
        enrollmentId: item.enrollmentId as string,
        studentName: item.studentName as string,
        studentEmail: item.studentEmail as string,
        programId: item.programId as string,
        programName: item.programName as string,
        issuedAt: item.issuedAt as string,
        expiresAt: item.certificateExpiresAt as string,
        ...(item.renewalProgramId ? { renewalProgramId: item.renewalProgramId as string } : {}),
        reminders: (item.reminders as ExpiryReminder[] | undefined) ?? [],
      })),
    };
  }

  async listRevoked(list: number): Promise<Array<{ index: number; revokedAt: string }>> {
    const items = await this.table.queryAll({
      IndexName: GSI.attention.name,
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': indexKeys.revokedPartition(list) },
    });
    return items.map((item) => ({ index: Number(item.gsi2sk), revokedAt: item.revokedAt as string }));
  }

  async allocateStatusListIndex(): Promise<number> {
    const result = await this.table.db.send(
      new UpdateCommand({
        TableName: this.table.name,
        Key: keys.statusListCounter,
        UpdateExpression: 'ADD #next :one SET #entity = :entity',
        ExpressionAttributeNames: { '#next': 'next', '#entity': 'entity' },
        ExpressionAttributeValues: { ':one': 1, ':entity': 'statusListCounter' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    // The first allocation returns 1 and takes bit 0.
    return (result.Attributes?.next as number) - 1;
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
    return { ...page, items: page.items.map((item) => parseCertificateIssuedKey(item.gsi4sk as string)) };
  }
}
