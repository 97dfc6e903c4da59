// The table's schema: keys, TTL and the two global secondary indexes with what each projects.
// Each index projects only the attributes its queries read (README, "Key design"), so an item's
// large attributes (a delivery's raw body and headers) are written once, to the table, and an
// index write stays within one write unit where the item allows. Local mode's table and the CDK
// table are both created from this.
import { DELIVERY_SUMMARY_FIELDS } from './delivery-items.js';
import { ENROLLMENT_FIELDS, LIST_FIELDS, STEP_FIELDS, VERSION_FIELDS } from './enrollment-items.js';
import { ENTITY } from './item.js';
import { STUDENT_FIELDS } from './student-items.js';
import type { CursorShape } from './table.js';

const unique = (...lists: ReadonlyArray<readonly string[]>) => [...new Set(lists.flat())];

/** The owner index's queries: a student's enrollments with their steps, waiting events by owner, students by name. */
const OWNER_PROJECTION = unique([ENTITY], ENROLLMENT_FIELDS, STEP_FIELDS, VERSION_FIELDS, DELIVERY_SUMMARY_FIELDS, STUDENT_FIELDS);

/** The attention index's queries, each reading only what its list shows. */
const ATTENTION_PROJECTION = unique(
  [ENTITY],
  /** stuck students */ ['enrollmentId', 'index', 'studentName', 'studentEmail', 'partnerId', 'courseId', 'startedAt'],
  /** the unmatched inbox and recent unmatched events */ DELIVERY_SUMMARY_FIELDS,
  /** advances due (the reconciler) */ ['id', 'advanceRequestedAt'],
  /** failed workflows */ ['id', 'studentName', 'studentEmail', 'programName', 'workflowFailure'],
  /** students by email */ STUDENT_FIELDS,
  /** students whose waiting events the reconciler re-applies */ ['studentId', 'queuedAt'],
  /** outbound events to relay (their id), deliveries due */ ['id', 'endpointId', 'eventId'],
);

/** The list index's queries: a page of list rows (enrollments, exports). */
const LIST_PROJECTION = unique([ENTITY], LIST_FIELDS, /** search entries */ ['studentId', 'studentName', 'studentEmail']);

export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB TTL deletes settled webhook deliveries after the dedupe window. */
  timeToLiveAttribute: 'expiresAt',
  indexes: [
    /** Owner index: a student's enrollments and steps; the events waiting for an owner; students by name. */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projectedAttributes: OWNER_PROJECTION },
    /** Sparse attention index: in-progress steps by start time, unmatched events, advance requests, failures, emails. */
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projectedAttributes: ATTENTION_PROJECTION },
    /** List index: the admin's enrollment lists, one partition per list and order (README, "Which index serves which list"). */
    { indexName: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk', projectedAttributes: LIST_PROJECTION },
  ],
} as const;

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
  list: { name: 'gsi4', cursor: cursorOf('gsi4pk', 'gsi4sk') },
} as const;
