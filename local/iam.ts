// Local mode's stand-in for IAM: while a function runs, every DynamoDB request and every port
// call it makes is checked against the access that function declares (functions/access.ts, the
// route table) — the same declarations infra turns into IAM statements. Code that needs more
// than its function is granted fails here with AccessDeniedException, as it would on AWS.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UPLOAD_PREFIX_GRANTS, type Access } from '../functions/access.js';
import { STORE_PORTS, type Ports, type StoreName } from '../functions/wiring.js';

interface FunctionIdentity {
  functionId: string;
  access: ReadonlySet<Access>;
}

const current = new AsyncLocalStorage<FunctionIdentity>();

/** Runs `work` as the given function: its calls are checked against `access`. */
export function runAs<T>(functionId: string, access: readonly Access[], work: () => T): T {
  return current.run({ functionId, access: new Set(access) }, work);
}

export class AccessDeniedException extends Error {
  constructor(functionId: string, action: string, needs: Access | 'nothing grants it') {
    super(
      `baton-local-${functionId} is not authorized to perform ${action} (needs ${needs}; declared in functions/access.ts or the route table)`,
    );
    this.name = 'AccessDeniedException';
  }
}

/** True outside any function (the operator) or when the running function has this access. */
function hasAccess(kind: Access): boolean {
  const identity = current.getStore();
  return !identity || identity.access.has(kind);
}

function demand(action: string, needs: Access | null) {
  const identity = current.getStore();
  // Outside any function (seeding, the tests' own setup), the caller is the operator.
  if (!identity) return;
  if (needs === null) throw new AccessDeniedException(identity.functionId, action, 'nothing grants it');
  if (!identity.access.has(needs)) throw new AccessDeniedException(identity.functionId, action, needs);
}

/** Demands `action` on `key` of the uploads bucket: its prefix's access (UPLOAD_PREFIX_GRANTS), or else the whole bucket's. */
function demandUpload(action: 's3:GetObject' | 's3:PutObject' | 's3:DeleteObject', key: string) {
  const byPrefix = UPLOAD_PREFIX_GRANTS.find((grant) => grant.action === action && key.startsWith(grant.prefix));
  if (byPrefix && hasAccess(byPrefix.access)) return;
  demand(action, action === 's3:GetObject' ? 'uploads:read' : 'uploads:write');
}

/**
 * The DynamoDB actions infra grants: table:read → GetItem, Query; table:write → PutItem,
 * UpdateItem, DeleteItem (a transaction needs the action of each item it contains). Anything
 * else (Scan, batch operations, table management) is granted to no function.
 */
const DYNAMODB_ACTIONS: Readonly<Record<string, Access>> = {
  GetItem: 'table:read',
  Query: 'table:read',
  PutItem: 'table:write',
  UpdateItem: 'table:write',
  DeleteItem: 'table:write',
};
const TRANSACTION_ITEM_ACTIONS: Readonly<Record<string, string>> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Get: 'GetItem',
};

function dynamoDbActions(command: string, input: Record<string, unknown>): string[] {
  if (command === 'TransactWriteItems' || command === 'TransactGetItems') {
    const items = (input.TransactItems ?? []) as Array<Record<string, unknown>>;
    return items.map((item) => {
      const kind = Object.keys(item)[0] ?? '';
      return TRANSACTION_ITEM_ACTIONS[kind] ?? (kind === 'ConditionCheck' ? 'ConditionCheckItem' : kind);
    });
  }
  return [command];
}

/** Checks every request a DynamoDB client sends against the running function's access. */
export function enforceDynamoDbAccess(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? '').replace(/Command$/, '');
      for (const action of dynamoDbActions(command, args.input as Record<string, unknown>)) {
        demand(`dynamodb:${action}`, DYNAMODB_ACTIONS[action] ?? null);
      }
      return next(args);
    },
    { step: 'initialize', name: 'batonLocalIam' },
  );
}

/**
 * The ports as functions see them: each non-DynamoDB call checked (clock, settings, logger and
 * the partners' public key sets, fetched over HTTPS like any web page, need no grant). Reads `ports` at call time, so adapters set or decorated later are used.
 */
