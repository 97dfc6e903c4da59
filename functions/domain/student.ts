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
  accounts: Record<PartnerId, string>;
  /** Partner accounts linked, unlinked and moved, oldest first (who, why, when). */
  accountHistory?: AccountEvent[];
  /** The student turned reminder emails off: by a one-click unsubscribe link, or on their page. */
  remindersOff?: { at: string; via: 'unsubscribe_link' | 'preferences' };
}

/** A change to a student's partner accounts, kept on the student for the enrollment page. */
export interface AccountEvent {
  at: string;
  type: 'linked' | 'unlinked' | 'moved_in' | 'moved_out';
  partnerId: PartnerId;
  externalId: string;
  by: string;
  reason?: string;
  /** For a move: the other student (from whom, or to whom). */
  otherStudentId?: string;
}

/** A partner account linked to a student (unique: one student per account). */
export interface AccountLink {
  partnerId: PartnerId;
  externalId: string;
  studentId: string;
  at: string;
}
