import type { Readable } from 'node:stream';

/**
 * The contract of file storage. A blob store keeps opaque objects under keys (local disk or any
 * S3); the file vault (`FileVault`) puts every file into one encrypted — each file with its own
 * data key — and checks it on the way out. Object keys carry ids only, never names or health details.
 */

/** An inclusive byte range of the plaintext (HTTP `Range: bytes=start-end`). */
export interface ByteRange {
  start: number;
  /** Inclusive; omitted = to the end. */
  end?: number;
}

export interface ObjectInfo {
  key: string;
  size: number;
  modifiedAt: Date;
}

/** Opaque objects under keys. Implementations: disk (`<data-dir>/files`) and S3. */
export interface BlobStore {
  /** Where it is, for messages (`file:/srv/data/files`, `s3://bucket/prefix`): never a secret. */
  readonly location: string;
  /** Stores the stream under `key`, durably (fsync / S3 acknowledgement) before resolving. */
  put(key: string, body: Readable): Promise<{ size: number }>;
  /** The object's bytes (a range of them); `NotFoundError` when there is none. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  head(key: string): Promise<ObjectInfo | null>;
  /** Removes the object; no error when it is already gone. */
  delete(key: string): Promise<void>;
  /** Every object under `prefix` (for sweeping, verifying, migrating). */
  list(prefix?: string): AsyncIterable<ObjectInfo>;
  /**
   * Reads at offsets into the caller's buffers (the disk store: a file handle), so the vault reads
   * each chunk straight into a buffer it reuses; stores without it are read as a stream.
   */
  openReader?(key: string): Promise<PositionalReader>;
  /** Releases connections (an S3 client's sockets); the disk store has none. */
  close?(): void | Promise<void>;
}

/** An object opened for reads at offsets (`BlobStore.openReader`). */
export interface PositionalReader {
  /** The object's size in bytes when it was opened. */
  readonly size: number;
  /** Fills `into` from `position` on; fewer bytes only at the end of the object. */
  read(into: Buffer, position: number): Promise<number>;
  /** Closes it (again: no error). */
  close(): Promise<void>;
}

/** What the vault keeps about a stored file: the document row holds all of it. */
export interface StoredFile {
  objectKey: string;
  /** The file's data key, sealed by the clinic's files key (re-sealed by `keys rotate`). */
  wrappedKey: string;
  /** Plaintext size in bytes. */
  size: number;
  /** SHA-256 of the plaintext, hex. */
  sha256: string;
}

/** Encrypted files over a blob store (AES-256-GCM in chunks, seekable for ranges). */
export interface FileVault {
  readonly store: BlobStore;
  /**
   * Encrypts and stores the stream under a new object key made from `keyHint` (ids only). Rejects
   * with `FileTooLargeError` once more than `maxBytes` arrive (nothing is left visible: the
   * partial object is deleted, or swept later when the process dies).
   */
  write(body: Readable, options: { keyHint: string; maxBytes: number }): Promise<StoredFile>;
  /**
   * The plaintext (or a range of it). A whole read checks the SHA-256 at the end and errors the
   * stream with `FileIntegrityError` on a mismatch; every chunk is authenticated, so a flipped byte
   * fails the read (also of a range) instead of serving corrupted bytes.
   */
  read(file: StoredFile, range?: ByteRange): Promise<Readable>;
  /** Re-reads the whole file and checks it (for `storage verify`); throws `FileIntegrityError`. */
  verify(file: StoredFile): Promise<void>;
  remove(objectKey: string): Promise<void>;
}
