// RFC 6901 JSON Pointers, evaluated on parsed JSON from partners. Hand-written (it is a dozen
// lines) because the npm implementations walk inherited properties: "/constructor" or
// "/__proto__" on an untrusted body must name nothing, not Object's internals.

/** "" (the whole document) or "/"-separated tokens in which "~" appears only as "~0" or "~1". */
const POINTER = /^(?:\/(?:[^~/]|~[01])*)*$/;

export const isJsonPointer = (value: string): boolean => POINTER.test(value) && value.length <= 200;

/** The value the pointer names, or undefined when it names nothing (own properties and array indexes only). */
export function resolvePointer(document: unknown, pointer: string): unknown {
  if (!isJsonPointer(pointer)) throw new Error(`not a JSON Pointer: ${pointer}`);
  if (pointer === '') return document;
  let value: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      if (!/^(?:0|[1-9][0-9]*)$/.test(token)) return undefined;
      value = value[Number(token)];
    } else if (typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, token)) {
      value = (value as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return value;
}
