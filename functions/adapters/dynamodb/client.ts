// The table's stores, built over one document client.
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDbEndpoint, tableName } from '../../config.js';
import type { StorePorts } from '../../wiring.js';
import { DynamoCatalogStore } from './catalog-store.js';
import { DynamoCertificateRecords } from './certificate-store.js';
import { DynamoDeliveryStore } from './delivery-store.js';
import { DynamoEnrollmentStore } from './enrollment-store.js';
import { DynamoJobCursors } from './job-cursor-store.js';
import { DynamoPartnerStore } from './partner-store.js';
import { CachedOrganizationStore, DynamoOrganizationStore } from './organization-store.js';
import { DynamoPipelineReadModel } from './pipeline-store.js';
import { DynamoStudentStore } from './student-store.js';
import { DynamoSuppressionList } from './suppression-store.js';
import { DynamoOutboundStore } from './outbound-store.js';
import { DynamoExportStore } from './export-store.js';
import { DynamoEvidenceStore } from './evidence-store.js';
import { DynamoImportStore } from './import-store.js';
import { Table } from './table.js';

export function documentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return documentClientFor(new DynamoDBClient(config));
}

/** The document client over an existing client (local mode passes one it has instrumented). */
export function documentClientFor(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** Every store of the table. */
export function dynamoStores(db: DynamoDBDocumentClient, tableName: string): StorePorts {
  const table = new Table(db, tableName);
  return {
    catalog: new DynamoCatalogStore(table),
    students: new DynamoStudentStore(table),
    enrollments: new DynamoEnrollmentStore(table),
    deliveries: new DynamoDeliveryStore(table),
    pipeline: new DynamoPipelineReadModel(table),
    certificateRecords: new DynamoCertificateRecords(table),
    jobs: new DynamoJobCursors(table),
    partners: new DynamoPartnerStore(table),
    organization: new DynamoOrganizationStore(table),
    suppressions: new DynamoSuppressionList(table),
    outbound: new DynamoOutboundStore(table),
    exports: new DynamoExportStore(table),
    evidence: new DynamoEvidenceStore(table),
    imports: new DynamoImportStore(table),
  };
}

/**
 * Lazy factories of the stores a Lambda uses: the table from TABLE_NAME (optional DYNAMODB_ENDPOINT
 * for local runs), one client shared by all of them, created on first use.
 */
/** The organization's settings as warm functions read them: cached for a minute. */
export const cachedOrganization = (stores: ReturnType<typeof tableStores>) => () => new CachedOrganizationStore(stores.organization());

export function tableStores(): { [K in keyof StorePorts]: () => StorePorts[K] } {
  let stores: StorePorts | undefined;
  const all = () => {
    if (stores) return stores;
    const endpoint = dynamoDbEndpoint();
    return (stores = dynamoStores(documentClient(endpoint ? { endpoint } : {}), tableName()));
  };
  return {
    catalog: () => all().catalog,
    students: () => all().students,
    enrollments: () => all().enrollments,
    deliveries: () => all().deliveries,
    pipeline: () => all().pipeline,
    certificateRecords: () => all().certificateRecords,
    jobs: () => all().jobs,
    partners: () => all().partners,
    organization: () => all().organization,
    suppressions: () => all().suppressions,
    outbound: () => all().outbound,
    exports: () => all().exports,
    evidence: () => all().evidence,
    imports: () => all().imports,
  };
}
