import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { optionalEnv, requireEnv } from '../../config.js';
import { DynamoRepository } from './repository.js';

export function documentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** The repository a Lambda uses: table from TABLE_NAME, optional DYNAMODB_ENDPOINT for local runs. */
export function dynamoRepository(): DynamoRepository {
  const endpoint = optionalEnv('DYNAMODB_ENDPOINT');
  return new DynamoRepository(documentClient(endpoint ? { endpoint } : {}), requireEnv('TABLE_NAME'));
}
