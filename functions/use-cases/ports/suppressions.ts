// Addresses no email goes to (bounced for good, or reported as spam).
import type { Suppression } from '../../domain/suppression.js';

export interface SuppressionList {
  get(email: string): Promise<Suppression | undefined>;
  /** Records the suppression (a later one for the same address replaces it). */
  add(suppression: Suppression): Promise<void>;
}
