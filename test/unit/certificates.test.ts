// The certificate PDF as an employer reads it (its text extracted by poppler's pdftotext, as any
// PDF reader or applicant-tracking system would), its determinism, and the completion email.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import jsQR from 'jsqr';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { renderCertificatePdf } from '../../functions/certificates/render-pdf.js';
import { addMonths, CERTIFICATE_ID, certificateIdFor, certificateStatus, type Certificate } from '../../functions/domain/certificates.js';
import { completionEmail } from '../../functions/domain/notifications.js';
import { defaultOrganization, organizationBrand } from '../../functions/domain/organization.js';
import { checkImage } from '../../functions/organization/images.js';
import { LOGO_SVG, signaturePng } from '../support/images.js';

const VERIFY = 'https://learn.northwind.example.org/verify/7KQ3-M2XD-9PRT-4HBN';

const certificate = (studentName: string): Certificate => ({
  id: '7KQ3-M2XD-9PRT-4HBN',
  enrollmentId: 'enrollment-1',
  studentId: 's-1',
  studentName,
  studentEmail: 'student@example.org',
  programId: 'medical-assistant',
  programName: 'Medical Assistant',
  partners: ['HSI', 'Certiport', 'CareerSafe'],
  courses: [
    {
      partnerId: 'hsi',
      partnerName: 'HSI',
      courseId: 'bls-cpr-aed',
      courseName: 'BLS, CPR, AED & First Aid',
      completedAt: '2026-01-12T15:00:00.000Z',
    },
    {
      partnerId: 'certiport',
      partnerName: 'Certiport',
      courseId: 'mos-word',
      courseName: 'Microsoft Office Specialist: Word',
      completedAt: '2026-02-03T15:00:00.000Z',
    },
    {
      partnerId: 'careersafe',
      partnerName: 'CareerSafe',
      courseId: 'osha-10-healthcare',
      courseName: 'OSHA 10 Healthcare',
      completedAt: '2026-03-04T05:06:07.000Z',
    },
  ],
  completedAt: '2026-03-04T05:06:07.000Z',
  issuedAt: '2026-03-04T05:06:08.000Z',
  expiresAt: '2028-03-04T05:06:07.000Z',
  status: 'valid',
  issuer: {
    name: 'Northwind Health Academy',
    url: 'https://northwind.example.org',
    signatory: { name: 'Dr. Amara Okafor', title: 'Director of Training' },
  },
});

async function artwork() {
  const logo = await checkImage('logo', new TextEncoder().encode(LOGO_SVG));
  return { logoPng: logo.png, signaturePng: signaturePng() };
}

/** The PDF's text as pdftotext extracts it, and its page rendered to a PNG. */
function inspect(pdf: Uint8Array, name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'baton-pdf-'));
  const file = join(dir, 'certificate.pdf');
  writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString('utf8');
  execFileSync('pdftoppm', ['-png', '-r', '110', '-singlefile', file, join(dir, 'page')]);
  // Screenshots of the PDF go where the browser tests put theirs.
  const shots = resolve(process.env.SCREENSHOT_DIR ?? join('.test-artifacts', 'screenshots'));
  mkdirSync(shots, { recursive: true });
  execFileSync('cp', [join(dir, 'page.png'), join(shots, `certificate-${name}.png`)]);
  return { text, png: join(dir, 'page.png') };
}

