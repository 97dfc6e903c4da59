// Students and their partner accounts.
import type { PartnerId } from '../../domain/partners.js';
import type { AccountEvent, AccountLink, Student } from '../../domain/student.js';
import type { Page } from './page.js';

/** A student whose name or email contains the searched text, and the suffix of it the index matched. */
export interface SearchMatch {
  studentId: string;
  studentName: string;
  studentEmail: string;
  suffix: string;
}

export interface StudentStore {
  findByEmail(email: string): Promise<Student | undefined>;
  get(studentId: string): Promise<Student | undefined>;
  /** Creates the student, or returns the one that already has this email. */
  ensure(candidate: Omit<Student, 'accounts' | 'sub'>): Promise<Student>;
  findIdByAccount(partnerId: PartnerId, externalId: string): Promise<string | undefined>;
  /** The id of the student with this email (one read, without the profile). */
  findIdByEmail(email: string): Promise<string | undefined>;
  /** Students whose name or email contains `text` (folded, see searchKey), in the order of the matching text; one entry per match. */
  match(text: string, limit: number, cursor?: string): Promise<Page<SearchMatch>>;
  /** Links a partner account; false when it is linked to another student. */
  link(link: AccountLink, event?: AccountEvent): Promise<boolean>;
  /** Unlinks an account from its student; false when it is no longer that student's. */
  unlink(link: Omit<AccountLink, 'at'>, event: AccountEvent): Promise<boolean>;
  /**
   * Moves an account from one student to another in one write: false when it is no longer the
   * first one's, or the second already has an account at that partner.
   */
  move(link: Omit<AccountLink, 'at'>, toStudentId: string, at: string, events: { from: AccountEvent; to: AccountEvent }): Promise<boolean>;
  /** Records the sign-in account that owns the student from now on; false when another one already does. */
  claim(studentId: string, sub: string): Promise<boolean>;
  /** Turns reminder emails off (`off`) or back on (undefined); false when there is no such student. */
  setRemindersOff(studentId: string, off: Student['remindersOff']): Promise<boolean>;
}
