import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { ArchiveBlocks } from './archive-blocks.ts';
import { chachaBackend, hasNativeChacha, sodiumLoaded } from './chacha.ts';
import { type OpenSslChacha, openSslLoaded } from './openssl-chacha.ts';

export { hasNativeChacha };

/**
 * The age payload (age-encryption.org/v1, "Payload") sealed and opened by node:crypto's
 * ChaCha20-Poly1305, natively (under Bun, which has none, by the system's libcrypto through FFI,
 * or else libsodium's WebAssembly: chacha.ts):
 * the STREAM construction over 64 KiB chunks, each sealed under an 11-byte big-endian counter and
 * a last-chunk flag, the key HKDF-SHA-256 of the file key (salt: the 16-byte nonce after the
 * header, info "payload"). age.ts writes and reads the header.
 *
 * A backup seals on a second thread (age-worker.ts), blocks of 16 chunks at a time, a few blocks
 * ahead, while the main thread reads, hashes and writes. Opening runs here, inside the pieces it
 * is handed: only a chunk spanning two pieces is copied.
 */
export const CHUNK = 64 * 1024;
export const TAG = 16;
const SEALED_CHUNK = CHUNK + TAG;
/** Encrypted output is handed on in pieces of about this size (fewer, larger writes). */
const OUTPUT_PIECE = 1 << 20;

/**
 * Whether this runtime seals and opens age payloads here: natively (node:crypto), or else (Bun)
 * with libcrypto through FFI or libsodium's WebAssembly, loaded by this call. False: the age
 * library does (pure JS).
 */
export async function chachaReady(): Promise<boolean> {
  return (await chachaBackend()) !== null;
}

export const payloadKey = (fileKey: Uint8Array, nonce: Uint8Array) =>
  Buffer.from(hkdfSync('sha256', fileKey, nonce, 'payload', 32));

/** `plain` sealed under `key` and `nonce`: its ciphertext, then its tag. */
function seal(key: Buffer, nonce: Buffer, plain: Uint8Array): [Buffer, Buffer] {
  const openssl = hasNativeChacha() ? null : openSslLoaded();
  if (openssl) {
    const sealed = Buffer.allocUnsafe(plain.length + TAG);
    openssl.seal(key, nonce, plain, 0, plain.length, sealed, 0);
    return [sealed.subarray(0, plain.length), sealed.subarray(plain.length)];
  }
  const sodium = hasNativeChacha() ? null : sodiumLoaded();
  if (sodium) {
    const sealed = asBuffer(sodium.crypto_aead_chacha20poly1305_ietf_encrypt(plain, null, null, nonce, key));
    return [sealed.subarray(0, sealed.length - TAG), sealed.subarray(sealed.length - TAG)];
  }
  const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
  const body = c.update(plain);
  c.final();
  return [body, c.getAuthTag()];
}

/** One sealed chunk (the scrypt stanza's file key): ciphertext, then tag. */
export function sealChunk(key: Buffer, nonce: Buffer, plain: Uint8Array): Buffer {
  return Buffer.concat(seal(key, nonce, plain));
}

function openChunk(key: Buffer, nonce: Buffer, sealed: Uint8Array): Buffer {
  const openssl = hasNativeChacha() ? null : openSslLoaded();
  if (openssl) {
    const plain = Buffer.allocUnsafe(Math.max(0, sealed.length - TAG));
    if (openssl.open(key, nonce, sealed, 0, sealed.length, plain, 0) < 0) {
      throw new Error(`chunk ${chunkNumber(nonce)} of the encrypted payload fails its authentication`);
    }
    return plain;
  }
  const sodium = hasNativeChacha() ? null : sodiumLoaded();
  if (sodium) {
    try {
      return asBuffer(sodium.crypto_aead_chacha20poly1305_ietf_decrypt(null, sealed, null, nonce, key));
    } catch {
      throw new Error(`chunk ${chunkNumber(nonce)} of the encrypted payload fails its authentication`);
    }
  }
  const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  const plain = d.update(sealed.subarray(0, sealed.length - TAG));
  try {
    d.final();
  } catch {
    throw new Error(`chunk ${chunkNumber(nonce)} of the encrypted payload fails its authentication`);
  }
  return plain;
}

/** The STREAM nonce: an 11-byte big-endian chunk counter and a last-chunk flag byte. */
function nextNonce(nonce: Buffer): void {
  for (let i = 10; i >= 0; i--) {
    nonce[i] = (nonce[i]! + 1) & 0xff;
    if (nonce[i] !== 0) return;
  }
  throw new Error('the archive is too long for one age payload');
}

