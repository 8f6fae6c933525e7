/**
 * ChaCha20-Poly1305 from the system's OpenSSL (libcrypto) through `bun:ffi`, for Bun (the binary):
 * its node:crypto has no ChaCha20-Poly1305 and its own BoringSSL is not reachable, but the OS's
 * libcrypto is native code, ~10× libsodium's WebAssembly (measured 3.4 GB vs 0.35 GB per CPU-second
 * on 64 KiB chunks). One cipher context per direction per thread, prepared once; a 64 KiB chunk
 * costs four calls (init with the key and nonce, update, final, tag), reading and writing the
 * caller's buffers in place (shared memory on the sealing thread). Nothing the library writes is
 * read back by JS in these functions (see the comment inside: JSC moves small typed arrays).
 *
 * Which library: CLINICBOX_BACKUP_LIBCRYPTO names it (a path, or `none`: do not use one, libsodium
 * seals instead); else per OS — Linux `libcrypto.so.3` then `libcrypto.so` (the loader's search
 * path), macOS only Homebrew's OpenSSL 3 (never /usr/lib/libcrypto.dylib: macOS aborts a process
 * that loads it), Windows none. A library that loads is first checked against a fixed vector
 * (sealed by node:crypto): one whose bytes differ, or that opens a forged chunk, is not used.
 *
 * The code is a string (`OPENSSL_CHACHA`, defining `openSslChacha(ffi, names)`): the sealing
 * thread runs from a string too (age-worker.ts) and evaluates the same code as this thread.
 */

/** One chunk from `length` bytes of `input` at `at` into `output` at `to`, under `key` and `nonce`. */
type ChunkCipher = (
  key: Uint8Array,
  nonce: Uint8Array,
  input: Uint8Array,
  at: number,
  length: number,
  output: Uint8Array,
  to: number,
) => number;

/** ChaCha20-Poly1305 (IETF) over byte ranges of the caller's buffers. */
export interface OpenSslChacha {
  /** The library that loaded (its name as opened). */
  name: string;
  /** Seals the plaintext (ciphertext, then the 16-byte tag). Answers the bytes written (`length + 16`). */
  seal: ChunkCipher;
  /**
   * Opens the sealed chunk (tag included). Answers the plaintext's length, or -1 when the chunk
   * fails its authentication (then `output` holds nothing to use).
   */
  open: ChunkCipher;
}

/** Where libcrypto may be, in the order tried (CLINICBOX_BACKUP_LIBCRYPTO first; see above). */
export function libcryptoCandidates(
  platform: string = process.platform,
  override: string | undefined = process.env.CLINICBOX_BACKUP_LIBCRYPTO,
): string[] {
  if (override) {
    if (['none', 'off', '0'].includes(override)) return [];
    // Apple's libcrypto aborts the process that loads it, even when asked for by name.
    if (platform === 'darwin' && /^\/usr\/lib\/libcrypto/.test(override)) return [];
    return [override];
  }
  if (platform === 'linux') return ['libcrypto.so.3', 'libcrypto.so'];
  if (platform === 'darwin') {
    return [
      '/opt/homebrew/opt/openssl@3/lib/libcrypto.3.dylib',
      '/usr/local/opt/openssl@3/lib/libcrypto.3.dylib',
      '/opt/homebrew/lib/libcrypto.3.dylib',
      '/usr/local/lib/libcrypto.3.dylib',
    ];
  }
  return [];
}

/**
 * Plain JS, in a string: `openSslChacha(ffi, names)` answers an `OpenSslChacha` over the first of
 * `names` that loads with every symbol and passes the check, or null. `ffi` is `bun:ffi`.
 */
