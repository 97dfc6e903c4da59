// The queues that run work off a request: outbound event delivery attempts (each message one
// delivery, delayed up to SQS's 15 minutes; longer waits are the sweep's) and export runs.
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { eventQueueUrl, exportQueueUrl, importQueueUrl } from '../../config.js';
import type { ImportMessage, ImportQueue } from '../../use-cases/ports/imports.js';
import type { DeliveryQueue, DeliveryRef } from '../../use-cases/ports/outbound.js';
import type { ExportQueue } from '../../use-cases/ports/exports.js';

export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly url: string,
  ) {}

  async enqueue(refs: readonly DeliveryRef[], delaySeconds = 0) {
    const delay = Math.min(900, Math.max(0, Math.ceil(delaySeconds)));
    for (const ref of refs) {
      await this.client.send(new SendMessageCommand({ QueueUrl: this.url, MessageBody: JSON.stringify(ref), DelaySeconds: delay }));
    }
  }
}

export class SqsExportQueue implements ExportQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly url: string,
  ) {}

  async enqueue(exportId: string) {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.url, MessageBody: JSON.stringify({ exportId }) }));
  }
}

export class SqsImportQueue implements ImportQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly url: string,
  ) {}

  async enqueue(message: ImportMessage) {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.url, MessageBody: JSON.stringify(message) }));
  }
}

/** A queue message's body as an import step, or undefined when it is not one. */
export function importMessageOf(body: string): ImportMessage | undefined {
  try {
    const m = JSON.parse(body) as Partial<Record<string, unknown>>;
    if (typeof m.importId !== 'string' || typeof m.run !== 'number') return undefined;
    if (m.step === 'prepare' || m.step === 'finish') return { importId: m.importId, run: m.run, step: m.step };
    if (m.step === 'chunk' && typeof m.index === 'number') return { importId: m.importId, run: m.run, step: 'chunk', index: m.index };
  } catch {
    // not JSON
  }
  return undefined;
}

export const sqsImportQueue = () => new SqsImportQueue(new SQSClient({}), importQueueUrl());
export const sqsDeliveryQueue = () => new SqsDeliveryQueue(new SQSClient({}), eventQueueUrl());
export const sqsExportQueue = () => new SqsExportQueue(new SQSClient({}), exportQueueUrl());

/** A queue message's body as a delivery, or undefined when it is not one (it is logged and dropped to the DLQ's care). */
export function deliveryRefOf(body: string): DeliveryRef | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<DeliveryRef>;
    if (typeof parsed.endpointId === 'string' && typeof parsed.eventId === 'string')
      return { endpointId: parsed.endpointId, eventId: parsed.eventId };
  } catch {
    // not JSON
  }
  return undefined;
}