const chunkNumber = (nonce: Buffer) => nonce.readUIntBE(5, 6);

const asBuffer = (u: Uint8Array) =>
  Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/**
 * Whether a backup seals on a second thread (CLINICBOX_BACKUP_CIPHER_THREAD=0: on this one).
 * Opening stays on this thread: measured at full size, a restore was no faster with the thread
 * and spent about 1 s more CPU (its blocks are copied for the thread, and the copies collected).
 * So does hashing (read.ts): with each part's SHA-256 on the backup's hashing thread, a restore of
 * the full-size clinic on two cores took 3.72–3.86 s against 3.64–3.82 s, with 0.3 s more CPU.
 */
export const onSecondThread = () => process.env.CLINICBOX_BACKUP_CIPHER_THREAD !== '0';

/**
 * `prefix` (the header and the payload nonce), then `source` sealed under `key` on a second
 * thread (age-worker.ts). A block is sent once a byte after it is known: only the last block ends
 * with the last chunk, which is empty only when the whole payload is.
 */
export async function* sealPayload(
  source: AsyncIterable<Uint8Array>,
  prefix: Buffer,
  key: Buffer,
): AsyncGenerator<Uint8Array> {
  if (!onSecondThread()) {
    yield* sealHere(source, prefix, key);
    return;
  }
  yield prefix;
  yield* onThread(source, key);
}

/** `source` sealed under `key` in blocks on the backup's threads (archive-blocks.ts), in order. */
async function* onThread(source: AsyncIterable<Uint8Array>, key: Buffer): AsyncGenerator<Uint8Array> {
  const blocks = new ArchiveBlocks(key);
  const produce = (async () => {
    for await (const piece of source) await blocks.raw(piece);
    await blocks.finishRaw();
  })();
  produce.catch((e) => blocks.fail(e));
  // Copies: the blocks' buffers are filled again, and a caller may keep what it was given.
  for await (const sealed of blocks.output()) yield Buffer.from(sealed);
  await produce;
}

/**
 * `prefix` (the header and the payload nonce), then `source` sealed under `key`. A full chunk is
 * sealed as soon as a byte after it is known (only the last chunk carries the last-chunk flag,
 * and it is empty only when the whole payload is).
 */
async function* sealHere(
  source: AsyncIterable<Uint8Array>,
  prefix: Buffer,
  key: Buffer,
): AsyncGenerator<Uint8Array> {
  const nonce = Buffer.alloc(12);
  /** The chunk being filled across pieces (`used` bytes of it). */
  const plain = Buffer.allocUnsafe(CHUNK);
  let used = 0;
  let out: Buffer[] = [prefix];
  let outSize = prefix.length;
  const push = (chunk: Uint8Array) => {
    const [body, tag] = seal(key, nonce, chunk);
    nextNonce(nonce);
    out.push(body, tag);
    outSize += body.length + TAG;
  };
  for await (const value of source) {
    const piece = asBuffer(value);
    let at = 0;
    while (at < piece.length) {
      if (used === CHUNK) {
        // A full chunk with more to come: not the last one.
        push(plain);
        used = 0;
      }
      if (used === 0 && piece.length - at > CHUNK) {
        // Whole chunks inside this piece, each with a byte after it: sealed where they are.
        push(piece.subarray(at, at + CHUNK));
        at += CHUNK;
      } else {
        const n = Math.min(CHUNK - used, piece.length - at);
        piece.copy(plain, used, at, at + n);
        used += n;
        at += n;
      }
      if (outSize >= OUTPUT_PIECE) {
        yield out.length === 1 ? out[0]! : Buffer.concat(out, outSize);
        out = [];
        outSize = 0;
      }
    }
  }
  nonce[11] = 1;
  const [body, tag] = seal(key, nonce, plain.subarray(0, used));
  out.push(body, tag);
  yield Buffer.concat(out);
}

/**
 * The plaintext of a payload whose first bytes are `first` and the rest `it`'s: every chunk is
 * authenticated and handed on before the next is opened, so damage fails where it is, after what
 * came before it. Only a chunk spanning two pieces is copied; the last one (nothing after it) is
 * opened with the last-chunk flag.
 *
 * `inPlace`: the pieces are handed over (nothing reads them after `it` gives them): with libcrypto
 * (Bun), the chunks are opened where they lie and their plaintexts moved together, each piece's
 * whole chunks handed on as one piece — no buffer per chunk, and a sixteenth of the pieces
 * downstream.
 */
