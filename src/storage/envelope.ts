import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * The encrypted object's layout (format 1): an 8-byte header — `CBF`, the format number 1, the
 * chunk size as a big-endian u32 — then the plaintext in chunks of `chunkSize` bytes (the last one
 * shorter; an empty file has one empty chunk), each sealed with AES-256-GCM under the file's own
 * data key and followed by its 16-byte tag. Chunk i's nonce is 4 zero bytes and i as a u64, and
 * its additional data is the header and a last-chunk flag, so chunks cannot be reordered, moved
 * between files, cut off at a chunk edge or appended to. The data key is random per file, so the
 * counter nonces never repeat under one key. A range of the plaintext needs only its chunks.
 */

export const HEADER_BYTES = 8;
export const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;
/**
 * 256 KiB: a range decrypts at most two chunks, and the tags cost 0.006 %. Smaller chunks are
 * slower (Node sets up a GCM cipher in ~0.1 ms: a third of the time at 64 KiB, a tenth here).
 */
export const DEFAULT_CHUNK_SIZE = 256 * 1024;
const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
const MAGIC = Buffer.from('CBF\x01', 'latin1');

export function makeHeader(chunkSize: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(chunkSize, 4);
  return header;
}

/** The chunk size a header names, or null when it is not a format-1 header. */
export function readHeader(header: Buffer): number | null {
  if (header.length !== HEADER_BYTES || !header.subarray(0, 4).equals(MAGIC)) return null;
  const chunkSize = header.readUInt32BE(4);
  return chunkSize > 0 && chunkSize <= MAX_CHUNK_SIZE ? chunkSize : null;
}

/** Where the chunks of a file of `size` plaintext bytes lie in its object. */
export class Layout {
  readonly chunks: number;
  constructor(
    readonly size: number,
    readonly chunkSize: number,
  ) {
    this.chunks = size === 0 ? 1 : Math.ceil(size / chunkSize);
  }
  plainLength(index: number): number {
    return index < this.chunks - 1 ? this.chunkSize : this.size - (this.chunks - 1) * this.chunkSize;
  }
  cipherOffset(index: number): number {
    return HEADER_BYTES + index * (this.chunkSize + TAG_BYTES);
  }
  get objectSize(): number {
    return HEADER_BYTES + this.chunks * TAG_BYTES + this.size;
  }
  chunkOf(plainOffset: number): number {
    return Math.floor(plainOffset / this.chunkSize);
  }
}

const nonceOf = (index: number) => {
  const nonce = Buffer.alloc(12);
  nonce.writeBigUInt64BE(BigInt(index), 4);
  return nonce;
};

const aadOf = (header: Buffer, last: boolean) => Buffer.concat([header, Buffer.from([last ? 1 : 0])]);

/**
 * Chunk `index` sealed with node:crypto on this thread, as the two pieces stored one after the
 * other: its ciphertext, then its tag (never joined: the store writes both). `plain` is read
 * before it returns, so the caller may reuse its buffer at once. (Until 2026-12 chunks were sealed
 * through WebCrypto in the thread pool: the same bytes, but it copied every chunk first and cost
 * more CPU per MiB in all than sealing here while the hash runs on its worker; files stored then open
 * the same way, as vault-format.test.ts checks.)
 */
export function sealChunkParts(
  dataKey: Buffer,
  header: Buffer,
  index: number,
  last: boolean,
  plain: Buffer,
): [Buffer, Buffer] {
  const cipher = createCipheriv('aes-256-gcm', dataKey, nonceOf(index));
  cipher.setAAD(aadOf(header, last));
  const body = cipher.update(plain);
  cipher.final(); // GCM is a stream mode: nothing more comes out
  return [body, cipher.getAuthTag()];
}

/**
 * Chunk `index` opened from its ciphertext and tag, or null when it does not authenticate
 * (changed, moved, cut or wrong key). Nothing of it is returned unless the tag checks.
 */
export function openChunk(
  dataKey: Buffer,
  header: Buffer,
  index: number,
  last: boolean,
  sealed: Buffer,
): Buffer | null {
  if (sealed.length < TAG_BYTES) return null;
  const decipher = createDecipheriv('aes-256-gcm', dataKey, nonceOf(index));
  decipher.setAAD(aadOf(header, last));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    const head = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
    const tail = decipher.final();
    return tail.length ? Buffer.concat([head, tail]) : head;
  } catch {
    return null;
  }
}