export const OPENSSL_CHACHA = `
const openSslChacha = (ffi, names) => {
  const { dlopen, FFIType, ptr } = ffi;
  const P = FFIType.ptr, I = FFIType.i32;
  const symbols = {
    EVP_CIPHER_CTX_new: { args: [], returns: P },
    EVP_chacha20_poly1305: { args: [], returns: P },
    EVP_EncryptInit_ex: { args: [P, P, P, P, P], returns: I },
    EVP_EncryptUpdate: { args: [P, P, P, P, I], returns: I },
    EVP_EncryptFinal_ex: { args: [P, P, P], returns: I },
    EVP_DecryptInit_ex: { args: [P, P, P, P, P], returns: I },
    EVP_DecryptUpdate: { args: [P, P, P, P, I], returns: I },
    EVP_DecryptFinal_ex: { args: [P, P, P], returns: I },
    EVP_CIPHER_CTX_ctrl: { args: [P, I, I, P], returns: I },
  };
  // EVP_CTRL_AEAD_SET_IVLEN, _GET_TAG, _SET_TAG (openssl/evp.h).
  const SET_IVLEN = 0x9, GET_TAG = 0x10, SET_TAG = 0x11, TAG = 16;
  const make = (name) => {
    let lib;
    try { lib = dlopen(name, symbols); } catch { return null; }
    const f = lib.symbols;
    const cipher = f.EVP_chacha20_poly1305();
    const sealCtx = f.EVP_CIPHER_CTX_new(), openCtx = f.EVP_CIPHER_CTX_new();
    if (!cipher || !sealCtx || !openCtx
      || f.EVP_EncryptInit_ex(sealCtx, cipher, null, null, null) !== 1
      || f.EVP_CIPHER_CTX_ctrl(sealCtx, SET_IVLEN, 12, null) !== 1
      || f.EVP_DecryptInit_ex(openCtx, cipher, null, null, null) !== 1
      || f.EVP_CIPHER_CTX_ctrl(openCtx, SET_IVLEN, 12, null) !== 1) return null;
    // Memory the library writes that is not the caller's: the out-lengths and what final writes
    // (nothing, for this cipher), over an ArrayBuffer of its own. It is never read back: for this
    // stream cipher update writes exactly its input's length and final nothing, and the answers
    // say whether they did. A small typed array made with a length keeps its bytes in the GC heap
    // and JSC moves them when a caller is JIT-compiled (oven-sh/bun#32054: an address taken before
    // then points at the old copy, native writes are lost and JS reads stale bytes): so every
    // address is taken right before the call that uses it, of a view whose bytes were first moved
    // out of the GC heap (touching .buffer does that; a no-op for the large ones).
    const scratch = new Uint8Array(new ArrayBuffer(64));
    const address = (view, offset) => {
      void view.buffer;
      return ptr(view, offset);
    };
    const range = (buffer, at, length) => {
      if (!(at >= 0 && length >= 0 && at + length <= buffer.length)) throw new RangeError('a chunk outside its buffer');
    };
    const keyed = (key, nonce) => {
      if (key.length !== 32 || nonce.length !== 12) throw new RangeError('ChaCha20-Poly1305 takes a 32-byte key and a 12-byte nonce');
    };
    const seal = (key, nonce, input, at, length, output, to) => {
      range(input, at, length);
      range(output, to, length + TAG);
      keyed(key, nonce);
      if (f.EVP_EncryptInit_ex(sealCtx, null, null, address(key, 0), address(nonce, 0)) !== 1) throw new Error('OpenSSL: EVP_EncryptInit_ex failed');
      if (length && f.EVP_EncryptUpdate(sealCtx, address(output, to), address(scratch, 0), address(input, at), length) !== 1) throw new Error('OpenSSL: EVP_EncryptUpdate failed');
      if (f.EVP_EncryptFinal_ex(sealCtx, address(scratch, 16), address(scratch, 0)) !== 1) throw new Error('OpenSSL: EVP_EncryptFinal_ex failed');
      if (f.EVP_CIPHER_CTX_ctrl(sealCtx, GET_TAG, TAG, address(output, to + length)) !== 1) throw new Error('OpenSSL: no tag');
      return length + TAG;
    };
    const open = (key, nonce, input, at, length, output, to) => {
      range(input, at, length);
      const body = length - TAG;
      if (body < 0) return -1;
      range(output, to, body);
      keyed(key, nonce);
      if (f.EVP_DecryptInit_ex(openCtx, null, null, address(key, 0), address(nonce, 0)) !== 1) throw new Error('OpenSSL: EVP_DecryptInit_ex failed');
      if (f.EVP_CIPHER_CTX_ctrl(openCtx, SET_TAG, TAG, address(input, at + body)) !== 1) throw new Error('OpenSSL: the tag was not taken');
      if (body && f.EVP_DecryptUpdate(openCtx, address(output, to), address(scratch, 0), address(input, at), body) !== 1) throw new Error('OpenSSL: EVP_DecryptUpdate failed');
      return f.EVP_DecryptFinal_ex(openCtx, address(scratch, 16), address(scratch, 0)) === 1 ? body : -1;
    };
    // A fixed vector (node:crypto's bytes): the library must seal it so and refuse it forged.
    const key = new Uint8Array(32).map((_, i) => i);
    const nonce = new Uint8Array(12); nonce[10] = 1; nonce[11] = 1;
    const plain = new Uint8Array(100).map((_, i) => (i * 7) & 255);
    const expected =
      '01440cbfc5634e7de742ea56da5f4d7ba6ff57cbba4716eb3f5b3c0e3ef6ab25b28a141706ca397206451def658eb3435368d8da047b2f3bbe76937512d77d355e4249ce250581f5aed415abf5cd1f5378c047e16c79fb69df246ef8b440864f52d10ed2a1fa03882f863318164b5bf167d7688e';
    const sealed = new Uint8Array(plain.length + TAG);
    const back = new Uint8Array(plain.length);
    try {
      seal(key, nonce, plain, 0, plain.length, sealed, 0);
      const hex = Array.from(sealed, (b) => b.toString(16).padStart(2, '0')).join('');
      if (hex !== expected || open(key, nonce, sealed, 0, sealed.length, back, 0) !== plain.length) return null;
      if (back.some((b, i) => b !== plain[i])) return null;
      sealed[sealed.length - 1] ^= 1;
      if (open(key, nonce, sealed, 0, sealed.length, back, 0) !== -1) return null;
    } catch { return null; }
    return { name, seal, open };
  };
  for (const name of names) {
    const chacha = make(name);
    if (chacha) return chacha;
  }
  return null;
};
`;

let loading: Promise<OpenSslChacha | null> | undefined;
let loaded: OpenSslChacha | null = null;

/**
 * libcrypto's ChaCha20-Poly1305 on this thread (loaded once), under Bun only (Node has it in
 * node:crypto); null where no candidate loads and passes the check.
 */
export function loadOpenSsl(): Promise<OpenSslChacha | null> {
  loading ??= (async () => {
    if (typeof Bun === 'undefined') return null;
    const names = libcryptoCandidates();
    if (!names.length) return null;
    try {
      const ffi = await import('bun:ffi');
      const make = new Function('ffi', 'names', `${OPENSSL_CHACHA}\nreturn openSslChacha(ffi, names);`);
      loaded = make(ffi, names) as OpenSslChacha | null;
    } catch {
      loaded = null;
    }
    return loaded;
  })();
  return loading;
}

/** libcrypto's ChaCha20-Poly1305 if `loadOpenSsl` has loaded it. */
export const openSslLoaded = (): OpenSslChacha | null => loaded;
