// The single-table key design: the only place that knows key formats, building them and reading
// them back. The stores, the workflow input, local mode's table and the CDK table all use it;
// README's "Key design" lists every access pattern these keys serve.

export type Key = { pk: string; sk: string };

/** Counter items are spread over this many partitions so no single item takes every write. */
export const COUNTER_SHARDS = 4;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export const keys = {
  /** Current version of a program; one Query on pk=CATALOG lists the whole catalog. */
  program: (programId: string): Key => ({ pk: 'CATALOG', sk: `PROGRAM#${programId}` }),
  catalogPartition: 'CATALOG',
  /** Every version ever saved, for audit. */
  programVersion: (programId: string, version: number): Key => ({ pk: `PROGRAM#${programId}`, sk: `VERSION#${pad(version, 6)}` }),

  studentProfile: (studentId: string): Key => ({ pk: `STUDENT#${studentId}`, sk: 'PROFILE' }),
  /** Partner accounts live in the student's partition so one Query returns profile + accounts. */
  studentAccount: (studentId: string, partnerId: string): Key => ({ pk: `STUDENT#${studentId}`, sk: `ACCOUNT#${partnerId}` }),
  studentPartition: (studentId: string) => `STUDENT#${studentId}`,
  /** A student's search entries: a partition of their own, so reading the student never reads them. */
  studentSearchEntry: (studentId: string, suffix: string): Key => ({ pk: `SEARCH#${studentId}`, sk: suffix }),
  /** Uniqueness of emails and the email → student lookup. */
  studentEmail: (email: string): Key => ({ pk: `EMAIL#${email}`, sk: 'STUDENT' }),
  /** Uniqueness of partner accounts and the (partner, external id) → student lookup. */
  partnerAccount: (partnerId: string, externalId: string): Key => ({ pk: `ACCOUNT#${partnerId}#${externalId}`, sk: 'ACCOUNT' }),

  enrollment: (enrollmentId: string): Key => ({ pk: `ENROLLMENT#${enrollmentId}`, sk: 'ENROLLMENT' }),
  enrollmentPartition: (enrollmentId: string) => `ENROLLMENT#${enrollmentId}`,
  step: (enrollmentId: string, index: number): Key => ({ pk: `ENROLLMENT#${enrollmentId}`, sk: `STEP#${pad(index, 2)}` }),
  /** Exists while a student has an active enrollment in a program: the 409 guard. */
  activeEnrollment: (studentId: string, programId: string): Key => ({ pk: `ACTIVE#${studentId}#${programId}`, sk: 'ACTIVE' }),

  delivery: (partnerId: string, webhookId: string): Key => ({ pk: `DELIVERY#${partnerId}#${webhookId}`, sk: 'DELIVERY' }),
  /** While a delivery naming a partner account and an email is unmatched, this finds it by the email too. */
  unmatchedEmailPointer: (partnerId: string, webhookId: string): Key => ({ pk: `DELIVERY#${partnerId}#${webhookId}`, sk: 'EMAIL' }),
  /** A student whose waiting events a request left to the reconciler. */
  reapplyQueued: (studentId: string): Key => ({ pk: `REAPPLY#${studentId}`, sk: 'REAPPLY' }),
  certificate: (certificateId: string): Key => ({ pk: `CERTIFICATE#${certificateId}`, sk: 'CERTIFICATE' }),
  /** The next free bit of the credentials' revocation status list (an atomic counter). */
  statusListCounter: { pk: 'STATUS_LIST', sk: 'COUNTER' },
  /** The organization's settings (one record). */
  organization: { pk: 'ORGANIZATION', sk: 'SETTINGS' },

  /** A partner's record; one Query on pk=PARTNERS lists every partner. */
  partner: (partnerId: string): Key => ({ pk: 'PARTNERS', sk: `PARTNER#${partnerId}` }),
  partnersPartition: 'PARTNERS',
  /** A partner's audit trail: who changed what, when (newest last). */
  partnerChange: (partnerId: string, at: string, unique: string): Key => ({ pk: `PARTNER#${partnerId}`, sk: `CHANGE#${at}#${unique}` }),
  partnerChangesPartition: (partnerId: string) => `PARTNER#${partnerId}`,
  partnerChangePrefix: 'CHANGE#',
  /** A student's partner-account history: linked, unlinked, moved (who, why, when). */
  studentAccountEvent: (studentId: string, at: string, partnerId: string, unique: string): Key => ({
    pk: `STUDENT#${studentId}`,
    sk: `ACCOUNT_EVENT#${at}#${partnerId}#${unique}`,
  }),

  /** Email to this address bounced or was reported as spam: nothing more is sent to it. */
  suppression: (email: string): Key => ({ pk: `SUPPRESSION#${email}`, sk: 'SUPPRESSION' }),

  /** An enrollment's extra entries in the list index (one per list its own item cannot also be in). */
  enrollmentListEntry: (enrollmentId: string, list: 'PROGRAM' | 'RECENT'): Key => ({
    pk: `ENROLLMENT#${enrollmentId}`,
    sk: `LIST#${list}`,
  }),

  /** A student's evidence as the admin's review queue reads it (the step holds the same evidence, which decides). */
  evidence: (evidenceId: string): Key => ({ pk: `EVIDENCE#${evidenceId}`, sk: 'EVIDENCE' }),

  /** An export's job record (its progress, its file). */
  exportJob: (exportId: string): Key => ({ pk: `EXPORT#${exportId}`, sk: 'EXPORT' }),
  /** An import's job record (status, the run's progress and counts). */
  importJob: (importId: string): Key => ({ pk: `IMPORT#${importId}`, sk: 'IMPORT' }),
  /** One chunk's recorded results of a run (written once: a redelivered chunk finds it). */
  importChunk: (importId: string, run: number, index: number): Key => ({
    pk: `IMPORT#${importId}`,
    sk: `RUN#${pad(run, 4)}#CHUNK#${pad(index, 6)}`,
  }),
  importPartition: (importId: string) => `IMPORT#${importId}`,
  importRunPrefix: (run: number) => `RUN#${pad(run, 4)}#CHUNK#`,
  /** The import list: one entry per import, newest last by its creation time. */
  importListEntry: (createdAt: string, importId: string): Key => ({ pk: 'IMPORTS', sk: `${createdAt}#${importId}` }),
  importListPartition: 'IMPORTS',

  /** Where a scheduled job that pages over several runs stopped. */
  jobCursor: (job: string): Key => ({ pk: `JOB#${job}`, sk: 'CURSOR' }),

  partnerCounter: (shard: number, partnerId: string): Key => ({ pk: `COUNTERS#${shard}`, sk: `PARTNER#${partnerId}` }),
  /** How many deliveries wait in the unmatched inbox (one shard's share): what the navigation shows, without reading the inbox. */
  unmatchedCounter: (shard: number): Key => ({ pk: `COUNTERS#${shard}`, sk: 'UNMATCHED' }),
  programCounter: (shard: number, programId: string): Key => ({ pk: `COUNTERS#${shard}`, sk: `PROGRAM#${programId}` }),
  counterShard: (shard: number) => `COUNTERS#${shard}`,
} as const;

