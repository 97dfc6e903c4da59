// Renders a certificate as a one-page US Letter landscape PDF with pdf-lib: the issuing
// organization and its logo, the recipient, the program, each course with its partner and date,
// issue and expiry dates, the certificate id, a QR code of the verification page, and the
// signatory line. Fonts are embedded (subsets of Noto, with Droid Sans Fallback for CJK), so the
// text is extractable and names in any of those scripts print as written. Deterministic for the
// same certificate and images: every date comes from the record, never from the clock.
import { generate } from 'lean-qr';
import { PDFDocument, rgb, type PDFImage, type PDFPage, type RGB } from 'pdf-lib';
import type { Certificate } from '../domain/certificates.js';
import { loadFonts, type FontFace } from './fonts.js';

const [WIDTH, HEIGHT] = [792, 612]; // US Letter, landscape
const NAVY = rgb(0.09, 0.16, 0.32);
const GOLD = rgb(0.72, 0.58, 0.29);
const INK = rgb(0.12, 0.14, 0.19);
const MUTED = rgb(0.4, 0.43, 0.49);
const RULE = rgb(0.82, 0.84, 0.88);

export interface CertificateArtwork {
  /** The organization's logo (PNG). */
  logoPng?: Uint8Array;
  /** The signatory's signature (PNG). */
  signaturePng?: Uint8Array;
}

type Faces = { title: FontFace; text: FontFace; strong: FontFace };

export async function renderCertificatePdf(
  certificate: Certificate,
  verifyUrl: string,
  artwork: CertificateArtwork = {},
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const issuer = certificate.issuer?.name ?? 'Baton';
  const stamp = new Date(certificate.issuedAt);
  doc.setTitle(`${certificate.programName}: certificate of ${certificate.studentName}`);
  doc.setAuthor(issuer);
  doc.setSubject(`Certificate ${certificate.id}, verify at ${verifyUrl}`);
  doc.setProducer('Baton');
  doc.setCreator('Baton');
  doc.setCreationDate(stamp);
  doc.setModificationDate(stamp);
  doc.setLanguage('en');

  const faces = await loadFonts(doc, allText(certificate, verifyUrl));
  const page = doc.addPage([WIDTH, HEIGHT]);
  drawFrame(page);

  // Header: the logo (or the name alone), then the organization's name.
  let y = HEIGHT - 62;
  const logo = artwork.logoPng ? await doc.embedPng(artwork.logoPng) : undefined;
  if (logo) {
    const { width, height } = fit(logo, 190, 58);
    page.drawImage(logo, { x: (WIDTH - width) / 2, y: y - height, width, height });
    y -= height + 18;
  } else {
    y -= 12;
  }
  centered(page, faces.strong, issuer.toUpperCase(), y, 11, NAVY, { spacing: 1.6, maxWidth: 560 });

  centered(page, faces.title, 'Certificate of Completion', y - 44, 32, NAVY, { maxWidth: 600 });
  ornament(page, y - 60);
  centered(page, faces.text, 'This certifies that', y - 86, 12, MUTED);
  const name = clean(certificate.studentName);
  centered(page, faces.title, name, y - 124, 34, INK, { maxWidth: 600 });
  page.drawLine({ start: { x: WIDTH / 2 - 200, y: y - 134 }, end: { x: WIDTH / 2 + 200, y: y - 134 }, thickness: 0.6, color: GOLD });
  centered(page, faces.text, 'has completed every required course of the program', y - 156, 12, MUTED);
  centered(page, faces.title, clean(certificate.programName), y - 184, 21, NAVY, { maxWidth: 620 });

  drawCourses(page, faces, certificate, y - 236);
  drawFooter(page, faces, certificate, verifyUrl, artwork.signaturePng ? await doc.embedPng(artwork.signaturePng) : undefined);
  return doc.save({ useObjectStreams: false });
}

/** Every character the page may draw, so the fonts embed what they need (the CJK fallback only when used). */
function allText(c: Certificate, verifyUrl: string): string {
  const courses = (c.courses ?? []).map((x) => `${x.courseName}${x.partnerName}`).join('');
  return [
    c.studentName,
    c.programName,
    c.issuer?.name ?? '',
    c.issuer?.signatory?.name ?? '',
    c.issuer?.signatory?.title ?? '',
    courses,
    verifyUrl,
  ].join('');
}

function drawFrame(page: PDFPage) {
  page.drawRectangle({ x: 0, y: 0, width: WIDTH, height: HEIGHT, color: rgb(0.995, 0.992, 0.982) });
  page.drawRectangle({ x: 18, y: 18, width: WIDTH - 36, height: HEIGHT - 36, borderColor: NAVY, borderWidth: 2.5 });
  page.drawRectangle({ x: 26, y: 26, width: WIDTH - 52, height: HEIGHT - 52, borderColor: GOLD, borderWidth: 0.8 });
  for (const [x, y] of [
    [26, 26],
    [WIDTH - 26, 26],
    [26, HEIGHT - 26],
    [WIDTH - 26, HEIGHT - 26],
  ] as const) {
    page.drawCircle({ x, y, size: 4, color: GOLD });
  }
}

function ornament(page: PDFPage, y: number) {
  page.drawLine({ start: { x: WIDTH / 2 - 90, y }, end: { x: WIDTH / 2 - 12, y }, thickness: 0.8, color: GOLD });
  page.drawLine({ start: { x: WIDTH / 2 + 12, y }, end: { x: WIDTH / 2 + 90, y }, thickness: 0.8, color: GOLD });
  page.drawCircle({ x: WIDTH / 2, y, size: 3, color: GOLD });
}

