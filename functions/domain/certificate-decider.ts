// A certificate is its own record, changed by its own small decider: an admin revokes a valid
// certificate, and the expiry sweep claims, records or releases each reminder email. `decide`
// answers with events or a refusal; `evolve` applies them; the store saves the state after them
// conditional on the version it read, so two sweeps (or two admins) never both win.
import { EXPIRY_REMINDER_DAYS, type Certificate, type ExpiryReminder } from './certificates.js';

const DAY_MS = 24 * 3600 * 1000;

export type CertificateCommand =
  | { type: 'revoke'; at: string; by: string; reason: string }
  /** The sweep: claim the nearest reminder that is due now (the farther ones due too are passed over). */
  | { type: 'claim_reminder'; at: string; thresholds?: readonly number[] }
  | { type: 'record_reminder_sent'; daysBefore: number; claimedAt: string; at: string; messageId: string }
  /** The mail service refused the message: the next sweep may send it. */
  | { type: 'release_reminder'; daysBefore: number; claimedAt: string }
  /** The claimed reminder is not sent, for good: the address is suppressed. */
  | { type: 'skip_reminder'; daysBefore: number; claimedAt: string; at: string; reason: 'suppressed' }
  /** The outcome is unknown: it stays claimed (never sent twice) and admins see it. */
  | { type: 'record_reminder_unknown'; daysBefore: number; claimedAt: string; at: string; error: string };

export type CertificateEvent =
  | { type: 'certificate_revoked'; at: string; by: string; reason: string }
  | { type: 'reminder_claimed'; daysBefore: number; at: string; passed: number[] }
  | { type: 'reminder_sent'; daysBefore: number; at: string; messageId: string }
  | { type: 'reminder_released'; daysBefore: number }
  | { type: 'reminder_skipped'; daysBefore: number; at: string; reason: 'suppressed' }
  | { type: 'reminder_outcome_unknown'; daysBefore: number; at: string; error: string };

export type CertificateRefusalCode = 'CERTIFICATE_REVOKED' | 'REMINDER_CLAIM_GONE';

export type CertificateDecision =
  { ok: true; events: CertificateEvent[] } | { ok: false; refusal: { code: CertificateRefusalCode; message: string } };

const accept = (...events: CertificateEvent[]): CertificateDecision => ({ ok: true, events });
const refuse = (code: CertificateRefusalCode, message: string): CertificateDecision => ({ ok: false, refusal: { code, message } });

const reminderOf = (certificate: Certificate, daysBefore: number) => certificate.reminders?.find((r) => r.daysBefore === daysBefore);

export function decideCertificate(certificate: Certificate, command: CertificateCommand): CertificateDecision {
  switch (command.type) {
    case 'revoke':
      if (certificate.status === 'revoked')
        return refuse(
          'CERTIFICATE_REVOKED',
          `certificate ${certificate.id} was already revoked on ${certificate.revokedAt ?? 'an earlier date'}`,
        );
      return accept({ type: 'certificate_revoked', at: command.at, by: command.by, reason: command.reason });
    case 'claim_reminder':
      return decideClaim(certificate, command.at, command.thresholds ?? EXPIRY_REMINDER_DAYS);
    case 'record_reminder_sent':
      return reminderOf(certificate, command.daysBefore)?.claimedAt === command.claimedAt
        ? accept({ type: 'reminder_sent', daysBefore: command.daysBefore, at: command.at, messageId: command.messageId })
        : refuse('REMINDER_CLAIM_GONE', `the ${command.daysBefore}-day reminder claim this send was made under is gone`);
    case 'release_reminder': {
      const reminder = reminderOf(certificate, command.daysBefore);
      return reminder?.claimedAt === command.claimedAt && !reminder.sentAt
        ? accept({ type: 'reminder_released', daysBefore: command.daysBefore })
        : accept();
    }
    case 'skip_reminder': {
      const reminder = reminderOf(certificate, command.daysBefore);
      return reminder?.claimedAt === command.claimedAt && !reminder.sentAt
        ? accept({ type: 'reminder_skipped', daysBefore: command.daysBefore, at: command.at, reason: command.reason })
        : refuse('REMINDER_CLAIM_GONE', `the ${command.daysBefore}-day reminder claim this skip was made under is gone`);
    }
    case 'record_reminder_unknown':
      return reminderOf(certificate, command.daysBefore)?.claimedAt === command.claimedAt
        ? accept({ type: 'reminder_outcome_unknown', daysBefore: command.daysBefore, at: command.at, error: command.error })
        : accept();
  }
}

