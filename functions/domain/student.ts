// A student: one person, found by email, by the partner accounts linked to them, and — once they
// have signed in — by their sign-in account (`sub`), which is what ownership rests on from then on.
import type { PartnerId } from './partners.js';

export interface Student {
  id: string;
  name: string;
  email: string;
  createdAt: string;
  /** The sign-in account (Cognito `sub`) that first signed in with this email. */
  sub?: string;
  /** The student's account id at each partner, when known. */
  accounts: Partial<Record<PartnerId, string>>;
  /** The student turned reminder emails off: by a one-click unsubscribe link, or on their page. */
  remindersOff?: { at: string; via: 'unsubscribe_link' | 'preferences' };
}

/** A partner account linked to a student (unique: one student per account). */
export interface AccountLink {
  partnerId: PartnerId;
  externalId: string;
  studentId: string;
  at: string;
}
