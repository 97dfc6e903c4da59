// Issued certificates (their records; the PDFs are behind the CertificateStore port in services.ts).
import type { CertificateEvent } from '../../domain/certificate-decider.js';
import type { Certificate, ExpiryReminder } from '../../domain/certificates.js';
import type { Page } from './page.js';

/** A certificate as it was read, with the version a save of it is conditional on. */
export interface CertificateSnapshot {
  certificate: Certificate;
  version: number;
}

/** A certificate as the expiring list shows it (read from the index). */
export interface ExpiringCertificate {
  id: string;
  enrollmentId: string;
  studentName: string;
  studentEmail: string;
  programId: string;
  programName: string;
  issuedAt: string;
  expiresAt: string;
  renewalProgramId?: string;
  reminders: ExpiryReminder[];
}

export interface CertificateRecords {
  get(certificateId: string): Promise<Certificate | undefined>;
  load(certificateId: string): Promise<CertificateSnapshot | undefined>;
  /** Saves the events, conditional on the snapshot's version; false when it changed since (decide again). */
  save(before: CertificateSnapshot, events: readonly CertificateEvent[]): Promise<{ ok: true; saved: CertificateSnapshot } | { ok: false }>;
  /** Valid certificates expiring in [from, to), soonest first. */
  listExpiring(from: string, to: string, limit: number, cursor?: string): Promise<Page<ExpiringCertificate>>;
  /** The revoked bits of one status list. */
  listRevoked(list: number): Promise<Array<{ index: number; revokedAt: string }>>;
  /** The next unused status list bit (never handed out twice). */
  allocateStatusListIndex(): Promise<number>;
  /** Ids of the certificates issued between `from` and `to` (ISO, inclusive), oldest first. */
  listIssued(from: string, to: string, limit: number, cursor?: string): Promise<Page<string>>;
}
