import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drain } from '../testing/streams.ts';
import { C, objectPath, readAll, sha, streamOf, vaultIn, write } from '../testing/vault.ts';
import { HEADER_BYTES, TAG_BYTES } from './envelope.ts';
import { FileIntegrityError, ObjectNotFoundError } from './errors.ts';

describe('the file vault round trip', () => {
  const sizes = [0, 1, C - 1, C, C + 1, 2 * C, 3 * C, 3 * C + 5, 1000];
  it.each(sizes)('stores and reads back %i bytes, with their size and SHA-256', async (size) => {
    const { vault, root } = vaultIn();
    const plain = randomBytes(size);
    const file = await write(vault, plain);
    expect(file.size).toBe(size);
    expect(file.sha256).toBe(sha(plain));
    expect(file.objectKey).toMatch(/^documents\/p1\/d1\.[0-9a-f]{20}$/);
    expect((await readAll(vault, file)).equals(plain)).toBe(true);
    // Header, then one tag per chunk (an empty file has one empty chunk): nothing else grows it.
    const chunks = size === 0 ? 1 : Math.ceil(size / C);
    const stored = readFileSync(objectPath(root, file));
    expect(stored.length).toBe(HEADER_BYTES + chunks * TAG_BYTES + size);
    if (size >= 8) expect(stored.includes(plain.subarray(0, 8))).toBe(false);
    await expect(vault.verify(file)).resolves.toBeUndefined();
  });

  it('gives every file its own object key and its own data key', async () => {
    const { vault, root } = vaultIn();
    const plain = Buffer.from('the same letter twice');
    const a = await write(vault, plain);
    const b = await write(vault, plain);
    expect(a.objectKey).not.toBe(b.objectKey);
    expect(a.wrappedKey).not.toBe(b.wrappedKey);
    expect(readFileSync(objectPath(root, a)).equals(readFileSync(objectPath(root, b)))).toBe(false);
  });

  it('reads with the default chunk size across its chunk edges', async () => {
    const { vault } = vaultIn(null);
    const size = 64 * 1024;
    for (const n of [size - 1, size, size + 1, 3 * size]) {
      const plain = randomBytes(n);
      const file = await vault.write(streamOf(plain, 10_000), {
        keyHint: 'documents/p/d',
        maxBytes: 1 << 20,
      });
      expect((await readAll(vault, file)).equals(plain)).toBe(true);
      const edge = await readAll(vault, file, { start: size - 3, end: size + 2 });
      expect(edge.equals(plain.subarray(size - 3, size + 3))).toBe(true);
    }
  });

  it('refuses a key hint that is not a plain relative key', async () => {
    const { vault } = vaultIn();
    for (const keyHint of ['../escape', '/abs', 'documents//x', 'documents/.hidden', 'a b']) {
      await expect(vault.write(streamOf(Buffer.from('x')), { keyHint, maxBytes: 10 })).rejects.toThrow(
        /invalid object key/,
      );
    }
  });
});