/** What a counter item counts, read back from its sort key. */
export function parseCounterKey(sk: string): { kind: 'partner' | 'program'; id: string } | undefined {
  const [kind, ...rest] = sk.split('#');
  const id = rest.join('#');
  if (kind === 'PARTNER') return { kind: 'partner', id };
  if (kind === 'PROGRAM') return { kind: 'program', id };
  return undefined;
}

/** Values of the index attributes, per item type. */
export const indexKeys = {
  /**
   * Owner index: a student's enrollments, each followed by its steps, oldest first; one Query reads
   * them all (the student's page, webhook matching).
   */
  studentEnrollment: (studentId: string, createdAt: string, enrollmentId: string) => ({
    gsi1pk: `STUDENT#${studentId}`,
    gsi1sk: `ENROLLMENT#${createdAt}#${enrollmentId}`,
  }),
  studentEnrollmentStep: (studentId: string, createdAt: string, enrollmentId: string, index: number) => ({
    gsi1pk: `STUDENT#${studentId}`,
    gsi1sk: `ENROLLMENT#${createdAt}#${enrollmentId}#STEP#${pad(index, 2)}`,
  }),
  studentPartition: (studentId: string) => `STUDENT#${studentId}`,
  studentEnrollmentPrefix: 'ENROLLMENT#',

  /**
   * The evidence review queue: one partition per status and partner (the partner filter is one
   * query; the whole queue one query per partner, merged), oldest first.
   */
  evidenceQueue: (status: string, partnerId: string, submittedAt: string, evidenceId: string) => ({
    gsi1pk: `EVIDENCE#${status}#${partnerId}`,
    gsi1sk: `${submittedAt}#${evidenceId}`,
  }),
  evidenceQueuePartition: (status: string, partnerId: string) => `EVIDENCE#${status}#${partnerId}`,

  unmatchedForAccount: (partnerId: string, externalId: string, receivedAt: string, webhookId: string) => ({
    gsi1pk: `UNMATCHED#ACCOUNT#${partnerId}#${externalId}`,
    gsi1sk: `${receivedAt}#${webhookId}`,
  }),
  unmatchedForEmail: (email: string, receivedAt: string, webhookId: string) => ({
    gsi1pk: `UNMATCHED#EMAIL#${email}`,
    gsi1sk: `${receivedAt}#${webhookId}`,
  }),
  unmatchedForStudent: (studentId: string, receivedAt: string, webhookId: string) => ({
    gsi1pk: `UNMATCHED#STUDENT#${studentId}`,
    gsi1sk: `${receivedAt}#${webhookId}`,
  }),
  unmatchedAccountPartition: (partnerId: string, externalId: string) => `UNMATCHED#ACCOUNT#${partnerId}#${externalId}`,
  unmatchedStudentPartition: (studentId: string) => `UNMATCHED#STUDENT#${studentId}`,
  unmatchedEmailPartition: (email: string) => `UNMATCHED#EMAIL#${email}`,

  // gsi3: every delivery of a partner, by time (the delivery log).
  partnerDelivery: (partnerId: string, receivedAt: string, webhookId: string) => ({
    gsi3pk: `DELIVERIES#${partnerId}`,
    gsi3sk: `${receivedAt}#${webhookId}`,
  }),
  partnerDeliveriesPartition: (partnerId: string) => `DELIVERIES#${partnerId}`,

  // gsi2, sparse: an item is in the index only while it needs attention.
  inProgressStep: (startedAt: string, enrollmentId: string, index: number) => ({
    gsi2pk: 'IN_PROGRESS',
    gsi2sk: `${startedAt}#${enrollmentId}#${pad(index, 2)}`,
  }),
  inProgressPartition: 'IN_PROGRESS',
  unmatchedInbox: (receivedAt: string, partnerId: string, webhookId: string) => ({
    gsi2pk: 'UNMATCHED',
    gsi2sk: `${receivedAt}#${partnerId}#${webhookId}`,
  }),
  unmatchedPartition: 'UNMATCHED',
  reapplyQueue: (queuedAt: string, studentId: string) => ({ gsi2pk: 'REAPPLY_QUEUE', gsi2sk: `${queuedAt}#${studentId}` }),
  reapplyQueuePartition: 'REAPPLY_QUEUE',
  advanceDue: (requestedAt: string, enrollmentId: string) => ({ gsi2pk: 'ADVANCE_DUE', gsi2sk: `${requestedAt}#${enrollmentId}` }),
  advanceDuePartition: 'ADVANCE_DUE',
  workflowFailed: (at: string, enrollmentId: string) => ({ gsi2pk: 'WORKFLOW_FAILED', gsi2sk: `${at}#${enrollmentId}` }),
  workflowFailedPartition: 'WORKFLOW_FAILED',
  /** A valid certificate that expires, by expiry instant: the admin's expiring list and the reminder sweep. */
  certificateExpiring: (expiresAt: string, certificateId: string) => ({
    gsi2pk: 'CERTIFICATE_EXPIRY',
    gsi2sk: `${expiresAt}#${certificateId}`,
  }),
  certificateExpiryPartition: 'CERTIFICATE_EXPIRY',
  /** A revoked certificate, by its bit in its status list: what the list's credential sets. */
  certificateRevoked: (list: number, index: number) => ({ gsi2pk: `STATUS_LIST#${list}#REVOKED`, gsi2sk: pad(index, 7) }),
  revokedPartition: (list: number) => `STATUS_LIST#${list}#REVOKED`,

  // gsi5, sparse: the schedule index. An item is in it while the sweep has something to do for it
  // at a known time: a step in progress (its next reminder, its due date, a claim running out), an
  // enrollment whose welcome email is not settled.
  stepWake: (wakeAt: string, enrollmentId: string, index: number) => ({
    gsi5pk: 'SCHEDULED',
    gsi5sk: `${wakeAt}#${enrollmentId}#STEP#${pad(index, 2)}`,
  }),
  welcomeWake: (wakeAt: string, enrollmentId: string) => ({ gsi5pk: 'SCHEDULED', gsi5sk: `${wakeAt}#${enrollmentId}#WELCOME` }),
  scheduledPartition: 'SCHEDULED',
} as const;

