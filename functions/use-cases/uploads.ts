// Files people upload (report files to import, evidence of a completion): the browser PUTs the
// file straight to a presigned slot (S3 on AWS, the local server in local mode), so no function
// receives the bytes; the function that uses a file reads it back by its key. One private bucket,
// one port: import files under import-runs/, partners' dropped reports under imports/<partnerId>/
// (functions/domain/drop-zone.ts), evidence under evidence/.

/** A slot the browser PUTs one file to: these headers must be sent as given (they are signed). */
export interface UploadSlot {
  url: string;
  headers: Record<string, string>;
  expiresAt: string;
}

export type CopyOutcome = 'copied' | 'changed' | 'missing';

export interface Uploads {
  /**
   * A presigned PUT for `key`: exactly `contentType`, until `expiresInSeconds` from now. With
   * `size` (the client said how big its file is), exactly that many bytes are signed; without it,
   * S3 cannot bound a PUT, so the reader checks head() against `maxBytes` before reading (local
   * mode refuses the body past `maxBytes` itself).
   */
  createSlot(input: { key: string; contentType: string; maxBytes: number; expiresInSeconds: number; size?: number }): Promise<UploadSlot>;
  /** The stored file's size, or undefined when nothing was uploaded. */
  head(key: string): Promise<{ size: number } | undefined>;
  /** The whole file, or undefined when there is none. Callers check head() against their limit first. */
  read(key: string): Promise<Uint8Array | undefined>;
  /**
   * Copies `from` to `to` if `from` is still the object whose ETag is `ifEtag`: 'changed' when
   * another object has replaced it since, 'missing' when there is none.
   */
  copy(from: string, to: string, condition: { ifEtag: string }): Promise<CopyOutcome>;
  /** Writes a file of Baton's own (work files, result reports) under the same bucket. */
  write(key: string, body: Uint8Array, contentType: string): Promise<void>;
  /** A short-lived link to download the file (admins' browsers), named `fileName` when given. */
  linkToRead(key: string, expiresInSeconds: number, fileName?: string): Promise<string>;
  delete?(key: string): Promise<void>;
}

/** How long an upload slot stays open: long enough to pick and send a 50 MB file on a slow line. */
export const UPLOAD_SLOT_SECONDS = 15 * 60;
/** How long a download link lives. */
export const READ_LINK_SECONDS = 5 * 60;