describe('ranges', () => {
  it('reads every range of a file that ends mid-chunk, exactly', async () => {
    const { vault } = vaultIn();
    const plain = randomBytes(3 * C + 5);
    const file = await write(vault, plain);
    for (let start = 0; start < plain.length; start++) {
      for (let end = start; end < plain.length; end++) {
        const got = await readAll(vault, file, { start, end });
        if (!got.equals(plain.subarray(start, end + 1))) throw new Error(`bytes ${start}-${end} differ`);
      }
    }
  });

  it('reads ranges at the chunk edges of a file that is an exact number of chunks', async () => {
    const { vault } = vaultIn();
    const plain = randomBytes(4 * C);
    const file = await write(vault, plain);
    const edges = [0, C - 1, C, 2 * C - 1, 2 * C, 3 * C - 1, 3 * C, 4 * C - 1];
    for (const start of edges) {
      for (const end of edges.filter((e) => e >= start)) {
        expect((await readAll(vault, file, { start, end })).equals(plain.subarray(start, end + 1))).toBe(
          true,
        );
      }
    }
  });

  it('reads to the end when the range has no end, and stops at the end when it goes past it', async () => {
    const { vault } = vaultIn();
    const plain = randomBytes(2 * C + 3);
    const file = await write(vault, plain);
    expect((await readAll(vault, file, { start: C + 1 })).equals(plain.subarray(C + 1))).toBe(true);
    expect((await readAll(vault, file, { start: 2, end: 10_000 })).equals(plain.subarray(2))).toBe(true);
    expect((await readAll(vault, file, { start: plain.length - 1 })).equals(plain.subarray(-1))).toBe(true);
  });

  it('refuses a range outside the file with a RangeError', async () => {
    const { vault } = vaultIn();
    const file = await write(vault, randomBytes(C));
    await expect(vault.read(file, { start: C })).rejects.toThrow(RangeError);
    await expect(vault.read(file, { start: 5, end: 4 })).rejects.toThrow(RangeError);
    await expect(vault.read(file, { start: -1, end: 4 })).rejects.toThrow(RangeError);
    await expect(vault.read(file, { start: 1.5, end: 4 })).rejects.toThrow(RangeError);
    await expect(vault.read(file, { start: 1, end: 4.5 })).rejects.toThrow(RangeError);
    const empty = await write(vault, Buffer.alloc(0));
    await expect(vault.read(empty, { start: 0 })).rejects.toThrow(RangeError);
    expect((await readAll(vault, empty)).length).toBe(0);
  });

  it('reads one byte of a one-byte file', async () => {
    const { vault } = vaultIn();
    const file = await write(vault, Buffer.from('z'));
    expect((await readAll(vault, file, { start: 0, end: 0 })).toString()).toBe('z');
  });
});

