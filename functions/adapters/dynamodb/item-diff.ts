// The write that turns one stored item into another: SET what changed or appeared, REMOVE what
// went. Items come from the same mapping of domain state (the *-items.ts modules), so a save never
// names an attribute by hand, and no write can SET and REMOVE the same attribute.
import type { Item } from './item.js';

export interface ItemUpdate {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/** The key attributes are the item's identity: never part of an update. */
const KEY_ATTRIBUTES = new Set(['pk', 'sk']);

/** SET/REMOVE from `before` to `after`, or undefined when nothing differs. */
export function itemUpdate(before: Item, after: Item): ItemUpdate | undefined {
  const set: string[] = [];
  const remove: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const name = (attribute: string) => {
    const placeholder = `#a${Object.keys(names).length}`;
    names[placeholder] = attribute;
    return placeholder;
  };
  for (const [attribute, value] of Object.entries(after)) {
    if (KEY_ATTRIBUTES.has(attribute) || value === undefined || sameValue(before[attribute], value)) continue;
    const placeholder = name(attribute);
    values[`:v${set.length}`] = value;
    set.push(`${placeholder} = :v${set.length}`);
  }
  for (const [attribute, value] of Object.entries(before)) {
    if (KEY_ATTRIBUTES.has(attribute) || value === undefined || after[attribute] !== undefined) continue;
    remove.push(name(attribute));
  }
  if (set.length === 0 && remove.length === 0) return undefined;
  const expression = [set.length ? `SET ${set.join(', ')}` : '', remove.length ? `REMOVE ${remove.join(', ')}` : '']
    .filter(Boolean)
    .join(' ');
  return { UpdateExpression: expression, ExpressionAttributeNames: names, ...(set.length ? { ExpressionAttributeValues: values } : {}) };
}

/** Deep equality of two attribute values as the document client marshals them (maps compare by content). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y)))
        : v,
    ) ?? 'undefined'
  );
}
