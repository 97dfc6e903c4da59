// The table's indexes as DynamoDB will accept them: CreateTable (CloudFormation's too) refuses more
// than 100 INCLUDE attributes summed over a table's indexes, an error a deploy would only meet on AWS.
import { describe, expect, it } from 'vitest';
import { MAX_PROJECTED_ATTRIBUTES, projectionOf, TABLE_SCHEMA } from '../../functions/adapters/dynamodb/schema.js';

const included = TABLE_SCHEMA.indexes.map((index) => {
  const projection = projectionOf(index);
  return { name: index.indexName, attributes: projection.ProjectionType === 'INCLUDE' ? projection.NonKeyAttributes : [] };
});

describe('the table schema', () => {
  it(`names at most ${MAX_PROJECTED_ATTRIBUTES} INCLUDE attributes over all its indexes (each index counts its own)`, () => {
    const total = included.reduce((sum, index) => sum + index.attributes.length, 0);
    expect(total, included.map((i) => `${i.name}: ${i.attributes.length}`).join(', ')).toBeLessThanOrEqual(MAX_PROJECTED_ATTRIBUTES);
  });

  it('names each projected attribute once per index and never a key attribute', () => {
    const keys: ReadonlySet<string> = new Set<string>([
      TABLE_SCHEMA.partitionKey,
      TABLE_SCHEMA.sortKey,
      ...TABLE_SCHEMA.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ]);
    for (const index of included) {
      expect(new Set(index.attributes).size, index.name).toBe(index.attributes.length);
      expect(
        index.attributes.filter((a) => keys.has(a)),
        index.name,
      ).toEqual([]);
    }
  });
});
