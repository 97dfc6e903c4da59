import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { renderCertificatePdf } from '../../functions/certificates/render-pdf.js';
import { CERTIFICATE_ID, certificateIdFor, type Certificate } from '../../functions/domain/certificates.js';
import { completionEmail } from '../../functions/domain/notifications.js';

const certificate: Certificate = {
  id: certificateIdFor('enrollment-1'),
  enrollmentId: 'enrollment-1',
  studentId: 's-1',
  studentName: 'José Núñez 学生',
  studentEmail: 'jose@example.org',
  programId: 'medical-assistant',
  programName: 'Medical Assistant',
  partners: ['HSI', 'Certiport', 'CareerSafe'],
  completedAt: '2026-03-04T05:06:07.000Z',
  issuedAt: '2026-03-04T05:06:08.000Z',
  status: 'valid',
};

describe('certificates', () => {
  it('derives one readable id per enrollment', () => {
    expect(certificateIdFor('enrollment-1')).toBe(certificateIdFor('enrollment-1'));
    expect(certificateIdFor('enrollment-1')).not.toBe(certificateIdFor('enrollment-2'));
    expect(certificateIdFor('enrollment-1')).toMatch(CERTIFICATE_ID);
  });

  it('renders a one-page PDF (even for names outside Latin-1), identical on every run', async () => {
    const first = await renderCertificatePdf(certificate, 'https://baton.example/verify/x');
    const second = await renderCertificatePdf(certificate, 'https://baton.example/verify/x');
    expect(Buffer.from(first).subarray(0, 5).toString()).toBe('%PDF-');
    expect(Buffer.compare(Buffer.from(first), Buffer.from(second))).toBe(0);
    const parsed = await PDFDocument.load(first);
    expect(parsed.getPageCount()).toBe(1);
    expect(parsed.getTitle()).toBe('Certificate of Completion: Medical Assistant');
    expect(parsed.getSubject()).toBe(`Certificate ${certificate.id}`);
    expect(parsed.getCreationDate()?.toISOString()).toBe(certificate.completedAt);
  });
});

describe('completion email', () => {
  it('names the program, the certificate id and the verification link, and escapes HTML', () => {
    const email = completionEmail({
      studentName: 'Ann <script>',
      studentEmail: 'ann@example.org',
      programName: 'HVAC',
      certificateId: 'ABCD-EFGH-JKMN-PQRS',
      verifyUrl: 'https://baton.example/verify/ABCD-EFGH-JKMN-PQRS',
      progressUrl: 'https://baton.example/student/progress',
    });
    expect(email.subject).toBe('Congratulations! You completed HVAC');
    expect(email.text).toContain('ABCD-EFGH-JKMN-PQRS');
    expect(email.text).toContain('https://baton.example/verify/ABCD-EFGH-JKMN-PQRS');
    expect(email.html).toContain('Ann &lt;script&gt;');
    expect(email.html).not.toContain('<script>');
  });
});