describe('the certificate PDF', () => {
  it('shows the organization, the recipient, the program, every course with its partner and date, the dates, the id and the signatory, as extractable text', async () => {
    const pdf = await renderCertificatePdf(certificate('Zoë Ångström-Nguyễn'), VERIFY, await artwork());
    const { text } = inspect(pdf, 'latin');
    for (const expected of [
      'NORTHWIND HEALTH ACADEMY',
      'Certificate of Completion',
      'Zoë Ångström-Nguyễn',
      'Medical Assistant',
      'BLS, CPR, AED & First Aid',
      'HSI',
      'January 12, 2026',
      'Microsoft Office Specialist: Word',
      'Certiport',
      'OSHA 10 Healthcare',
      'CareerSafe',
      'March 4, 2026',
      'March 4, 2028',
      '7KQ3-M2XD-9PRT-4HBN',
      'Dr. Amara Okafor',
      'Director of Training',
      'learn.northwind.example.org/verify/7KQ3-M2XD-9PRT-4HBN',
    ])
      expect.soft(text).toContain(expected);
    expect(text).not.toContain('?');
  });

  it('prints a Chinese name in a CJK font, and its QR code decodes to the verification page', async () => {
    const pdf = await renderCertificatePdf(certificate('王小明'), VERIFY, await artwork());
    const { text, png } = inspect(pdf, 'cjk');
    expect(text).toContain('王小明');
    const fonts = execFileSync('pdffonts', ['-'], { input: Buffer.from(pdf) }).toString();
    expect(fonts).toContain('fallback');
    const image = decode(new Uint8Array(execFileSync('cat', [png])));
    const rgba = new Uint8ClampedArray(image.width * image.height * 4);
    const channels = image.channels;
    for (let i = 0; i < image.width * image.height; i++)
      for (let c = 0; c < 4; c++) rgba[i * 4 + c] = c < channels ? Number(image.data[i * channels + c]) : 255;
    // The QR code sits in the lower right quarter: decode it from there.
    expect(jsQR(rgba, image.width, image.height)?.data).toBe(VERIFY);
  });

  it('embeds only the fonts it uses: no CJK font for a Latin name', async () => {
    const latin = await renderCertificatePdf(certificate('Zoë Ångström-Nguyễn'), VERIFY);
    const fonts = execFileSync('pdffonts', ['-'], { input: Buffer.from(latin) }).toString();
    expect(fonts).not.toContain('fallback');
    expect(latin.length).toBeLessThan(120_000);
  });

  it('is identical on every run for the same record (a re-run of the task writes the same bytes)', async () => {
    const images = await artwork();
    const first = await renderCertificatePdf(certificate('王小明'), VERIFY, images);
    const second = await renderCertificatePdf(certificate('王小明'), VERIFY, images);
    expect(Buffer.compare(Buffer.from(first), Buffer.from(second))).toBe(0);
    const parsed = await PDFDocument.load(first);
    expect(parsed.getPageCount()).toBe(1);
    expect(parsed.getPage(0).getSize()).toEqual({ width: 792, height: 612 });
    expect(parsed.getAuthor()).toBe('Northwind Health Academy');
    expect(parsed.getCreationDate()?.toISOString()).toBe('2026-03-04T05:06:08.000Z');
  });
});

describe('certificate rules', () => {
  it('derives one readable id per enrollment', () => {
    expect(certificateIdFor('enrollment-1')).toBe(certificateIdFor('enrollment-1'));
    expect(certificateIdFor('enrollment-1')).not.toBe(certificateIdFor('enrollment-2'));
    expect(certificateIdFor('enrollment-1')).toMatch(CERTIFICATE_ID);
  });

  it('adds calendar months, landing on the last day of a shorter month', () => {
    expect(addMonths('2026-03-04T05:06:07.000Z', 24)).toBe('2028-03-04T05:06:07.000Z');
    expect(addMonths('2026-01-31T12:00:00.000Z', 1)).toBe('2026-02-28T12:00:00.000Z');
    expect(addMonths('2027-12-31T00:00:00.000Z', 2)).toBe('2028-02-29T00:00:00.000Z');
  });

  it('is valid until its expiry instant, expired from it on, and revoked whatever its expiry', () => {
    const expiresAt = '2028-03-04T05:06:07.000Z';
    expect(certificateStatus({ status: 'valid', expiresAt }, new Date(Date.parse(expiresAt) - 1))).toBe('valid');
    expect(certificateStatus({ status: 'valid', expiresAt }, new Date(expiresAt))).toBe('expired');
    expect(certificateStatus({ status: 'revoked', expiresAt }, new Date('2026-01-01'))).toBe('revoked');
    expect(certificateStatus({ status: 'valid' }, new Date('2099-01-01'))).toBe('valid');
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

  it('comes from the organization: its From name, Reply-To and footer', () => {
    const email = completionEmail({
      studentName: 'Ann',
      studentEmail: 'ann@example.org',
      programName: 'HVAC',
      certificateId: 'ABCD-EFGH-JKMN-PQRS',
      verifyUrl: 'https://baton.example/verify/ABCD-EFGH-JKMN-PQRS',
      progressUrl: 'https://baton.example/student/progress',
      brand: organizationBrand(
        {
          ...defaultOrganization('Northwind'),
          senderName: 'Northwind Certificates',
          replyTo: 'desk@northwind.example',
          supportEmail: 'help@northwind.example',
        },
        'https://baton.example',
      ),
      coordinator: 'coordinator@northwind.example',
    });
    expect(email).toMatchObject({ fromName: 'Northwind Certificates', replyTo: 'desk@northwind.example' });
    expect(email.text).toContain('The Northwind team\n\n--\nQuestions? Write to help@northwind.example.');
    expect(email.text).not.toContain('Baton');
  });
});
