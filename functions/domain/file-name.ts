// The one rule for a report file's name, wherever one arrives: the body that creates an import
// (the name the admin's computer gave) and the last part of a key in the drop zone.

export const MAX_FILE_NAME_LENGTH = 200;
export const FILE_NAME_RULE = `at most ${MAX_FILE_NAME_LENGTH} characters, no path, no control characters`;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const NOT_IN_A_FILE_NAME = /[/\\\x00-\x1f\x7f]/;

/** Whether a (trimmed, non-empty) name keeps the rule. */
export const isFileName = (name: string): boolean => name.length <= MAX_FILE_NAME_LENGTH && !NOT_IN_A_FILE_NAME.test(name);

/** A name that breaks the rule, made fit to list: what it may not hold shown as "?", cut short. */
export const cleanedFileName = (name: string): string => {
  const cleaned = name.replace(new RegExp(NOT_IN_A_FILE_NAME, 'g'), '?');
  return cleaned.length > 80 ? `${cleaned.slice(0, 79)}…` : cleaned;
};
