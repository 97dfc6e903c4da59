// What every item mapping shares: the item type, the attribute that names an item's entity, and
// copying a domain object's fields onto an item and back.
export type Item = Record<string, unknown>;

/** Every item says what it is, so one query over a partition can tell its items apart. */
export const ENTITY = 'entity';

export const isEntity = (item: Item, entity: string) => item[ENTITY] === entity;

/** The listed fields that are set, in the listed order. */
export function pick(source: object, fields: readonly string[]): Record<string, unknown> {
  const record = source as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (record[field] !== undefined) picked[field] = record[field];
  return picked;
}
