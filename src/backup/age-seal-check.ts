/**
 * Seals fixed payloads as a backup does and prints their SHA-256s (one JSON line), for a test
 * to compare runtimes and ciphers: Node seals with node:crypto (OpenSSL), Bun with the system's
 * libcrypto through FFI, or with libsodium's WebAssembly when that is turned off
 * (CLINICBOX_BACKUP_LIBCRYPTO=none) — chacha.ts; on the sealing thread and on this one. Each
 * payload is also opened again here, and damaged ones (a flipped byte in a chunk and in the last
 * tag, a payload cut after whole chunks) must be refused.
 * Run: `bun src/backup/age-seal-check.ts` or `node --import tsx src/backup/age-seal-check.ts`.
 */
import { createHash } from 'node:crypto';
import { openPayload, sealChunk, sealPayload } from './age-payload.ts';
import { chachaBackend } from './chacha.ts';
import { openSslLoaded } from './openssl-chacha.ts';

/** Sizes around the chunk (64 KiB) and thread block (4 MiB) edges. */
const SIZES = [
  0,
  1,
  65_535,
  65_536,
  65_537,
  (4 << 20) - 1,
  4 << 20,
  (4 << 20) + 65_536 + 3,
  8 << 20,
  9_000_001,
];
const key = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 7 + 1) & 0xff));
const plainOf = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + 7) % 251));

async function* pieces(bytes: Buffer, piece: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += piece) yield bytes.subarray(at, at + piece);
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of source) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** `bytes` in pieces of `piece` bytes, each a copy of its own (handed over: opened in place). */
async function* ownPieces(bytes: Buffer, piece: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += piece) yield Buffer.from(bytes.subarray(at, at + piece));
}

/** Ways to open: pieces shared with the caller, or handed over (in place), at and off the chunk edges. */
const OPENINGS = [
  { inPlace: false, piece: 100_000 },
  { inPlace: true, piece: 100_000 },
  { inPlace: true, piece: 16 * 65_552 },
  { inPlace: true, piece: 1 << 20 },
];
const opens = (sealed: Buffer, how: (typeof OPENINGS)[number]) => {
  const it = (how.inPlace ? ownPieces : pieces)(sealed, how.piece)[Symbol.asyncIterator]();
  return collect(openPayload(it, Buffer.alloc(0), key, how.inPlace));
};

/** Whether opening `sealed` fails with an error matching `message`, every way. */
const refuses = async (sealed: Buffer, message: RegExp) => {
  for (const how of OPENINGS) {
    const refused = await opens(sealed, how).then(
      () => false,
      (e: Error) => message.test(e.message),
    );
    if (!refused) return false;
  }
  return true;
};

const backend = await chachaBackend();
const sums: Record<string, string> = {};
let opened = true;
for (const thread of ['1', '0']) {
  process.env.CLINICBOX_BACKUP_CIPHER_THREAD = thread;
  for (const size of SIZES) {
    const plain = plainOf(size);
    const sealed = await collect(sealPayload(pieces(plain, 1 << 20), Buffer.alloc(0), key));
    sums[`${thread === '1' ? 'thread' : 'here'} ${size}`] = createHash('sha256').update(sealed).digest('hex');
    for (const how of OPENINGS) {
      if (!(await opens(sealed, how)).equals(plain)) opened = false;
    }
  }
}
const sealed = await collect(sealPayload(pieces(plainOf(200_001), 1 << 20), Buffer.alloc(0), key));
const flipped = Buffer.from(sealed);
flipped[65_552 + 100]! ^= 1;
const lastTag = Buffer.from(sealed);
lastTag[lastTag.length - 1]! ^= 1;
const refused = {
  flipped: await refuses(flipped, /chunk 1 of the encrypted payload fails its authentication/),
  lastTag: await refuses(lastTag, /chunk 3 of the encrypted payload fails its authentication/),
  // The second chunk was not sealed as the last one.
  cut: await refuses(sealed.subarray(0, 2 * 65_552), /chunk 1 of the encrypted payload fails/),
};

/**
 * Hot: one 4 KiB chunk sealed (and, with libcrypto, opened) 20,000 times in one loop, long enough
 * for the JIT to compile the callers — what a backup or a restore does per chunk. Every answer must
 * be the first one's (JSC moves small typed arrays when it compiles a caller: oven-sh/bun#32054).
 */
function hot(): boolean {
  const nonce = Buffer.alloc(12);
  const plain = plainOf(4096);
  const first = sealChunk(key, nonce, plain);
  const openssl = openSslLoaded();
  const back = Buffer.alloc(4096);
  for (let i = 0; i < 20_000; i++) {
    if (!sealChunk(key, nonce, plain).equals(first)) return false;
    if (openssl) {
      back.fill(0);
      if (openssl.open(key, nonce, first, 0, first.length, back, 0) !== 4096 || !back.equals(plain))
        return false;
    }
  }
  return true;
}

console.log(JSON.stringify({ bun: typeof Bun !== 'undefined', backend, opened, refused, hot: hot(), sums }));