export async function* openPayload(
  it: AsyncIterator<Uint8Array>,
  first: Buffer,
  key: Buffer,
  inPlace = false,
): AsyncGenerator<Uint8Array> {
  const openssl = inPlace && !hasNativeChacha() ? openSslLoaded() : null;
  if (openssl) {
    yield* openInPlace(it, first, key, openssl);
    return;
  }
  const nonce = Buffer.alloc(12);
  let chunks = 0;
  for await (const { sealed, last } of sealedChunks(it, first)) {
    if (last) {
      nonce[11] = 1;
      const plain = openChunk(key, nonce, sealed);
      if (plain.length === 0 && chunks > 0) throw new Error('the encrypted payload ends with an empty chunk');
      if (plain.length) yield plain;
      return;
    }
    for (let at = 0; at < sealed.length; at += SEALED_CHUNK) {
      yield openChunk(key, nonce, sealed.subarray(at, at + SEALED_CHUNK));
      nextNonce(nonce);
      chunks++;
    }
  }
}

/**
 * `openPayload` with libcrypto, each piece opened where it lies: its whole chunks (those with a
 * byte after them) are opened in place, one after the other, and each plaintext moved up behind
 * the one before (over the tags), then handed on together. A chunk spanning two pieces is joined
 * into a new buffer and opened there.
 */
async function* openInPlace(
  it: AsyncIterator<Uint8Array>,
  first: Buffer,
  key: Buffer,
  openssl: OpenSslChacha,
): AsyncGenerator<Uint8Array> {
  const nonce = Buffer.alloc(12);
  let chunks = 0;
  const openAt = (piece: Buffer, at: number, length: number, to: number) => {
    const n = openssl.open(key, nonce, piece, at, length, piece, at);
    if (n < 0)
      throw new Error(`chunk ${chunkNumber(nonce)} of the encrypted payload fails its authentication`);
    if (to !== at) piece.copyWithin(to, at, at + n);
    return n;
  };
  for await (const { sealed, last } of sealedChunks(it, first)) {
    if (last) {
      nonce[11] = 1;
      const n = openAt(sealed, 0, sealed.length, 0);
      if (n === 0 && chunks > 0) throw new Error('the encrypted payload ends with an empty chunk');
      if (n) yield sealed.subarray(0, n);
      return;
    }
    let to = 0;
    for (let at = 0; at < sealed.length; at += SEALED_CHUNK) {
      to += openAt(sealed, at, SEALED_CHUNK, to);
      nextNonce(nonce);
      chunks++;
    }
    yield sealed.subarray(0, to);
  }
}

/**
 * The sealed chunks of a payload whose first bytes are `first` and the rest `it`'s, as they come,
 * for its opener to open in order: runs of whole chunks, each with a byte after it (those of one
 * piece where they lie; a chunk spanning two pieces joined into a buffer of its own), then the
 * last chunk (`last`: nothing after it). Each run is handed on before the next piece is read.
 */
async function* sealedChunks(
  it: AsyncIterator<Uint8Array>,
  first: Buffer,
): AsyncGenerator<{ sealed: Buffer; last: boolean }> {
  /** Bytes not yet handed on: less than one sealed chunk, or a chunk that may be the last. */
  let pending: Buffer = Buffer.alloc(0);
  /** The runs `piece` completes; what is left of it stays pending. */
  function* runsOf(piece: Buffer) {
    let at = 0;
    if (pending.length) {
      // Complete the pending chunk from this piece; it has bytes after it once the piece
      // reaches past it.
      const need = SEALED_CHUNK - pending.length;
      if (piece.length <= need) {
        pending = Buffer.concat([pending, piece]);
        return;
      }
      yield { sealed: need ? Buffer.concat([pending, piece.subarray(0, need)]) : pending, last: false };
      at = need;
    }
    let end = at;
    while (piece.length - end > SEALED_CHUNK) end += SEALED_CHUNK;
    if (end > at) yield { sealed: piece.subarray(at, end), last: false };
    pending = piece.subarray(end);
  }
  try {
    // `first` may hold whole chunks already (a header read in one large piece).
    yield* runsOf(first);
    for (;;) {
      const { value, done } = await it.next();
      if (done) break;
      if (value.length) yield* runsOf(asBuffer(value));
    }
  } finally {
    await it.return?.();
  }
  if (pending.length < TAG) throw new Error('the encrypted payload is cut short');
  yield { sealed: pending, last: true };
}