/**
 * A reminder is due from `daysBefore` days before expiry until expiry. Only the nearest due one is
 * sent (a certificate first seen 10 days before expiry gets the 14-day email, not also the 60-day
 * one, which is recorded as passed). A revoked or expired certificate, or one that never expires,
 * gets none.
 */
function decideClaim(certificate: Certificate, at: string, thresholds: readonly number[]): CertificateDecision {
  if (certificate.status !== 'valid' || !certificate.expiresAt) return accept();
  const expires = Date.parse(certificate.expiresAt);
  const now = Date.parse(at);
  if (now >= expires) return accept();
  const due = [...thresholds].filter((days) => expires - days * DAY_MS <= now && !reminderOf(certificate, days)).sort((a, b) => a - b);
  const [nearest, ...passed] = due;
  if (nearest === undefined) return accept();
  // Once a nearer reminder went out, a farther one is no longer news.
  const alreadyNearer = (certificate.reminders ?? []).some((r) => r.daysBefore < nearest && !r.passedAt);
  if (alreadyNearer) return accept();
  return accept({ type: 'reminder_claimed', daysBefore: nearest, at, passed });
}

export function evolveCertificate(certificate: Certificate, event: CertificateEvent): Certificate {
  const withReminder = (daysBefore: number, change: (r: ExpiryReminder | undefined) => ExpiryReminder | undefined): Certificate => {
    const others = (certificate.reminders ?? []).filter((r) => r.daysBefore !== daysBefore);
    const changed = change(reminderOf(certificate, daysBefore));
    return { ...certificate, reminders: [...others, ...(changed ? [changed] : [])].sort((a, b) => b.daysBefore - a.daysBefore) };
  };
  switch (event.type) {
    case 'certificate_revoked':
      return { ...certificate, status: 'revoked', revokedAt: event.at, revokedBy: event.by, revokedReason: event.reason };
    case 'reminder_claimed': {
      const claimed = withReminder(event.daysBefore, () => ({ daysBefore: event.daysBefore, claimedAt: event.at }));
      return event.passed.reduce((next, daysBefore) => passReminder(next, daysBefore, event.at), claimed);
    }
    case 'reminder_sent':
      return withReminder(event.daysBefore, (r) => ({ ...r!, sentAt: event.at, messageId: event.messageId }));
    case 'reminder_released':
      return withReminder(event.daysBefore, () => undefined);
    case 'reminder_skipped':
      return withReminder(event.daysBefore, (r) => ({ ...r!, skippedAt: event.at, skipReason: event.reason }));
    case 'reminder_outcome_unknown':
      return withReminder(event.daysBefore, (r) => ({ ...r!, outcomeUnknownAt: event.at, error: event.error }));
  }
}

function passReminder(certificate: Certificate, daysBefore: number, at: string): Certificate {
  const others = (certificate.reminders ?? []).filter((r) => r.daysBefore !== daysBefore);
  return { ...certificate, reminders: [...others, { daysBefore, passedAt: at }].sort((a, b) => b.daysBefore - a.daysBefore) };
}

export function evolveCertificateAll(certificate: Certificate, events: readonly CertificateEvent[]): Certificate {
  return events.reduce(evolveCertificate, certificate);
}
