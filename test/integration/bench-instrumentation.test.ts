// What `npm run bench` relies on: local mode hands its DynamoDB clients and workflow events to
// an instrumentation hook, and the meter charges requests as DynamoDB would.
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { writeUnits } from '../../bench/capacity-model.js';
import { DynamoMeter } from '../../bench/instrument.js';
import { TABLE_SCHEMA } from '../../functions/adapters/dynamodb/schema.js';
import type { WorkflowEvent } from '../../local/workflow-runner.js';
import { ensureTable, localClientConfig } from '../../local/dynamodb-local.js';
import { ADMIN, STUDENT, startTestBaton, type TestBaton } from '../support/test-baton.js';

let baton: TestBaton | undefined;
afterEach(async () => {
  await baton?.stop();
  baton = undefined;
});

describe('local mode instrumentation', () => {
  it('passes every DynamoDB client it uses and every workflow event to the hooks', async () => {
    const commands: string[] = [];
    const events: Array<{ execution: string; event: WorkflowEvent }> = [];
    let clients = 0;
    baton = await startTestBaton({
      instrument: {
        dynamoDbClient: (client) => {
          clients++;
          client.middlewareStack.add(
            (next, context) => async (args) => {
              commands.push(String(context.commandName));
              return next(args);
            },
            { step: 'initialize', name: 'testCounter' },
          );
        },
        workflowEvent: (execution, event) => events.push({ execution, event }),
      },
    });

    const enrollment = await baton.enroll({ studentEmail: STUDENT, programId: 'medical-assistant' });

    expect(clients).toBe(2); // the repository's, and the workflow's RecordFailure integration
    expect(commands).toContain('TransactWriteItemsCommand');
    const ours = events.filter((e) => e.execution.startsWith(enrollment.id));
    expect(ours.map((e) => e.event.type)).toContain('ExecutionStarted');
    expect(ours.filter((e) => e.event.type === 'StateEntered').map((e) => (e.event as { state: { name: string } }).state.name)).toEqual([
      'Advance',
      'EnrollmentCompleted',
      'Done',
    ]);
    expect((await baton.api('GET', `/api/enrollments/${enrollment.id}`, { as: ADMIN })).status).toBe(200);
  });
});

describe('the benchmark meter', () => {
  const setup = async () => {
    const config = localClientConfig(inject('dynamoDbEndpoint'));
    const tableName = `bench-meter-${randomUUID()}`;
    await ensureTable(config, tableName);
    const client = new DynamoDBClient(config);
    const inspector = new DynamoDBClient(config);
    const meter = new DynamoMeter(inspector);
    meter.attach(client);
    return { client, meter, tableName, close: () => (client.destroy(), inspector.destroy()) };
  };
  const s = (value: string) => ({ S: value });

  it('charges a transaction two write units per item, where DynamoDB Local reports two for the whole transaction', async () => {
    const { client, meter, tableName, close } = await setup();
    const put = (pk: string) => ({ Put: { TableName: tableName, Item: { pk: s(pk), sk: s('x') } } });

    const { tally } = await meter.measure(() =>
      client.send(new TransactWriteItemsCommand({ TransactItems: [put('a'), put('b'), put('c'), put('d')] })),
    );
    close();

    expect(tally.requests).toEqual({ TransactWriteItems: 1 });
    expect(tally.writeUnits).toBe(8);
  });

  it('agrees with DynamoDB Local on single-item writes, index writes included (by what each index projects)', async () => {
    const { client, meter, tableName, close } = await setup();
    // A 3 KB attribute no index projects: the table writes 4 units for it, the index entry one.
    const before = { pk: s('e'), sk: s('ENROLLMENT'), gsi2pk: s('ADVANCE_DUE'), gsi2sk: s('2026-01-01'), rawBody: s('x'.repeat(3000)) };
    const after = { ...before, gsi2sk: s('2026-02-01') };

    const created = await meter.measure(() => client.send(new PutItemCommand({ TableName: tableName, Item: before })));
    const moved = await meter.measure(() =>
      client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: before.pk, sk: before.sk },
          UpdateExpression: 'SET gsi2sk = :at',
          ExpressionAttributeValues: { ':at': after.gsi2sk },
        }),
      ),
    );
    close();

    const model = (b: typeof before | undefined, a: typeof before) => {
      const units = writeUnits(b, a, TABLE_SCHEMA.indexes, false);
      return { writeUnits: units.table + units.index, indexWriteUnits: units.index };
    };
    expect({ writeUnits: created.tally.writeUnits, indexWriteUnits: created.tally.indexWriteUnits }).toEqual(model(undefined, before));
    expect({ writeUnits: moved.tally.writeUnits, indexWriteUnits: moved.tally.indexWriteUnits }).toEqual(model(before, after));
    expect(created.tally).toMatchObject({ writeUnits: 4, indexWriteUnits: 1 });
    expect(moved.tally.writeUnits).toBe(5); // the item (3 KB), and its small index entry moved (delete + put)
  });
});