export function enforcePortAccess(ports: Ports): Ports {
  const checked: Omit<Ports, StoreName> = {
    get clock() {
      return ports.clock;
    },
    get settings() {
      return ports.settings;
    },
    get logger() {
      return ports.logger;
    },
    workflow: {
      start: async (enrollmentId, trigger) => {
        demand('states:StartExecution', 'workflow:start');
        return ports.workflow.start(enrollmentId, trigger);
      },
    },
    certificates: {
      put: async (key, pdf) => {
        demand('s3:PutObject', 'certificates:write');
        return ports.certificates.put(key, pdf);
      },
      downloadUrl: async (key, fileName) => {
        demand('s3:GetObject', 'certificates:read');
        return ports.certificates.downloadUrl(key, fileName);
      },
    },
    mailer: {
      send: async (message) => {
        demand('ses:SendEmail', 'email:send');
        return ports.mailer.send(message);
      },
    },
    get keySets() {
      return ports.keySets;
    },
    secrets: {
      secretsFor: async (partnerId) => {
        demand('secretsmanager:GetSecretValue', 'partner-secrets:read');
        return ports.secrets.secretsFor(partnerId);
      },
      activeSecrets: async (partnerId) => {
        demand('secretsmanager:GetSecretValue', 'partner-secrets:read');
        return ports.secrets.activeSecrets(partnerId);
      },
      listSecrets: async (partnerId) => {
        demand('secretsmanager:GetSecretValue', 'partner-secrets:read');
        return ports.secrets.listSecrets(partnerId);
      },
      addSecret: async (partnerId, secret) => {
        demand('secretsmanager:GetSecretValue', 'partner-secrets:read');
        demand('secretsmanager:PutSecretValue', 'partner-secrets:write');
        return ports.secrets.addSecret(partnerId, secret);
      },
      retireSecret: async (partnerId, secretId) => {
        demand('secretsmanager:GetSecretValue', 'partner-secrets:read');
        demand('secretsmanager:PutSecretValue', 'partner-secrets:write');
        return ports.secrets.retireSecret(partnerId, secretId);
      },
    },
    organizationFiles: {
      put: async (file, bytes, contentType) => {
        demand('s3:PutObject', 'organization-files:write');
        return ports.organizationFiles.put(file, bytes, contentType);
      },
      get: async (file) => {
        demand('s3:GetObject', 'organization-files:read');
        return ports.organizationFiles.get(file);
      },
    },
    signer: {
      // kms:GetPublicKey: what the JWKS routes have, and signing functions too (they name the key).
      publicKey: async () => {
        if (!hasAccess('credentials:sign')) demand('kms:GetPublicKey', 'credentials:public-key');
        return ports.signer.publicKey();
      },
      sign: async (message) => {
        demand('kms:Sign', 'credentials:sign');
        return ports.signer.sign(message);
      },
    },
    unsubscribeKeys: {
      key: async () => {
        demand('secretsmanager:GetSecretValue', 'unsubscribe-key:read');
        return ports.unsubscribeKeys.key();
      },
    },
    // Outbound HTTP is not an IAM action: what a function may reach is the sender's own rule (SSRF checks).
    get webhookSender() {
      return ports.webhookSender;
    },
    exportFiles: {
      put: async (key, body) => {
        demand('s3:PutObject', 'exports:write');
        return ports.exportFiles.put(key, body);
      },
      read: async (key) => {
        demand('s3:GetObject', 'exports:read');
        return ports.exportFiles.read(key);
      },
      assemble: async (key, pieces) => {
        demand('s3:PutObject', 'exports:write');
        return ports.exportFiles.assemble(key, pieces);
      },
      downloadUrl: async (key, fileName) => {
        demand('s3:GetObject', 'exports:read');
        return ports.exportFiles.downloadUrl(key, fileName);
      },
    },
    admins: {
      adminEmails: async () => {
        demand('cognito-idp:ListUsersInGroup', 'admins:list');
        return ports.admins.adminEmails();
      },
    },
    uploads: {
      createSlot: async (input) => {
        demandUpload('s3:PutObject', input.key);
        return ports.uploads.createSlot(input);
      },
      head: async (key) => {
        demandUpload('s3:GetObject', key);
        return ports.uploads.head(key);
      },
      read: async (key) => {
        demandUpload('s3:GetObject', key);
        return ports.uploads.read(key);
      },
      copy: async (from, to, condition) => {
        // CopyObject reads the source (s3:GetObject) and writes the copy (s3:PutObject).
        demandUpload('s3:GetObject', from);
        demandUpload('s3:PutObject', to);
        return ports.uploads.copy(from, to, condition);
      },
      write: async (key, body, contentType) => {
        demandUpload('s3:PutObject', key);
        return ports.uploads.write(key, body, contentType);
      },
      linkToRead: async (key, seconds, fileName) => {
        demandUpload('s3:GetObject', key);
        return ports.uploads.linkToRead(key, seconds, fileName);
      },
      delete: async (key) => {
        demandUpload('s3:DeleteObject', key);
        return ports.uploads.delete!(key);
      },
    },
    exportQueue: {
      enqueue: async (exportId) => {
        demand('sqs:SendMessage', 'exports:enqueue');
        return ports.exportQueue.enqueue(exportId);
      },
    },
    importQueue: {
      enqueue: async (message) => {
        demand('sqs:SendMessage', 'imports:enqueue');
        return ports.importQueue.enqueue(message);
      },
    },
    deliveryQueue: {
      enqueue: async (refs, delaySeconds) => {
        demand('sqs:SendMessage', 'events:enqueue');
        return ports.deliveryQueue.enqueue(refs, delaySeconds);
      },
    },
  };
  // The stores' DynamoDB requests are checked on the client, request by request (enforceDynamoDbAccess).
  for (const name of STORE_PORTS) Object.defineProperty(checked, name, { enumerable: true, get: () => ports[name] });
  return checked as Ports;
}
