/** The structured logger use cases write to (Powertools Logger in Lambda and local mode). */
export interface Logger {
  debug(message: string, ...extra: Array<Record<string, unknown>>): void;
  info(message: string, ...extra: Array<Record<string, unknown>>): void;
  warn(message: string, ...extra: Array<Record<string, unknown>>): void;
  error(message: string, ...extra: Array<Record<string, unknown>>): void;
  /** Adds keys (enrollment id, partner id, webhook id) to every later line of this request. */
  appendKeys(attributes: Record<string, unknown>): void;
}
