// Scheduled: emails the students whose certificates expire soon (60 and 14 days before, by
// default), each reminder at most once. Like the completion email, a send is claimed first with a
// write conditional on the certificate's version, so two sweeps (or one overlapping itself) never
// both send; a suppressed (bounced or complained) address gets nothing and the claim is recorded
// as skipped; a refused send releases its claim for the next sweep; an unknown outcome keeps it,
// and the admins' expiring list shows it. The candidates come from the expiry index, a page at a
// time, never a scan.
import { decideCertificate, type CertificateCommand } from '../domain/certificate-decider.js';
import { expiryReminderEmail } from '../domain/certificate-emails.js';
import { EXPIRY_REMINDER_DAYS, verifyUrl, type Certificate } from '../domain/certificates.js';
import { organizationBrand } from '../domain/organization.js';
import type { Logger } from './logger.js';
import { readOrganization } from './organization.js';
import type { CatalogStore } from './ports/catalog.js';
import type { CertificateRecords, CertificateSnapshot } from './ports/certificates.js';
import type { OrganizationStore } from './ports/organization.js';
import { EmailNotSent, type Clock, type Mailer, type Settings } from './ports/services.js';
import type { SuppressionList } from './ports/suppressions.js';
import { retrying } from './retry.js';

const DAY_MS = 24 * 3600 * 1000;

export interface ReminderDeps {
  certificateRecords: CertificateRecords;
  catalog: CatalogStore;
  organization: OrganizationStore;
  mailer: Mailer;
  suppressions: SuppressionList;
  clock: Clock;
  settings: Settings;
  logger: Logger;
}

export interface ReminderReport {
  checked: number;
  sent: number;
  skipped: number;
  failed: number;
  outcomeUnknown: number;
}

/** Runs one sweep over the certificates expiring within the largest threshold. */
export async function sendExpiryReminders(
  deps: ReminderDeps,
  options: { thresholds?: readonly number[]; timeLeft?: () => boolean } = {},
): Promise<ReminderReport> {
  const thresholds = options.thresholds ?? EXPIRY_REMINDER_DAYS;
  const now = deps.clock.now();
  const to = new Date(now.getTime() + Math.max(...thresholds) * DAY_MS).toISOString();
  const report: ReminderReport = { checked: 0, sent: 0, skipped: 0, failed: 0, outcomeUnknown: 0 };
  let cursor: string | undefined;
  do {
    const page = await deps.certificateRecords.listExpiring(now.toISOString(), to, 50, cursor);
    for (const candidate of page.items) {
      report.checked++;
      // The index copy says whether anything can be due; the claim itself decides on the record.
      const indexed = { id: candidate.id, status: 'valid', expiresAt: candidate.expiresAt, reminders: candidate.reminders } as Certificate;
      const due = decideCertificate(indexed, { type: 'claim_reminder', at: now.toISOString(), thresholds });
      if (!due.ok || due.events.length === 0) continue;
      try {
        const outcome = await remind(deps, candidate.id, thresholds);
        if (outcome === 'sent') report.sent++;
        if (outcome === 'skipped') report.skipped++;
        if (outcome === 'unknown') report.outcomeUnknown++;
      } catch (error) {
        report.failed++;
        deps.logger.error('expiry reminder failed', { certificateId: candidate.id, error: describe(error) });
      }
    }
    cursor = page.next;
  } while (cursor && (options.timeLeft?.() ?? true));
  return report;
}

const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** Applies a certificate command on fresh state, conditional on its version, under the one retry policy. */
async function change(deps: ReminderDeps, id: string, command: (c: Certificate) => CertificateCommand, from?: CertificateSnapshot) {
  return retrying(`certificate ${id}`, async (n) => {
    const before = n === 1 && from ? from : await deps.certificateRecords.load(id);
    if (!before) return { done: undefined };
    const decision = decideCertificate(before.certificate, command(before.certificate));
    if (!decision.ok) return { done: undefined };
    const saved = await deps.certificateRecords.save(before, decision.events);
    return saved.ok ? { done: { saved: saved.saved, events: decision.events } } : { again: 'the certificate changed' };
  });
}

async function remind(deps: ReminderDeps, id: string, thresholds: readonly number[]): Promise<'sent' | 'none' | 'skipped' | 'unknown'> {
  const at = deps.clock.now().toISOString();
  const claimed = await change(deps, id, () => ({ type: 'claim_reminder', at, thresholds }));
  const claim = claimed?.events.find((e) => e.type === 'reminder_claimed');
  if (!claimed || !claim || claim.type !== 'reminder_claimed') return 'none';
  const { certificate } = claimed.saved;
  const daysBefore = claim.daysBefore;
  // No email goes to an address that bounced or complained: the claim is recorded as not sent, for good.
  const suppression = await deps.suppressions.get(certificate.studentEmail);
  if (suppression) {
    await change(deps, id, () => ({ type: 'skip_reminder', daysBefore, claimedAt: at, at, reason: 'suppressed' }), claimed.saved);
    deps.logger.warn('expiry reminder not sent: the address is suppressed', { certificateId: id, daysBefore, reason: suppression.reason });
    return 'skipped';
  }
  const organization = await readOrganization(deps);
  const renewal = certificate.renewalProgramId ? await deps.catalog.get(certificate.renewalProgramId) : undefined;
  const { siteUrl } = deps.settings;
  const message = expiryReminderEmail({
    studentName: certificate.studentName,
    studentEmail: certificate.studentEmail,
    programName: certificate.programName,
    certificateId: certificate.id,
    expiresAt: certificate.expiresAt!,
    daysLeft: Math.max(1, Math.ceil((Date.parse(certificate.expiresAt!) - Date.parse(at)) / DAY_MS)),
    verifyUrl: verifyUrl(siteUrl, certificate.id),
    progressUrl: `${siteUrl}/student/progress`,
    ...(renewal ? { renewalProgramName: renewal.name } : {}),
    brand: organizationBrand(organization, siteUrl),
  });
  try {
    const { messageId } = await deps.mailer.send(message);
    await change(
      deps,
      id,
      () => ({ type: 'record_reminder_sent', daysBefore, claimedAt: at, at: deps.clock.now().toISOString(), messageId }),
      claimed.saved,
    );
    deps.logger.info('expiry reminder sent', { certificateId: id, daysBefore, messageId });
    return 'sent';
  } catch (error) {
    if (error instanceof EmailNotSent) {
      await change(deps, id, () => ({ type: 'release_reminder', daysBefore, claimedAt: at }), claimed.saved);
      throw error;
    }
    // The mail service may have accepted it: it stays claimed, so it is never sent twice.
    await change(
      deps,
      id,
      () => ({ type: 'record_reminder_unknown', daysBefore, claimedAt: at, at: deps.clock.now().toISOString(), error: describe(error) }),
      claimed.saved,
    );
    deps.logger.warn('expiry reminder outcome unknown; kept claimed so it is never sent twice', { certificateId: id, daysBefore });
    return 'unknown';
  }
}