describe('a changed or damaged object', () => {
  /** A stored file of 3 full chunks and a short one, and a way to rewrite its object's bytes. */
  async function stored() {
    const { vault, root } = vaultIn();
    const plain = randomBytes(3 * C + 5);
    const file = await write(vault, plain);
    const path = objectPath(root, file);
    const original = readFileSync(path);
    const change = (edit: (bytes: Buffer) => Buffer) => writeFileSync(path, edit(Buffer.from(original)));
    return { vault, file, plain, original, change };
  }
  const chunkAt = (i: number) => HEADER_BYTES + i * (C + TAG_BYTES);

  const flips: [string, number][] = [
    ['the header', 2],
    ['the chunk size in the header', 7],
    ['the first chunk', chunkAt(0) + 3],
    ['a tag', chunkAt(1) + C + 4],
    ['a middle chunk', chunkAt(2)],
    ['the last chunk', chunkAt(3) + 1],
  ];
  it.each(flips)(
    'a byte flipped in %s fails the whole read without serving a changed byte',
    async (_, at) => {
      const { vault, file, plain, change } = await stored();
      change((bytes) => {
        bytes[at]! ^= 0x01;
        return bytes;
      });
      const outcome = await vault.read(file).then(drain, (error) => ({ bytes: Buffer.alloc(0), error }));
      expect(outcome.error).toBeInstanceOf(FileIntegrityError);
      // Whatever came out before the error is the true start of the file, and stops before the bad chunk.
      expect(plain.subarray(0, outcome.bytes.length).equals(outcome.bytes)).toBe(true);
      const badChunk = at < HEADER_BYTES ? 0 : Math.floor((at - HEADER_BYTES) / (C + TAG_BYTES));
      expect(outcome.bytes.length).toBeLessThanOrEqual(badChunk * C);
      await expect(vault.verify(file)).rejects.toBeInstanceOf(FileIntegrityError);
    },
  );

  it('a flipped byte fails a range that touches its chunk; other chunks still read', async () => {
    const { vault, file, plain, change } = await stored();
    change((bytes) => {
      bytes[chunkAt(1) + 5]! ^= 0x80;
      return bytes;
    });
    const { error } = await drain(await vault.read(file, { start: C + 2, end: C + 3 }));
    expect(error).toBeInstanceOf(FileIntegrityError);
    const spanning = await drain(await vault.read(file, { start: 3, end: 2 * C + 1 }));
    expect(spanning.error).toBeInstanceOf(FileIntegrityError);
    expect(plain.subarray(3, C).equals(spanning.bytes)).toBe(true);
    expect((await readAll(vault, file, { start: 2 * C, end: 3 * C + 4 })).equals(plain.subarray(2 * C))).toBe(
      true,
    );
  });

  const cuts: [string, (b: Buffer) => Buffer][] = [
    ['at a chunk edge (the last chunk gone)', (b) => b.subarray(0, chunkAt(3))],
    ['in the middle of a chunk', (b) => b.subarray(0, chunkAt(2) + 7)],
    ['inside the last tag', (b) => b.subarray(0, b.length - 1)],
    ['to its header', (b) => b.subarray(0, HEADER_BYTES)],
    ['to nothing', () => Buffer.alloc(0)],
  ];
  it.each(cuts)('an object cut short %s fails the read', async (_, cut) => {
    const { vault, file, change } = await stored();
    change(cut);
    const outcome = await vault.read(file).then(drain, (error) => ({ bytes: Buffer.alloc(0), error }));
    expect(outcome.error).toBeInstanceOf(FileIntegrityError);
    const tail = await vault
      .read(file, { start: 3 * C, end: 3 * C + 4 })
      .then(drain, (error) => ({ bytes: Buffer.alloc(0), error }));
    expect(tail.error).toBeInstanceOf(FileIntegrityError);
  });

  it('an object whose last chunk is cut at an exact chunk edge fails even when that leaves whole chunks', async () => {
    // 4 full chunks; drop the 4th: chunks 0-2 authenticate, but chunk 2 was not sealed as the last.
    const { vault, root } = vaultIn();
    const plain = randomBytes(4 * C);
    const file = await write(vault, plain);
    const path = objectPath(root, file);
    writeFileSync(path, readFileSync(path).subarray(0, chunkAt(3)));
    const { error } = await drain(
      await vault.read({ ...file, size: 3 * C, sha256: sha(plain.subarray(0, 3 * C)) }),
    );
    expect(error).toBeInstanceOf(FileIntegrityError);
  });

  it('bytes appended after the last chunk fail a whole read', async () => {
    const { vault, file, change } = await stored();
    change((bytes) => Buffer.concat([bytes, Buffer.from('more')]));
    const { error } = await drain(await vault.read(file));
    expect(error).toBeInstanceOf(FileIntegrityError);
  });

  it('two chunks swapped fail the read', async () => {
    const { vault, file, change } = await stored();
    change((bytes) => {
      const first = Buffer.from(bytes.subarray(chunkAt(0), chunkAt(1)));
      bytes.copy(bytes, chunkAt(0), chunkAt(1), chunkAt(2));
      first.copy(bytes, chunkAt(1));
      return bytes;
    });
    const { bytes, error } = await drain(await vault.read(file));
    expect(error).toBeInstanceOf(FileIntegrityError);
    expect(bytes.length).toBe(0);
  });

  it('an object copied over another fails: its data key is bound to its own object key', async () => {
    const { vault, root } = vaultIn();
    const a = await write(vault, randomBytes(40));
    const b = await write(vault, randomBytes(40));
    writeFileSync(objectPath(root, b), readFileSync(objectPath(root, a)));
    await expect(drain(await vault.read(b))).resolves.toMatchObject({
      error: expect.any(FileIntegrityError),
    });
    await expect(vault.read({ ...b, wrappedKey: a.wrappedKey })).rejects.toBeInstanceOf(FileIntegrityError);
  });

  it('a recorded SHA-256 or size that does not match fails the whole read before its last bytes', async () => {
    const { vault, file, plain } = await stored();
    const wrongHash = await drain(await vault.read({ ...file, sha256: sha(Buffer.from('other')) }));
    expect(wrongHash.error).toBeInstanceOf(FileIntegrityError);
    expect((wrongHash.error as Error).message).toMatch(/SHA-256/);
    expect(wrongHash.bytes.length).toBeLessThan(plain.length);
    const wrongSize = await drain(await vault.read({ ...file, size: file.size - 1 }));
    expect(wrongSize.error).toBeInstanceOf(FileIntegrityError);
    await expect(vault.verify({ ...file, sha256: '0'.repeat(64) })).rejects.toBeInstanceOf(
      FileIntegrityError,
    );
  });

  it('a missing object is ObjectNotFoundError', async () => {
    const { vault, file } = await stored();
    await vault.remove(file.objectKey);
    await expect(vault.read(file)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(vault.read(file, { start: 1, end: 2 })).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(vault.remove(file.objectKey)).resolves.toBeUndefined();
  });
});
