import { type Layout, openChunk } from './envelope.ts';
import { FileIntegrityError } from './errors.ts';
import { type Sha256Stream, sha256Stream } from './sha256-stream.ts';
import type { StoredFile } from './types.ts';

/**
 * A read of plaintext bytes `start`..`end` (inclusive) of `file`, as both of the vault's reads
 * (the stream read in file-vault.ts, the read at offsets in vault-read-at.ts) open its chunks:
 * the data key and header, the layout, the last chunk read, and a whole read's running hash.
 */
export interface PlainRead {
  file: StoredFile;
  dataKey: Buffer;
  header: Buffer;
  layout: Layout;
  start: number;
  end: number;
  /** The chunks it reads: all of them for a whole read, else those the range touches. */
  first: number;
  last: number;
  hash: Sha256Stream | null;
}

/** A read of `start`..`end` of `file` once its header is checked (a whole read hashes the plaintext). */
export function plainRead(
  file: StoredFile,
  dataKey: Buffer,
  header: Buffer,
  layout: Layout,
  start: number,
  end: number,
): PlainRead {
  const whole = start === 0 && end === file.size - 1;
  const first = layout.chunkOf(start);
  const last = whole ? layout.chunks - 1 : layout.chunkOf(end);
  return { file, dataKey, header, layout, start, end, first, last, hash: whole ? sha256Stream() : null };
}

/**
 * Chunk `i` opened (its tag checked) and, on a whole read, hashed: the last chunk waits for the
 * whole file's checks — nothing after the end (`bytesAfterEnd`), the plaintext's SHA-256 — so a
 * whole read never ends as if it were good. Answers its bytes inside the range (maybe none).
 */
export async function openPlainChunk(
  read: PlainRead,
  i: number,
  sealed: Buffer,
  bytesAfterEnd: () => boolean | Promise<boolean>,
): Promise<Buffer> {
  const { file, layout, hash, last } = read;
  const plain = openChunk(read.dataKey, read.header, i, i === layout.chunks - 1, sealed);
  if (!plain) throw new FileIntegrityError(file.objectKey, `chunk ${i} does not authenticate`);
  if (hash) {
    const room = hash.update(plain);
    if (room) await room;
    if (i === last && (await bytesAfterEnd()))
      throw new FileIntegrityError(file.objectKey, 'bytes after the end');
    if (i === last && (await hash.digest()) !== file.sha256)
      throw new FileIntegrityError(file.objectKey, 'SHA-256 mismatch');
  }
  const base = i * layout.chunkSize;
  return plain.subarray(Math.max(0, read.start - base), Math.min(plain.length, read.end - base + 1));
}
