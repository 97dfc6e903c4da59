// Students and their partner accounts.
import type { PartnerId } from '../../domain/partners.js';
import type { AccountLink, Student } from '../../domain/student.js';
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
  /** Students whose name or email starts with the query. */
  search(query: string, limit: number): Promise<Student[]>;
  /** Students whose name or email contains `text` (folded, see searchKey), in the order of the matching text; one entry per match. */
  match(text: string, limit: number, cursor?: string): Promise<Page<SearchMatch>>;
  /** Links a partner account; false when it is linked to another student. */
  link(link: AccountLink): Promise<boolean>;
  /** Records the sign-in account that owns the student from now on; false when another one already does. */
  claim(studentId: string, sub: string): Promise<boolean>;
}