/**
 * gsi4, the list index: the admin's enrollment lists (and exports), each partition one list in one
 * order. The enrollment item is in its status's list by creation; its two list entries put it in
 * its program's list by creation and in its status's list by last change.
 */
export const listKeys = {
  byCreated: (status: string, createdAt: string, enrollmentId: string) => ({
    gsi4pk: `ENROLLMENTS#${status}`,
    gsi4sk: `${createdAt}#${enrollmentId}`,
  }),
  byProgram: (programId: string, status: string, createdAt: string, enrollmentId: string) => ({
    gsi4pk: `PROGRAM#${programId}#${status}`,
    gsi4sk: `${createdAt}#${enrollmentId}`,
  }),
  byLastChange: (status: string, updatedAt: string, enrollmentId: string) => ({
    gsi4pk: `RECENT#${status}`,
    gsi4sk: `${updatedAt}#${enrollmentId}`,
  }),
  /** A student's name and email by every suffix, partitioned by the suffix's first two characters. */
  search: (suffix: string, studentId: string) => ({ gsi4pk: `SEARCH#${suffix.slice(0, 2)}`, gsi4sk: `${suffix}#${studentId}` }),
  searchPartition: (text: string) => `SEARCH#${text.slice(0, 2)}`,
  /** Certificates by when they were issued (the certificate export's date range). */
  certificateIssued: (issuedAt: string, certificateId: string) => ({ gsi4pk: 'CERTIFICATES', gsi4sk: `${issuedAt}#${certificateId}` }),
  certificatesPartition: 'CERTIFICATES',
  createdPartition: (status: string) => `ENROLLMENTS#${status}`,
  programPartition: (programId: string, status: string) => `PROGRAM#${programId}#${status}`,
  lastChangePartition: (status: string) => `RECENT#${status}`,
} as const;

