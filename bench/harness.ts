// One DynamoDB Local for the whole run, and a metered local-mode Baton per scenario (each on
// its own table): the real route table, handlers, repository and state machine file, with
// counters on the DynamoDB clients, the workflow event log and the ports.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SEED_PARTNER_IDS as PARTNER_IDS } from '../functions/domain/seed-partners.js';
import { REPO_ROOT, startLocalBaton, type LocalBaton, type LocalBatonOptions } from '../local/baton.js';
import { localClientConfig, startDynamoDbLocal, type DynamoDbLocal } from '../local/dynamodb-local.js';
import { completionBody, sendWebhook, signWebhook, type CompletionSpec } from '../local/partner-webhook-client.js';
import { DynamoMeter, PortMeter, WorkflowMeter, lambdaTaskStates } from './instrument.js';

export const ADMIN_EMAIL = 'admin@test.com';

export interface BenchBaton {
  baton: LocalBaton;
  /** Local mode's files (certificates, organization files, emails). */
  dataDir: string;
  dynamo: DynamoMeter;
  workflow: WorkflowMeter;
  ports: PortMeter;
  /** A DynamoDB client on the same emulator, metered by `dynamo` too (bare requests). */
  client: DynamoDBClient;
  /** An unmetered client for loading fixtures (asking for consumed capacity halves DynamoDB Local's write rate). */
  loader: DynamoDBClient;
  /** Calls the API as the admin; returns status, parsed body and the round-trip time. */
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown; ms: number }>;
  /** Signs a completion as the partner would and posts it; returns status, body and round-trip time. */
  webhook(
    partnerId: string,
    spec: Omit<CompletionSpec, 'event'>,
    id?: string,
  ): Promise<{ status: number; body: unknown; ms: number; id: string }>;
  /** Runs the held workflow starts and waits until every execution is done. */
  settleWorkflows(): Promise<void>;
  stop(): Promise<void>;
}

/** An answer's `status` field (`applied`, `duplicate`, `completed`…), or undefined when the body is not an object. */
export function answerStatus(body: unknown): unknown {
  return typeof body === 'object' && body !== null && 'status' in body ? body.status : undefined;
}

export class BenchDynamoDb {
  private constructor(readonly local: DynamoDbLocal) {}

  static async start(): Promise<BenchDynamoDb> {
    return new BenchDynamoDb(await startDynamoDbLocal());
  }

  async baton(tableName: string, options: Pick<LocalBatonOptions, 'importStartsPerSecond'> = {}): Promise<BenchBaton> {
    const inspector = new DynamoDBClient(localClientConfig(this.local.endpoint));
    const dynamo = new DynamoMeter(inspector);
    const workflow = new WorkflowMeter(lambdaTaskStates(REPO_ROOT));
    const ports = new PortMeter();
    const dataDir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
    const secrets = Object.fromEntries(PARTNER_IDS.map((id) => [id, [`whsec_${randomBytes(24).toString('base64')}`]]));
    const baton = await startLocalBaton({
      dataDir,
      dynamoDbEndpoint: this.local.endpoint,
      tableName,
      partnerSecrets: secrets,
      decorate: ports.decorate,
      instrument: { dynamoDbClient: (client) => dynamo.attach(client), workflowEvent: workflow.observe },
      ...options,
    });
    const client = new DynamoDBClient(localClientConfig(this.local.endpoint));
    dynamo.attach(client);
    const loader = new DynamoDBClient(localClientConfig(this.local.endpoint));
    const adminToken = (await baton.auth.issue(ADMIN_EMAIL)).token;

    return {
      baton,
      dataDir,
      dynamo,
      workflow,
      ports,
      client,
      loader,
      async admin(method, path, body) {
        const started = performance.now();
        const response = await fetch(`${baton.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined, ms: performance.now() - started };
      },
      async webhook(partnerId, spec, id) {
        const signed = signWebhook({
          secret: secrets[partnerId]![0]!,
          body: completionBody({ event: 'course.completed', ...spec }),
          ...(id ? { id } : {}),
        });
        const started = performance.now();
        const response = await sendWebhook(`${baton.url}/api/webhooks/partners/${partnerId}`, signed);
        return { ...response, ms: performance.now() - started, id: signed.id };
      },
      async settleWorkflows() {
        await ports.release();
        await baton.drain();
      },
      async stop() {
        client.destroy();
        inspector.destroy();
        loader.destroy();
        await baton.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }

  stop(): Promise<void> {
    return this.local.stop();
  }
}
