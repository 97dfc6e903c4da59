// Issued certificates (their records; the PDFs are behind the CertificateStore port in services.ts).
import type { Certificate } from '../../domain/certificates.js';
import type { Page } from './page.js';

export interface CertificateRecords {
  get(certificateId: string): Promise<Certificate | undefined>;
  /** Ids of the certificates issued between `from` and `to` (ISO, inclusive), oldest first. */
  listIssued(from: string, to: string, limit: number, cursor?: string): Promise<Page<string>>;
}
