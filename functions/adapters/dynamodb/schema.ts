// The table's schema: keys, TTL and the global secondary indexes with what each projects.
// Each index projects only the attributes its queries read (README, "Key design"), so an item's
// large attributes (a delivery's raw body and headers) are written once, to the table, and an
// index write stays within one write unit where the item allows. Local mode's table and the CDK
// table are both created from this.
import { CERTIFICATE_LIST_FIELDS } from './certificate-items.js';
import { DELIVERY_LOG_FIELDS, DELIVERY_SUMMARY_FIELDS } from './delivery-items.js';
import { LIST_FIELDS } from './enrollment-items.js';
import { ENTITY } from './item.js';
import type { CursorShape } from './table.js';

const unique = (...lists: ReadonlyArray<readonly string[]>) => [...new Set(lists.flat())];

/** The attention index's queries, each reading only what its list shows. */
const ATTENTION_PROJECTION = unique(
  [ENTITY],
  /** stuck students */ [
    'enrollmentId',
    'index',
    'studentName',
    'studentEmail',
    'partnerId',
    'courseId',
    'startedAt',
    'dueAt',
    'lastRemindedAt',
  ],
  /** the unmatched inbox and recent unmatched events */ DELIVERY_SUMMARY_FIELDS,
  /** advances due (the reconciler) */ ['id', 'advanceRequestedAt'],
  /** failed workflows */ ['id', 'studentName', 'studentEmail', 'programName', 'workflowFailure'],
  /** students whose waiting events the reconciler re-applies */ ['studentId', 'queuedAt'],
  /** certificates expiring (the admin list, the reminder sweep) */ CERTIFICATE_LIST_FIELDS,
  /** revoked certificates, by status list bit */ ['revokedAt'],
  /** outbound events to relay (their id), deliveries due */ ['id', 'endpointId', 'eventId'],
);

/** The schedule index's one query (the sweep): which enrollment, and which step of it, has work due. */
const SCHEDULE_PROJECTION = [ENTITY, 'id', 'enrollmentId', 'index'];

/** The list index's queries: a page of list rows (enrollments, exports). */
const LIST_PROJECTION = unique([ENTITY], LIST_FIELDS, /** search entries */ ['studentId', 'studentName', 'studentEmail']);

export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB TTL deletes settled webhook deliveries after the dedupe window. */
  timeToLiveAttribute: 'expiresAt',
  indexes: [
    /** Owner index: a student's enrollments and steps; the events waiting for an owner; students by name. */
    // It projects ALL: its queries read whole enrollments, steps and students (what an INCLUDE list
    // of every one of their fields would project anyway), and DynamoDB allows 100 INCLUDE attributes
    // per table, summed over its indexes (MAX_PROJECTED_ATTRIBUTES). A delivery is in it only while
    // it waits for an owner (unmatched), so only those deliveries' bodies are written twice.
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projectedAttributes: 'ALL' },
    /** Sparse attention index: in-progress steps by start time, unmatched events, advance requests, failures, emails. */
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projectedAttributes: ATTENTION_PROJECTION },
    /** Delivery log: every delivery of a partner, newest first; the summary only, never the body. */
    { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projectedAttributes: unique([ENTITY], DELIVERY_LOG_FIELDS) },
    /** List index: the admin's enrollment lists, one partition per list and order (README, "Which index serves which list"). */
    { indexName: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk', projectedAttributes: LIST_PROJECTION },
    /** Sparse schedule index: steps and welcome emails by when the sweep must look at them next. */
    { indexName: 'gsi5', partitionKey: 'gsi5pk', sortKey: 'gsi5sk', projectedAttributes: SCHEDULE_PROJECTION },
  ],
} as const;

/** DynamoDB's limit: attributes named in INCLUDE projections, summed over every index of a table. */
export const MAX_PROJECTED_ATTRIBUTES = 100;

export type IndexProjection = { ProjectionType: 'ALL' } | { ProjectionType: 'INCLUDE'; NonKeyAttributes: string[] };

/** An index's projection as DynamoDB's API (and CloudFormation) spell it. */
export function projectionOf(index: (typeof TABLE_SCHEMA.indexes)[number]): IndexProjection {
  const projected: 'ALL' | readonly string[] = index.projectedAttributes;
  return projected === 'ALL' ? { ProjectionType: 'ALL' } : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...projected] };
}

const cursorOf =
  (pk: string, sk: string) =>
  (partition?: string): CursorShape => ({
    attributes: ['pk', 'sk', pk, sk],
    ...(partition ? { partition: { attribute: pk, value: partition } } : {}),
  });

/** The indexes as the stores query them. */
export const GSI = {
  owner: { name: 'gsi1', cursor: cursorOf('gsi1pk', 'gsi1sk') },
  attention: { name: 'gsi2', cursor: cursorOf('gsi2pk', 'gsi2sk') },
  log: { name: 'gsi3', cursor: cursorOf('gsi3pk', 'gsi3sk') },
  list: { name: 'gsi4', cursor: cursorOf('gsi4pk', 'gsi4sk') },
  schedule: { name: 'gsi5', cursor: cursorOf('gsi5pk', 'gsi5sk') },
} as const;
