/**
 * Seals fixed payloads as a backup does and prints their SHA-256s (one JSON line), for a test
 * to compare runtimes: Node seals with node:crypto (OpenSSL), Bun with libsodium's WebAssembly
 * (chacha.ts), on the sealing thread and on this one; each payload is also opened again here.
 * Run: `bun src/backup/age-seal-check.ts` or `node --import tsx src/backup/age-seal-check.ts`.
 */
import { createHash } from 'node:crypto';
import { chachaReady, hasNativeChacha, openPayload, sealPayload } from './age-payload.ts';

/** Sizes around the chunk (64 KiB) and thread block (4 MiB) edges. */
const SIZES = [0, 1, 65_535, 65_536, 65_537, 4 << 20, (4 << 20) + 65_536 + 3, 9_000_001];
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

const ready = await chachaReady();
const sums: Record<string, string> = {};
let opened = true;
for (const thread of ['1', '0']) {
  process.env.CLINICBOX_BACKUP_CIPHER_THREAD = thread;
  for (const size of SIZES) {
    const plain = plainOf(size);
    const sealed = await collect(sealPayload(pieces(plain, 1 << 20), Buffer.alloc(0), key));
    sums[`${thread === '1' ? 'thread' : 'here'} ${size}`] = createHash('sha256').update(sealed).digest('hex');
    const it = pieces(sealed, 100_000)[Symbol.asyncIterator]();
    const back = await collect(openPayload(it, Buffer.alloc(0), key));
    if (!back.equals(plain)) opened = false;
  }
}
console.log(
  JSON.stringify({ bun: typeof Bun !== 'undefined', native: hasNativeChacha(), ready, opened, sums }),
);
