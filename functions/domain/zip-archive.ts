// A ZIP archive (an XLSX workbook) read from its central directory, each entry inflated by fflate
// in small steps. The sizes an archive declares are not trusted: the limits count the bytes as
// they come out, so an archive bomb is stopped within one step of passing them.
import { Inflate } from 'fflate';
import { DomainError } from './errors.js';
import { fileProblem } from './report-table.js';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; anything else is refused when the entry is read. */
  method: number;
  encrypted: boolean;
  compressedSize: number;
  localHeaderOffset: number;
}

export interface ZipLimits {
  maxEntries: number;
  /** Bytes one entry may expand to. */
  maxEntryBytes: number;
  /** Bytes all the entries read may expand to, together. */
  maxTotalBytes: number;
  /** Expanded / compressed, past the first MiB of an entry (plain XML stays well under 100). */
  maxRatio: number;
}

/** Compressed bytes given to the inflater at a time: one step expands to at most ~1,032 times this (deflate's maximum). */
const STEP_BYTES = 16 * 1024;
const RATIO_GRACE_BYTES = 1024 * 1024;
const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

const u16 = (bytes: Uint8Array, at: number) => bytes[at]! | (bytes[at + 1]! << 8);
const u32 = (bytes: Uint8Array, at: number) => (u16(bytes, at) | (u16(bytes, at + 2) << 16)) >>> 0;
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const damaged = (why: string) => fileProblem(`the workbook is damaged (${why}): open it in Excel and save it again`);
const notReadable = (why: string) =>
  fileProblem(`the file is a damaged ZIP archive (${why}): if it is an Excel workbook, open it in Excel and save it again`);

/** The archive's entries by name, from its central directory. */
export function zipEntries(bytes: Uint8Array, limits: Pick<ZipLimits, 'maxEntries'>): Map<string, ZipEntry> {
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--)
    if (u32(bytes, at) === END_OF_DIRECTORY) {
      end = at;
      break;
    }
  if (end < 0) throw notReadable('no central directory');
  const count = u16(bytes, end + 10);
  let at = u32(bytes, end + 16);
  if (count === 0xffff || at === 0xffffffff)
    throw fileProblem(
      'the workbook is a ZIP64 archive, which Excel does not write for a file this size: open it in Excel and save it again',
    );
  if (count > limits.maxEntries)
    throw fileProblem(
      `the workbook has ${count.toLocaleString('en-US')} parts, over the ${limits.maxEntries.toLocaleString('en-US')} limit`,
    );
  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== DIRECTORY_ENTRY) throw notReadable('a directory entry is cut short');
    const nameLength = u16(bytes, at + 28);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    entries.set(name, {
      name,
      method: u16(bytes, at + 10),
      encrypted: (u16(bytes, at + 8) & 1) === 1,
      compressedSize: u32(bytes, at + 20),
      localHeaderOffset: u32(bytes, at + 42),
    });
    at += 46 + nameLength + u16(bytes, at + 30) + u16(bytes, at + 32);
  }
  return entries;
}

/** Counts what the entries read so far expanded to, against the total limit. */
export class ExpansionBudget {
  private total = 0;
  constructor(readonly limits: ZipLimits) {}

  /**
   * Inflates one entry, handing each piece to `onData`, which returns true once it has read
   * enough (the rest is not inflated). `maxBytes` lowers the entry's limit (a part kept in memory).
   */
  inflate(bytes: Uint8Array, entry: ZipEntry, onData: (piece: Uint8Array) => boolean | void, maxBytes = this.limits.maxEntryBytes): void {
    if (entry.encrypted)
      throw fileProblem('the workbook is encrypted: remove its password, save it as .xlsx or "CSV UTF-8", and upload that');
    if (entry.method !== 0 && entry.method !== 8) throw damaged(`${entry.name} is compressed with method ${entry.method}`);
    const header = entry.localHeaderOffset;
    if (header + 30 > bytes.length || u32(bytes, header) !== LOCAL_HEADER) throw damaged(`${entry.name} is not where the directory says`);
    const start = header + 30 + u16(bytes, header + 26) + u16(bytes, header + 28);
    const data = bytes.subarray(start, start + entry.compressedSize);
    if (data.length < entry.compressedSize) throw damaged(`${entry.name} is cut short`);
    let expanded = 0;
    let consumed = 0;
    let done = false;
    const take = (piece: Uint8Array) => {
      expanded += piece.length;
      this.total += piece.length;
      if (expanded > maxBytes) throw fileProblem(`the workbook's ${entry.name} expands past ${mb(maxBytes)}: an archive bomb?`);
      if (this.total > this.limits.maxTotalBytes)
        throw fileProblem(`the workbook expands past ${mb(this.limits.maxTotalBytes)}: an archive bomb?`);
      if (expanded > RATIO_GRACE_BYTES && expanded / consumed > this.limits.maxRatio)
        throw fileProblem(`the workbook's ${entry.name} expands over ${this.limits.maxRatio} times its compressed size: an archive bomb?`);
      if (piece.length > 0 && onData(piece) === true) done = true;
    };
    try {
      if (entry.method === 0) {
        for (let i = 0; i < data.length && !done; i += STEP_BYTES) {
          consumed = Math.min(data.length, i + STEP_BYTES);
          take(data.subarray(i, consumed));
        }
        return;
      }
      const inflater = new Inflate((piece) => take(piece));
      for (let i = 0; i < data.length && !done; i += STEP_BYTES) {
        consumed = Math.min(data.length, i + STEP_BYTES);
        inflater.push(data.subarray(i, consumed), consumed === data.length);
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw damaged(`${entry.name} does not inflate: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
