import { Worker } from 'node:worker_threads';
import { WORKER_LOAD_CIPHERS, workerCipher } from './chacha.ts';

/**
 * A backup's two helper threads (Node's worker_threads; Bun's too) over blocks of the plaintext
 * archive held in shared memory (slots: a plaintext buffer, and a buffer for its sealed bytes).
 * Both threads read the same block side by side: one hashes every part in it (SHA-256, one hash
 * per part across blocks), the other seals it as the age payload's ChaCha20-Poly1305 chunks
 * (64 KiB each, STREAM nonces: an 11-byte counter and the last-chunk flag, which only the last
 * block's last chunk carries) into the slot's sealed buffer. Nothing is allocated per block and
 * the main thread only reads, hands slots out and writes. The sealing thread uses node:crypto's
 * ChaCha20-Poly1305 on Node; under Bun (none in its node:crypto) the cipher the main thread
 * loaded (chacha.ts): the system's libcrypto through bun:ffi, sealing each chunk from the shared
 * block straight into the shared sealed buffer; or else libsodium's WebAssembly, loaded in the
 * thread from the code the binary embeds (or, from the source, the package's path).
 *
 * The code is a string: it runs from the source under tsx or vitest as from a bundle or the
 * binary, with no file of its own to ship.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createCipheriv, createHash } = require('node:crypto');
const { key, plain, sealed, cipher } = workerData;
${WORKER_LOAD_CIPHERS}
const CHUNK = 65536, TAG = 16;
const nonce = Buffer.alloc(12);
const next = () => {
  for (let i = 10; i >= 0; i--) { nonce[i] = (nonce[i] + 1) & 0xff; if (nonce[i] !== 0) return; }
  throw new Error('the archive is too long for one age payload');
};
const hashes = new Map();
const inputs = plain.map((b) => Buffer.from(b));
const outputs = sealed.map((b) => Buffer.from(b));
// sealInto(input, at, end, o, to): the chunk input[at, end) sealed (ciphertext, then tag) into o
// at offset to; answers the bytes written.
const sealer = async () => {
  if (!cipher || cipher.kind === 'node:crypto') {
    return (input, at, end, o, to) => {
      const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
      const n = c.update(input.subarray(at, end)).copy(o, to);
      c.final();
      return n + c.getAuthTag().copy(o, to + n);
    };
  }
  if (cipher.kind === 'openssl') {
    const openssl = openSslChacha(require('bun:ffi'), cipher.names);
    if (!openssl) throw new Error(cipher.names.join(', ') + ' did not load on the sealing thread');
    return (input, at, end, o, to) => openssl.seal(key, nonce, input, at, end - at, o, to);
  }
  const sodium = await loadSodium(cipher.source);
  return (input, at, end, o, to) => {
    const out = sodium.crypto_aead_chacha20poly1305_ietf_encrypt(input.subarray(at, end), null, null, nonce, key);
    o.set(out, to);
    return out.length;
  };
};
const ready = key ? sealer() : Promise.resolve(null);
ready.catch(() => {});
parentPort.on('message', (m) => ready.then((sealInto) => onBlock(m, sealInto), (e) => {
  parentPort.postMessage({ slot: m.slot, outLength: 0, sums: [], error: 'no cipher on the sealing thread: ' + String((e && e.message) || e) });
}));
const onBlock = (m, sealInto) => {
  const whole = inputs[m.slot];
  const sums = [];
  let error = null, outLength = 0;
  try {
    if (!key) {
      // Hashed ranges may reach past the sealed length (a flushed block's tail, sealed with the next).
      const s = m.segments;
      for (let i = 0; i < s.length; i += 3) {
        let h = hashes.get(s[i]);
        if (!h) hashes.set(s[i], (h = createHash('sha256')));
        h.update(whole.subarray(s[i + 1], s[i + 2]));
      }
      for (const part of m.ends) {
        const h = hashes.get(part) || createHash('sha256');
        hashes.delete(part);
        sums.push(part, h.digest('hex'));
      }
    } else {
      const length = m.length;
      const o = outputs[m.slot];
      for (let at = 0; at < length || (m.last && at === 0); at += CHUNK) {
        const end = Math.min(at + CHUNK, length);
        if (m.last && end === length) nonce[11] = 1;
        outLength += sealInto(whole, at, end, o, outLength);
        // Every chunk but the payload's last moves the counter on, a block's last one too.
        if (end === length && m.last) break;
        next();
        if (end === length) break;
      }
    }
  } catch (e) { error = String((e && e.message) || e); }
  parentPort.postMessage({ slot: m.slot, outLength, sums, error });
};
`;

/** Sealed bytes of a block of `size` bytes: whole chunks and their tags, and the last chunk's. */
export const sealedSize = (size: number) => size + (Math.ceil(size / 65536) + 1) * 16;

/** A block's work, as sent to the threads. */
export interface BlockWork {
  slot: number;
  /** Plaintext bytes to seal (from the slot's start). */
  length: number;
  /** Ranges to hash, as triples [part, start, end] (they may reach past `length`). */
  segments: number[];
  /** Parts that end in this block (their sums are answered with it). */
  ends: number[];
  last: boolean;
}

/** What a thread answers for a block. */
export interface BlockAnswer {
  slot: number;
  /** The sealing thread: how many sealed bytes it wrote into the slot's sealed buffer. */
  outLength: number;
  /** The hashing thread: each part ended in the block, then its SHA-256 hex. */
  sums: (number | string)[];
}

/** One helper thread: sealing (with a key) or hashing (without). */
export interface BlockThread {
  send(work: BlockWork): void;
  close(): Promise<void>;
}

/**
 * A thread over the slots `plain`/`sealed` (shared memory): `key` given, it seals; else it
 * hashes. Answers come to `onAnswer` in the order the blocks were sent; a failure to `onError`.
 */
export function blockThread(
  key: Buffer | null,
  slots: { plain: SharedArrayBuffer[]; sealed: SharedArrayBuffer[] },
  onAnswer: (a: BlockAnswer) => void,
  onError: (e: Error) => void,
): BlockThread {
  const cipher = key ? workerCipher() : null;
  if (key && !cipher) throw new Error('no ChaCha20-Poly1305 for the sealing thread');
  const worker = new Worker(WORKER, { eval: true, workerData: { key, ...slots, cipher } });
  let closing = false;
  worker.on('message', (m: BlockAnswer & { error: string | null }) => {
    if (m.error !== null) onError(new Error(m.error));
    else onAnswer(m);
  });
  worker.on('error', onError);
  worker.on('exit', () => {
    if (!closing) onError(new Error('a backup thread stopped'));
  });
  return {
    send(work) {
      worker.postMessage(work);
    },
    async close() {
      closing = true;
      await worker.terminate();
    },
  };
}