/** The completed courses, one row each (two columns when there are many), each with its partner and date. */
function drawCourses(page: PDFPage, faces: Faces, c: Certificate, top: number) {
  const courses = c.courses ?? [];
  if (courses.length === 0) return;
  const columns = courses.length > 4 ? 2 : 1;
  const rows = Math.ceil(courses.length / columns);
  const size = rows > 5 ? 8 : 9.5;
  const lineHeight = size * 2.35;
  const columnWidth = columns === 1 ? 460 : 330;
  const left = (WIDTH - columnWidth * columns - (columns - 1) * 24) / 2;
  centered(page, faces.strong, courses.length === 1 ? 'COURSE COMPLETED' : 'COURSES COMPLETED', top + 20, 7, MUTED, { spacing: 1.2 });
  courses.forEach((course, i) => {
    const column = Math.floor(i / rows);
    const row = i % rows;
    const x = left + column * (columnWidth + 24);
    const y = top - row * lineHeight;
    page.drawLine({ start: { x, y: y - 5 }, end: { x: x + columnWidth, y: y - 5 }, thickness: 0.4, color: RULE });
    const date = formatDate(course.completedAt);
    const dateWidth = faces.text.width(date, size);
    faces.strong.draw(page, fitText(faces.strong, clean(course.courseName), size, columnWidth * 0.55), x, y, size, INK);
    const partner = fitText(faces.text, clean(course.partnerName), size, columnWidth * 0.45 - dateWidth - 12);
    faces.text.draw(page, partner, x + columnWidth - dateWidth - 12 - faces.text.width(partner, size), y, size, MUTED);
    faces.text.draw(page, date, x + columnWidth - dateWidth, y, size, INK);
  });
}

function drawFooter(page: PDFPage, faces: Faces, c: Certificate, verifyUrl: string, signature: PDFImage | undefined) {
  const base = 58;
  // Left: the dates and the id.
  const facts: Array<[string, string]> = [
    ['Issued', formatDate(c.issuedAt)],
    ['Expires', c.expiresAt ? formatDate(c.expiresAt) : 'Does not expire'],
    ['Certificate ID', c.id],
  ];
  facts.forEach(([label, value], i) => {
    const y = base + 44 - i * 22;
    faces.text.draw(page, label.toUpperCase(), 64, y + 9, 6.5, MUTED);
    faces.strong.draw(page, value, 64, y - 1, 9.5, INK);
  });

  // Centre: the signatory line.
  const signatory = c.issuer?.signatory;
  const lineY = base + 16;
  if (signature) {
    const { width, height } = fit(signature, 170, 44);
    page.drawImage(signature, { x: WIDTH / 2 - width / 2, y: lineY + 3, width, height });
  }
  page.drawLine({ start: { x: WIDTH / 2 - 110, y: lineY }, end: { x: WIDTH / 2 + 110, y: lineY }, thickness: 0.8, color: INK });
  if (signatory) {
    centered(page, faces.strong, clean(signatory.name), lineY - 14, 10, INK, { maxWidth: 260 });
    centered(page, faces.text, clean(signatory.title), lineY - 27, 8.5, MUTED, { maxWidth: 260 });
  } else {
    centered(page, faces.text, `For ${clean(c.issuer?.name ?? 'Baton')}`, lineY - 14, 9, MUTED, { maxWidth: 260 });
  }

  // Right: the QR code of the verification page, and its address.
  const qrSize = 76;
  const qrX = WIDTH - 64 - qrSize;
  drawQr(page, verifyUrl, qrX, base - 8, qrSize);
  const caption = 'Scan or visit to verify';
  faces.text.draw(page, caption, qrX + qrSize - faces.text.width(caption, 7), base - 19, 7, MUTED);
  const url = fitText(faces.text, verifyUrl.replace(/^https?:\/\//, ''), 6.5, 230);
  faces.text.draw(page, url, qrX + qrSize - faces.text.width(url, 6.5), base - 29, 6.5, NAVY);
}

/** The QR code's dark modules as rectangles (a run of modules in a row is one rectangle). */
function drawQr(page: PDFPage, value: string, x: number, y: number, size: number) {
  const code = generate(value);
  const module = size / code.size;
  for (let row = 0; row < code.size; row++) {
    let start = -1;
    for (let col = 0; col <= code.size; col++) {
      const dark = col < code.size && code.get(col, row);
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        page.drawRectangle({
          x: x + start * module,
          y: y + size - (row + 1) * module,
          width: (col - start) * module,
          height: module,
          color: INK,
        });
        start = -1;
      }
    }
  }
}

function centered(
  page: PDFPage,
  face: FontFace,
  text: string,
  y: number,
  size: number,
  color: RGB,
  options: { spacing?: number; maxWidth?: number } = {},
) {
  const maxWidth = options.maxWidth ?? WIDTH - 140;
  let fitted = size;
  while (fitted > 7 && face.width(text, fitted, options.spacing) > maxWidth) fitted -= 0.5;
  face.draw(page, text, (WIDTH - face.width(text, fitted, options.spacing)) / 2, y, fitted, color, options.spacing);
  return fitted;
}

/** Shortens text with an ellipsis to fit a width. */
function fitText(face: FontFace, text: string, size: number, width: number): string {
  if (face.width(text, size) <= width) return text;
  let cut = [...text];
  while (cut.length > 1 && face.width(`${cut.join('')}…`, size) > width) cut = cut.slice(0, -1);
  return `${cut.join('').trimEnd()}…`;
}

function fit(image: PDFImage, maxWidth: number, maxHeight: number) {
  const scale = Math.min(maxWidth / image.width, maxHeight / image.height);
  return { width: image.width * scale, height: image.height * scale };
}

/** Control characters never reach the page. */
const clean = (text: string) => text.replace(/\p{Cc}/gu, ' ').trim();

function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
}
