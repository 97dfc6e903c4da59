// Renders a certificate as a one-page landscape PDF with pdf-lib. Deterministic for the same
// certificate (dates come from the record, not the clock), so a re-run writes identical bytes.
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Certificate } from '../domain/certificates.js';

const PAGE: [number, number] = [792, 612]; // US Letter, landscape
const INK = rgb(0.12, 0.16, 0.22);
const ACCENT = rgb(0.11, 0.37, 0.75);
const MUTED = rgb(0.42, 0.45, 0.5);

export async function renderCertificatePdf(certificate: Certificate, verifyUrl: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const completed = new Date(certificate.completedAt);
  doc.setTitle(`Certificate of Completion: ${certificate.programName}`);
  doc.setAuthor('Baton');
  doc.setSubject(`Certificate ${certificate.id}`);
  doc.setProducer('Baton');
  doc.setCreator('Baton');
  doc.setCreationDate(completed);
  doc.setModificationDate(completed);

  const page = doc.addPage(PAGE);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const [width, height] = PAGE;

  page.drawRectangle({ x: 24, y: 24, width: width - 48, height: height - 48, borderColor: ACCENT, borderWidth: 3 });
  page.drawRectangle({ x: 34, y: 34, width: width - 68, height: height - 68, borderColor: ACCENT, borderWidth: 0.75 });

  const centered = (text: string, y: number, font: PDFFont, size: number, color = INK) =>
    drawCentered(page, printable(font, text), y, font, size, color);

  centered('CERTIFICATE OF COMPLETION', height - 110, bold, 30, ACCENT);
  centered('This certifies that', height - 170, regular, 14, MUTED);
  centered(certificate.studentName, height - 220, bold, 34);
  centered('has completed every required step of the', height - 265, regular, 14, MUTED);
  centered(certificate.programName, height - 305, bold, 24);
  if (certificate.partners.length > 0) {
    centered(`Training partners: ${certificate.partners.join(', ')}`, height - 340, regular, 12, MUTED);
  }
  centered(`Completed on ${formatDate(completed)}`, height - 380, regular, 14);

  page.drawText(printable(regular, `Certificate ID: ${certificate.id}`), { x: 60, y: 80, size: 11, font: regular, color: INK });
  page.drawText(printable(regular, `Verify at ${verifyUrl}`), { x: 60, y: 62, size: 10, font: regular, color: MUTED });
  return doc.save({ useObjectStreams: false });
}

function drawCentered(page: PDFPage, text: string, y: number, font: PDFFont, size: number, color: ReturnType<typeof rgb>) {
  // Shrink long names to fit the page rather than run off it.
  let fitted = size;
  while (fitted > 8 && font.widthOfTextAtSize(text, fitted) > PAGE[0] - 120) fitted -= 1;
  const x = (PAGE[0] - font.widthOfTextAtSize(text, fitted)) / 2;
  page.drawText(text, { x, y, size: fitted, font, color });
}

/** The standard PDF fonts cover Latin-1 only; anything else is shown as "?" rather than failing. */
function printable(font: PDFFont, text: string): string {
  const supported = new Set(font.getCharacterSet());
  return [...text].map((c) => (supported.has(c.codePointAt(0)!) ? c : '?')).join('');
}

function formatDate(date: Date): string {
  return date.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
}
