// What every email Baton sends a student has in common, whichever path sends it (the welcome, a
// scheduled reminder, an admin's nudge, the completion email): the brand, the signed unsubscribe
// link, the suppression check, one send attempt whose outcome is sent / refused / unknown, and
// recording a result once the email is out (tried again in place: the email must never be sent
// twice because its record failed).
import type { Brand } from '../domain/brand.js';
import { organizationBrand } from '../domain/organization.js';
import type { EnrollmentCommand } from '../domain/enrollment-decider.js';
import type { ReminderBlock } from '../domain/enrollment-decider.js';
import type { EmailMessage } from '../domain/notifications.js';
import type { Student } from '../domain/student.js';
import type { Suppression } from '../domain/suppression.js';
import { unsubscribeToken, unsubscribeUrl } from '../domain/unsubscribe.js';
import { attemptTransition } from './enrollment-transitions.js';
import { readOrganization } from './organization.js';
import type { Logger } from './logger.js';
import type { EnrollmentSnapshot, EnrollmentStore } from './ports/enrollments.js';
import type { OrganizationStore } from './ports/organization.js';
import type { PartnerStore } from './ports/partners.js';
import { EmailNotSent, isThrottled, type Clock, type Mailer, type Settings, type UnsubscribeKeys } from './ports/services.js';
import type { StudentStore } from './ports/students.js';
import type { SuppressionList } from './ports/suppressions.js';
import { retrying } from './retry.js';

export interface StudentEmailDeps {
  enrollments: EnrollmentStore;
  students: StudentStore;
  organization: OrganizationStore;
  partners: PartnerStore;
  suppressions: SuppressionList;
  mailer: Mailer;
  unsubscribeKeys: UnsubscribeKeys;
  clock: Clock;
  settings: Settings;
  logger: Logger;
}

/** The brand emails carry: the organization's settings as they are now. */
export async function emailBrand(deps: Pick<StudentEmailDeps, 'organization' | 'settings'>): Promise<Brand> {
  return organizationBrand(await readOrganization(deps), deps.settings.siteUrl);
}

export async function unsubscribeLink(deps: Pick<StudentEmailDeps, 'unsubscribeKeys' | 'settings'>, studentId: string): Promise<string> {
  return unsubscribeUrl(deps.settings.siteUrl, unsubscribeToken(await deps.unsubscribeKeys.key(), studentId));
}

/** Why this student cannot be reminded now, if they cannot. */
export function reminderBlock(student: Student | undefined, suppression: Suppression | undefined): ReminderBlock | undefined {
  if (suppression) return 'suppressed';
  return student?.remindersOff ? 'unsubscribed' : undefined;
}

export type DeliveryResult =
  | { outcome: 'sent'; messageId: string }
  /** Definitely not sent; `later`: the refusal was throttling, so a later send is fine. */
  | { outcome: 'refused'; reason: string; later: boolean }
  /** The mail service may have accepted it: never sent again. */
  | { outcome: 'unknown'; reason: string };

/** One attempt to send (the mailer never retries), and what it means. */
export async function deliver(deps: Pick<StudentEmailDeps, 'mailer'>, message: EmailMessage): Promise<DeliveryResult> {
  try {
    return { outcome: 'sent', ...(await deps.mailer.send(message)) };
  } catch (error) {
    if (error instanceof EmailNotSent) return { outcome: 'refused', reason: describe(error), later: isThrottled(error) };
    return { outcome: 'unknown', reason: describe(error) };
  }
}

/**
 * Records what became of an email that went out (or may have): tried again in place under the one
 * retry policy, whatever fails, since giving up here must not lead to a second send. If it never
 * succeeds, the claim stays and the sweep later records the outcome as unknown (never resending).
 */
export async function settleEmail(
  deps: Pick<StudentEmailDeps, 'enrollments' | 'logger'>,
  enrollmentId: string,
  command: EnrollmentCommand,
  from: EnrollmentSnapshot | undefined,
): Promise<EnrollmentSnapshot | undefined> {
  try {
    const result = await retrying(`recording an email of ${enrollmentId}`, (n) =>
      attemptTransition(deps, enrollmentId, command, n === 1 && from ? { from } : {}).catch((error: unknown) => {
        deps.logger.warn('recording an email failed; trying again', {
          enrollmentId,
          command: command.type,
          attempt: n,
          error: describe(error),
        });
        return { again: describe(error) };
      }),
    );
    if (result.ok) return result.saved;
    deps.logger.warn('email result not recorded: its claim is gone', { enrollmentId, command: command.type, code: result.refusal.code });
  } catch (error) {
    deps.logger.error('email result not recorded; the sweep will record it as unknown', { enrollmentId, error: describe(error) });
  }
  return undefined;
}

export const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
