// Evidence a student brings for a step (a card, certificate or candidate number, the completion
// date, an optional expiry and an optional file), and what an admin decided about it. Each piece
// of evidence lives on its step, in the step's history (oldest first), so the decider judges a
// submission and a review on the same state, version and save path as every other change.

export type EvidenceStatus = 'pending' | 'approved' | 'rejected';

/** The file types evidence may carry, recognised by their first bytes, never by name or declared type. */
export const EVIDENCE_FILE_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type EvidenceFileType = (typeof EVIDENCE_FILE_TYPES)[number];
export const MAX_EVIDENCE_FILE_BYTES = 10 * 1024 * 1024;
/** A step keeps at most this many pieces of evidence (each rejection lets the student try again). */
export const MAX_EVIDENCE_PER_STEP = 20;

export interface EvidenceFile {
  /** What the student declared; the upload is checked against its content. */
  contentType: EvidenceFileType;
  size: number;
  /** `awaiting_upload` until the student's browser confirms the upload and Baton has checked it. */
  status: 'awaiting_upload' | 'received' | 'refused';
  checkedAt?: string;
  /** Why a file was refused, in words the student can act on. */
  problem?: string;
}

export interface EvidenceReview {
  at: string;
  /** The admin's email, or `Baton` for a file Baton refused itself. */
  by: string;
  note?: string;
  /** Why it was rejected (shown to the student). */
  reason?: string;
}

export interface Evidence {
  id: string;
  submittedAt: string;
  /** The card, certificate or candidate number. */
  reference: string;
  /** When the student says they completed the course. */
  completedAt: string;
  /** The credential's own expiry (an HSI card's date), when it has one. */
  credentialExpiresAt?: string;
  file?: EvidenceFile;
  status: EvidenceStatus;
  review?: EvidenceReview;
}

/** Who reviews a file Baton refused on its own. */
export const BATON_REVIEWER = 'Baton';

/** Where the evidence's file is stored (the private uploads bucket). */
export const evidenceFileKey = (evidenceId: string) => `evidence/${evidenceId}`;

/** The pending evidence of a step, if any (there is at most one). */
export const pendingEvidence = (history: readonly Evidence[] | undefined) => history?.find((e) => e.status === 'pending');

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

/** What the bytes are, by their signature (the first bytes): one of the evidence types, or undefined. */
export function sniffFileType(bytes: Uint8Array): EvidenceFileType | undefined {
  if (startsWith(bytes, PDF_MAGIC)) return 'application/pdf';
  if (startsWith(bytes, PNG_MAGIC)) return 'image/png';
  if (startsWith(bytes, JPEG_MAGIC)) return 'image/jpeg';
  return undefined;
}

const NAMES: Record<EvidenceFileType, string> = { 'application/pdf': 'a PDF', 'image/png': 'a PNG image', 'image/jpeg': 'a JPEG image' };

/** What looks like text a browser would render (a page passed off as a PDF). */
const looksLikeMarkup = (bytes: Uint8Array) => /^\s*</.test(new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 64)));

/**
 * Why an uploaded file cannot be accepted (undefined: it can): it must be what was declared, by
 * content, and of the declared size (at most 10 MB). `head` is the file's first bytes.
 */
export function fileProblem(declared: EvidenceFile, upload: { size: number; head: Uint8Array } | undefined): string | undefined {
  if (!upload) return 'the file was not uploaded';
  if (upload.size > MAX_EVIDENCE_FILE_BYTES)
    return `the file is ${upload.size} bytes; at most ${MAX_EVIDENCE_FILE_BYTES} (10 MB) are accepted`;
  if (upload.size !== declared.size) return `the file is ${upload.size} bytes, not the ${declared.size} declared`;
  const actual = sniffFileType(upload.head);
  if (!actual) {
    const what = looksLikeMarkup(upload.head) ? 'it looks like a web page (HTML or XML)' : 'its content is not a PDF, PNG or JPEG';
    return `the file is not ${NAMES[declared.contentType]}: ${what}; upload a PDF, PNG or JPEG`;
  }
  if (actual !== declared.contentType) return `the file is ${NAMES[actual]}, not ${NAMES[declared.contentType]} as declared`;
  return undefined;
}

/** A piece of evidence in the admin's review queue: the evidence, and whose step it is for. */
export interface EvidenceEntry extends Evidence {
  enrollmentId: string;
  /** The step's index in its enrollment, its sequence, partner and course. */
  index: number;
  sequence: number;
  partnerId: string;
  courseId: string;
  courseName: string;
  studentId: string;
  studentName: string;
  studentEmail: string;
  programName: string;
}