/** The certificate id in a `listKeys.certificateIssued` sort key (the issue time holds no `#`). */
export function parseCertificateIssuedKey(gsi4sk: string): string {
  return gsi4sk.slice(gsi4sk.indexOf('#') + 1);
}

/** The suffix in a `listKeys.search` sort key: everything before the student id (a suffix may hold `#`). */
export function parseSearchKey(gsi4sk: string, studentId: string): string {
  return gsi4sk.slice(0, -(studentId.length + 1));
}

/** Outbound events: each event, the endpoints (one partition), each delivery of an event to an endpoint. */
export const outboundKeys = {
  event: (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: 'EVENT' }),
  endpointsPartition: 'EVENT_ENDPOINTS',
  endpoint: (endpointId: string) => ({ pk: 'EVENT_ENDPOINTS', sk: `ENDPOINT#${endpointId}` }),
  deliveriesPartition: (endpointId: string) => `EVENT_ENDPOINT#${endpointId}`,
  delivery: (endpointId: string, eventId: string) => ({ pk: `EVENT_ENDPOINT#${endpointId}`, sk: `DELIVERY#${eventId}` }),
  deliveryPrefix: 'DELIVERY#',
  // gsi2, sparse: an event until it is relayed; a delivery while an attempt is due.
  outbox: (eventId: string) => ({ gsi2pk: 'OUTBOX', gsi2sk: eventId }),
  outboxPartition: 'OUTBOX',
  due: (nextAttemptAt: string, endpointId: string, eventId: string) => ({
    gsi2pk: 'EVENT_DELIVERIES_DUE',
    gsi2sk: `${nextAttemptAt}#${endpointId}#${eventId}`,
  }),
  duePartition: 'EVENT_DELIVERIES_DUE',
} as const;

/** The shard a given enrollment's counter updates go to (stable, so replays hit the same item). */
export function counterShard(enrollmentId: string): number {
  let hash = 0;
  for (let i = 0; i < enrollmentId.length; i++) hash = (hash * 31 + enrollmentId.charCodeAt(i)) >>> 0;
  return hash % COUNTER_SHARDS;
}

/**
 * The keys and values the state machine's RecordFailure task (a direct, conditional DynamoDB
 * UpdateItem) needs, in DynamoDB's attribute-value form. Passed in the execution input so the ASL
 * file holds no key formats of its own. `startedAt` is when the execution was started, by the
 * same clock that writes advanceRequestedAt: a request newer than that survives the failure, and
 * it is also the failure's `at` and its index sort key. `#version` is bumped, as by every write.
 */
export function workflowRecordKeys(enrollmentId: string, startedAt: string) {
  const key = keys.enrollment(enrollmentId);
  const failed = indexKeys.workflowFailed(startedAt, enrollmentId);
  return {
    enrollment: { pk: { S: key.pk }, sk: { S: key.sk } },
    failureAttributes: {
      '#pk': 'pk',
      '#failure': 'workflowFailure',
      '#indexPk': 'gsi2pk',
      '#indexSk': 'gsi2sk',
      '#advance': 'advanceRequestedAt',
      '#status': 'status',
      '#version': 'version',
    },
    failedIndex: { pk: { S: failed.gsi2pk }, sk: { S: failed.gsi2sk } },
    startedAt: { S: startedAt },
  };
}
