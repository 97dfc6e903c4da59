// Turning reminder emails off and on: by the one-click link in every reminder (a signed token, no
// sign-in; RFC 8058's POST, or the button on the page a GET shows) and on the student's own page.
// Only reminders stop: the welcome, completion and certificate emails still come.
import { DomainError } from '../domain/errors.js';
import type { Student } from '../domain/student.js';
import { studentOfToken, tokenFingerprint } from '../domain/unsubscribe.js';
import type { Actor } from './enrollments.js';
import { owns } from './enrollments.js';
import type { Logger } from './logger.js';
import type { Clock, UnsubscribeKeys } from './ports/services.js';
import type { StudentStore } from './ports/students.js';

interface PreferenceDeps {
  students: StudentStore;
  unsubscribeKeys: UnsubscribeKeys;
  clock: Clock;
  logger: Logger;
}

const INVALID_LINK =
  'this unsubscribe link is not valid (it may have been cut short when it was copied); use the link in your latest reminder email, or turn reminders off on your progress page';

/** The student an unsubscribe token names, or INVALID_UNSUBSCRIBE_LINK. The token itself is never logged. */
export async function studentOfLink(deps: Omit<PreferenceDeps, 'clock'>, token: string | undefined): Promise<Student> {
  const studentId = token ? studentOfToken(await deps.unsubscribeKeys.key(), token) : undefined;
  const student = studentId ? await deps.students.get(studentId) : undefined;
  if (!student) {
    deps.logger.info('unsubscribe link refused', { token: token ? tokenFingerprint(token) : 'none' });
    throw new DomainError('INVALID_UNSUBSCRIBE_LINK', INVALID_LINK);
  }
  return student;
}

/** One-click unsubscribe: reminders off for the student the link names (already off: nothing changes). */
export async function unsubscribeByLink(deps: PreferenceDeps, token: string | undefined): Promise<{ reminders: false; email: string }> {
  const student = await studentOfLink(deps, token);
  if (!student.remindersOff) {
    await deps.students.setRemindersOff(student.id, { at: deps.clock.now().toISOString(), via: 'unsubscribe_link' });
    deps.logger.info('unsubscribed from reminders by link', { studentId: student.id, token: tokenFingerprint(token!) });
  }
  return { reminders: false, email: student.email };
}

/** The signed-in student turns reminders on or off on their page. */
export async function setReminderPreference(
  deps: Omit<PreferenceDeps, 'unsubscribeKeys'>,
  actor: Actor,
  reminders: boolean,
): Promise<{ reminders: boolean }> {
  const student = await deps.students.findByEmail(actor.email);
  if (!student || !(await owns(deps, student, actor, { claim: true }))) {
    throw new DomainError('STUDENT_NOT_FOUND', 'no student has your email yet: preferences apply once you are enrolled');
  }
  await deps.students.setRemindersOff(student.id, reminders ? undefined : { at: deps.clock.now().toISOString(), via: 'preferences' });
  deps.logger.info('reminder preference saved', { studentId: student.id, reminders });
  return { reminders };
}

/** "j•••@example.org": enough for the owner to recognise, not a whole address to anyone the link reaches. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}
