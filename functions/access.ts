// What each function may touch. Routes declare theirs in the route table; the functions that are
// not routes declare theirs here. infra grants exactly these (one IAM statement per kind), and
// local mode enforces them on every call (local/iam.ts), so code that needs more than its function
// declares fails in the tests, not with AccessDenied in production.
import { DROP_ZONE_PREFIX, IMPORT_RUNS_PREFIX } from './domain/upload-prefixes.js';
import { DEPLOYED_ROUTES, ROUTES } from './http/routes.js';
import { WORKFLOW_TASK_HANDLERS, type WorkflowTaskSubstitution } from './workflow/definition.js';

export type Access =
  | 'table:read'
  | 'table:write'
  | 'workflow:start'
  | 'certificates:read'
  | 'certificates:write'
  | 'email:send'
  | 'partner-secrets:read'
  /** Put a new value of the partner secrets (the admin routes that create and retire secrets). */
  | 'partner-secrets:write'
  /** The organization's images (logo, signature) under the certificates bucket's organization/ prefix. */
  | 'organization-files:read'
  | 'organization-files:write'
  /** kms:Sign (and GetPublicKey) on the credential signing key only. */
  | 'credentials:sign'
  /** kms:GetPublicKey on the credential signing key (the JWKS routes). */
  | 'credentials:public-key'
  | 'unsubscribe-key:read'
  /** Queue an outbound event delivery attempt (SQS SendMessage on the deliveries queue). */
  | 'events:enqueue'
  /** Queue an export run (SQS SendMessage on the exports queue). */
  | 'exports:enqueue'
  /** Write export files, their slices, and the multipart upload that assembles them (S3, the exports/ prefix). */
  | 'exports:write'
  /** Read export slices and make download links (S3 GetObject, the exports/ prefix). */
  | 'exports:read'
  /** List the admins (Cognito ListUsersInGroup on the user pool), to email every one of them. */
  | 'admins:list'
  /** Open upload slots (presigned PUTs) and write Baton's own files in the uploads bucket. */
  | 'uploads:write'
  /** Read uploaded files (get, head) and make their short-lived download links. */
  | 'uploads:read'
  /** Read Baton's own import files in the uploads bucket: the report a run reads, its work files (S3 GetObject, import-runs/). */
  | 'import-files:read'
  /** Write them: the drop zone's copy of a report, work files, result reports (S3 PutObject, import-runs/). */
  | 'import-files:write'
  /** Read the reports partners drop (S3 GetObject, imports/): the source of the drop zone's copy. */
  | 'drop-zone:read'
  /** Queue a step of an import run (SQS SendMessage on the imports queue). */
  | 'imports:enqueue';

export const WORKFLOW_TASK_ACCESS: Readonly<Record<WorkflowTaskSubstitution, readonly Access[]>> = {
  AdvanceFunctionArn: ['table:read', 'table:write'],
  IssueCertificateFunctionArn: ['table:read', 'table:write', 'certificates:write', 'organization-files:read', 'credentials:sign'],
  SendCompletionEmailFunctionArn: ['table:read', 'table:write', 'email:send'],
};

/** Functions that are neither routes nor workflow tasks. */
export const OTHER_FUNCTION_ACCESS = {
  /** Scheduled: restarts overdue advances and re-applies the unmatched events that now match. */
  reconcile: ['table:read', 'table:write', 'workflow:start'],
  /** Cognito trigger: works on the event alone. */
  'pre-token-generation': [],
  /** Scheduled: emails students whose certificates expire in 60 and 14 days (each reminder at most once). */
  'certificate-reminders': ['table:read', 'table:write', 'email:send'],
  /** Scheduled: welcome emails a request did not send, overdue steps, scheduled reminders. */
  'reminder-sweep': ['table:read', 'table:write', 'email:send', 'unsubscribe-key:read'],
  /** SES bounce and complaint notifications (through SNS): suppresses the address. */
  'mail-feedback': ['table:read', 'table:write'],
  /** Scheduled (every minute): relays outbound events from the outbox and queues every delivery attempt that is due. */
  'sweep-events': ['table:read', 'table:write', 'events:enqueue'],
  /** Off the deliveries queue: one signed attempt per message; emails every admin when it disables an endpoint. */
  'send-events': ['table:read', 'table:write', 'events:enqueue', 'email:send', 'admins:list'],
  /** Off the exports queue: writes an export's slices to S3, continuing in a new run when its time runs out, and assembles the file from them. */
  'run-export': ['table:read', 'table:write', 'exports:write', 'exports:read', 'exports:enqueue'],
  /** Off the imports queue: one step of an import run (read the file, a chunk of rows, the result report), or a dropped report copied to its import's key; starts workflows at a limited rate. */
  'import-worker': [
    'table:read',
    'table:write',
    'workflow:start',
    'drop-zone:read',
    'import-files:read',
    'import-files:write',
    'imports:enqueue',
  ],
} as const satisfies Readonly<Record<string, readonly Access[]>>;

/**
 * The access kinds that hold one S3 action on one prefix of the uploads bucket: what infra grants
 * (infra/constructs/baton-function.ts) and local mode checks (local/iam.ts), from this one list.
 */
export const UPLOAD_PREFIX_GRANTS = [
  { access: 'import-files:read', action: 's3:GetObject', prefix: IMPORT_RUNS_PREFIX },
  { access: 'import-files:write', action: 's3:PutObject', prefix: IMPORT_RUNS_PREFIX },
  { access: 'drop-zone:read', action: 's3:GetObject', prefix: DROP_ZONE_PREFIX },
] as const satisfies ReadonlyArray<{ access: Access; action: 's3:GetObject' | 's3:PutObject'; prefix: string }>;

/** A deployed function, by handler id (functions/handlers/<id>.ts): a deployed route, a workflow task or one of the others. */
export type FunctionId =
  | Exclude<(typeof ROUTES)[number], { localOnly: true }>['id']
  | (typeof WORKFLOW_TASK_HANDLERS)[WorkflowTaskSubstitution]
  | keyof typeof OTHER_FUNCTION_ACCESS;

/** Every function the CDK app deploys. */
export const FUNCTION_IDS: readonly FunctionId[] = [
  ...(DEPLOYED_ROUTES.map((route) => route.id) as FunctionId[]),
  ...Object.values(WORKFLOW_TASK_HANDLERS),
  ...(Object.keys(OTHER_FUNCTION_ACCESS) as Array<keyof typeof OTHER_FUNCTION_ACCESS>),
];

/** The declared access of a function, by handler id (functions/handlers/<id>.ts). */
export function accessOf(functionId: string): readonly Access[] {
  const route = ROUTES.find((r) => r.id === functionId);
  if (route) return route.access;
  const task = Object.entries(WORKFLOW_TASK_HANDLERS).find(([, id]) => id === functionId);
  if (task) return WORKFLOW_TASK_ACCESS[task[0] as WorkflowTaskSubstitution];
  const other = (OTHER_FUNCTION_ACCESS as Record<string, readonly Access[]>)[functionId];
  if (other) return other;
  throw new Error(`function ${functionId} declares no access`);
}
