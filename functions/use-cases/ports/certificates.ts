// Issued certificates (their records; the PDFs are behind the CertificateStore port in services.ts).
import type { Certificate } from '../../domain/certificates.js';

export interface CertificateRecords {
  get(certificateId: string): Promise<Certificate | undefined>;
}
