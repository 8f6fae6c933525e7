import { createCipheriv } from 'node:crypto';
import { createRequire } from 'node:module';
import { loadOpenSsl, OPENSSL_CHACHA, openSslLoaded } from './openssl-chacha.ts';

/**
 * ChaCha20-Poly1305 (IETF: 12-byte nonce, 16-byte tag) where node:crypto has none: Bun 1.x's
 * node:crypto lacks it and its WebCrypto refuses it. Under Bun (the binary) age's payload is
 * sealed and opened by the system's OpenSSL (libcrypto through bun:ffi: openssl-chacha.ts), and
 * where that cannot be loaded (no OpenSSL 3 found, Windows, CLINICBOX_BACKUP_LIBCRYPTO=none) by
 * libsodium (libsodium-wrappers: libsodium compiled to WebAssembly, ~1/10 of OpenSSL's speed,
 * ~2× the age library's pure-JS cipher). All give the bytes node:crypto gives for the same key
 * and nonce (a test compares them). Node keeps node:crypto (OpenSSL, native).
 */
export type ChachaBackend = 'node:crypto' | 'openssl' | 'libsodium';

/**
 * What seals and opens age payloads in this runtime (loaded by this call): node:crypto, else
 * libcrypto through FFI, else libsodium; null: none (or CLINICBOX_BACKUP_PURE_JS_AGE=1), the age
 * library's pure JS does.
 */
export async function chachaBackend(): Promise<ChachaBackend | null> {
  if (hasNativeChacha()) return 'node:crypto';
  if (process.env.CLINICBOX_BACKUP_PURE_JS_AGE === '1') return null;
  if (await loadOpenSsl()) return 'openssl';
  if (await loadSodium()) return 'libsodium';
  return null;
}

/** How the sealing thread (code in a string) gets the cipher this thread chose. */
export type WorkerCipher =
  | { kind: 'node:crypto' }
  | { kind: 'openssl'; names: string[] }
  | { kind: 'libsodium'; source: { code: string } | { path: string } };

/**
 * The sealing thread's cipher, the one this thread loaded (`chachaBackend` was awaited): the same
 * libcrypto, else libsodium. Null: none to give it.
 */
export function workerCipher(): WorkerCipher | null {
  if (hasNativeChacha()) return { kind: 'node:crypto' };
  const openssl = openSslLoaded();
  if (openssl) return { kind: 'openssl', names: [openssl.name] };
  const source = sodiumForWorker();
  return source ? { kind: 'libsodium', source } : null;
}

export interface Sodium {
  ready: Promise<void>;
  crypto_aead_chacha20poly1305_ietf_encrypt(
    message: Uint8Array,
    additionalData: Uint8Array | null,
    secretNonce: null,
    publicNonce: Uint8Array,
    key: Uint8Array,
  ): Uint8Array;
  crypto_aead_chacha20poly1305_ietf_decrypt(
    secretNonce: null,
    ciphertext: Uint8Array,
    additionalData: Uint8Array | null,
    publicNonce: Uint8Array,
    key: Uint8Array,
  ): Uint8Array;
}

let nativeChacha: boolean | undefined;
/** Whether node:crypto has ChaCha20-Poly1305 (Node: yes; Bun 1.x: no). */
export function hasNativeChacha(): boolean {
  if (nativeChacha === undefined) {
    try {
      createCipheriv('chacha20-poly1305', Buffer.alloc(32), Buffer.alloc(12), { authTagLength: 16 });
      nativeChacha = process.env.CLINICBOX_BACKUP_PURE_JS_AGE !== '1';
    } catch {
      nativeChacha = false;
    }
  }
  return nativeChacha;
}

let loading: Promise<Sodium | null> | undefined;
let loaded: Sodium | null = null;

/** libsodium, ready to use (loaded once); null when it cannot be loaded. */
export function loadSodium(): Promise<Sodium | null> {
  loading ??= (async () => {
    try {
      const mod = (await import('libsodium-wrappers')) as unknown as { default?: Sodium } & Sodium;
      const sodium = mod.default ?? mod;
      await sodium.ready;
      loaded = sodium;
      return sodium;
    } catch {
      return null;
    }
  })();
  return loading;
}

/** libsodium if `loadSodium` has loaded it. */
export const sodiumLoaded = (): Sodium | null => loaded;

/**
 * How a worker thread (code run from a string) loads libsodium-wrappers: in the binary, the code
 * build.ts bundled into one CommonJS script and embedded (`globalThis.__clinicboxSodium`); from
 * the source, the package's CommonJS entry by path. Null when neither is there.
 */
export function sodiumForWorker(): { code: string } | { path: string } | null {
  const code = (globalThis as { __clinicboxSodium?: string }).__clinicboxSodium;
  if (typeof code === 'string') return { code };
  try {
    return { path: createRequire(import.meta.url).resolve('libsodium-wrappers') };
  } catch {
    return null;
  }
}

/**
 * Worker code (plain JS, in a string) that defines `loadSodium(source)`: the libsodium-wrappers
 * module from `sodiumForWorker()`'s answer, once ready (a promise); and `openSslChacha(ffi,
 * names)` (openssl-chacha.ts).
 */
export const WORKER_LOAD_CIPHERS = `${OPENSSL_CHACHA}
const loadSodium = (source) => {
  let sodium;
  if (source.path) sodium = require(source.path);
  else {
    const module = { exports: {} };
    new Function('module', 'exports', 'require', source.code)(module, module.exports, require);
    sodium = module.exports;
  }
  if (sodium && sodium.default && !sodium.ready) sodium = sodium.default;
  return sodium.ready.then(() => sodium);
};
`;
