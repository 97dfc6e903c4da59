import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { optionalEnv, requireEnv } from '../../config.js';
import { DynamoRepository } from './repository.js';

export function documentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return documentClientFor(new DynamoDBClient(config));
}

/** The document client over an existing client (local mode passes one it has instrumented). */
export function documentClientFor(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** The repository a Lambda uses: table from TABLE_NAME, optional DYNAMODB_ENDPOINT for local runs. */
export function dynamoRepository(): DynamoRepository {
  const endpoint = optionalEnv('DYNAMODB_ENDPOINT');
  return new DynamoRepository(documentClient(endpoint ? { endpoint } : {}), requireEnv('TABLE_NAME'));
}
