import { Worker } from 'node:worker_threads';

/**
 * The age payload's chunks sealed on a second thread (Node's worker_threads), so that reading,
 * hashing and tar (on the main thread) and ChaCha20-Poly1305 (here) run side by side, and the
 * main thread's event loop stays free for what else the process serves. Blocks of whole chunks
 * go over in order and come back in order; only the last block seals its last chunk with the
 * last-chunk flag.
 *
 * The worker's code is a string (node:crypto only): it runs from the source under tsx or vitest
 * as from a bundle, with no file of its own to ship. Bun has no ChaCha20 in node:crypto, so the
 * binary never starts it (age.ts: the age library's own payload there).
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createCipheriv } = require('node:crypto');
const { key } = workerData;
const CHUNK = 65536, TAG = 16;
const nonce = Buffer.alloc(12);
const next = () => {
  for (let i = 10; i >= 0; i--) { nonce[i] = (nonce[i] + 1) & 0xff; if (nonce[i] !== 0) return; }
  throw new Error('the archive is too long for one age payload');
};
parentPort.on('message', ({ data, last }) => {
  const input = Buffer.from(data);
  const pieces = [];
  let error = null;
  try {
    for (let at = 0; at < input.length || (last && at === 0); at += CHUNK) {
      const end = Math.min(at + CHUNK, input.length);
      if (last && end === input.length) nonce[11] = 1;
      const chunk = input.subarray(at, end);
      const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
      pieces.push(c.update(chunk));
      c.final();
      pieces.push(c.getAuthTag());
      // Every chunk but the payload's last moves the counter on, a block's last one too.
      if (end === input.length && last) break;
      next();
      if (end === input.length) break;
    }
  } catch (e) { error = e.message; }
  const out = Buffer.concat(pieces);
  const whole = out.byteOffset === 0 && out.length === out.buffer.byteLength;
  const buffer = whole ? out.buffer : out.buffer.slice(out.byteOffset, out.byteOffset + out.length);
  parentPort.postMessage({ data: buffer, error }, [buffer]);
});
`;

/** A block of whole chunks (the last block: whatever is left) in, its sealed bytes out. */
export interface ChunkThread {
  /** Sends a block (its buffer is moved to the thread); its result comes back in order. */
  send(block: Buffer, last: boolean): void;
  /** Blocks sent whose result has not been taken. */
  readonly pending: number;
  /** The next result, in the order sent; rejects when its block failed (the bytes before it first). */
  take(): Promise<Buffer>;
  close(): Promise<void>;
}

export function chunkThread(key: Buffer): ChunkThread {
  const worker = new Worker(WORKER, { eval: true, workerData: { key } });
  const results: { data: Buffer; error: string | null }[] = [];
  const waiting: { resolve(): void; reject(e: Error): void }[] = [];
  let failed: Error | null = null;
  let pending = 0;
  worker.on('message', (m: { data: ArrayBuffer; error: string | null }) => {
    results.push({ data: Buffer.from(m.data), error: m.error });
    waiting.shift()?.resolve();
  });
  let closing = false;
  const fail = (e: Error) => {
    failed ??= e;
    for (const w of waiting.splice(0)) w.reject(failed);
  };
  worker.on('error', fail);
  worker.on('exit', () => {
    if (!closing) fail(new Error('the encryption thread stopped'));
  });
  let heldError: string | null = null;
  return {
    send(block, last) {
      const buffer =
        block.byteOffset === 0 && block.byteLength === block.buffer.byteLength
          ? block.buffer
          : block.buffer.slice(block.byteOffset, block.byteOffset + block.byteLength);
      worker.postMessage({ data: buffer, last }, [buffer as ArrayBuffer]);
      pending++;
    },
    get pending() {
      return pending;
    },
    async take() {
      if (heldError !== null) throw new Error(heldError);
      if (!results.length) {
        if (failed) throw failed;
        await new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
      }
      const r = results.shift()!;
      if (r.error !== null) {
        if (!r.data.length) throw new Error(r.error);
        // The bytes before the failed chunk are handed on first, the error at the next take
        // (still pending: a reader that drains what is pending meets it).
        heldError = r.error;
        return r.data;
      }
      pending--;
      return r.data;
    },
    async close() {
      closing = true;
      await worker.terminate();
    },
  };
}
