import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { clinicKeys, Key } from '../lib/crypto.ts';
import { testKeys } from '../testing/keys.ts';
import { C, objectPath, readAll, vaultIn, write } from '../testing/vault.ts';
import { until } from '../testing/wait.ts';
import { openDiskStore } from './disk-store.ts';
import { FileIntegrityError, FileTooLargeError } from './errors.ts';
import { fileVault, rewrapFileKey } from './file-vault.ts';

/* The vault's open descriptors, its keys, the writes it refuses and its memory (file-vault.test.ts: round trips, ranges, damage). */

describe('open objects', () => {
  /** How many of this process's file descriptors are open on `path` (Linux). */
  const openOn = (path: string) =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === path;
      } catch {
        return false;
      }
    }).length;

  it.runIf(process.platform === 'linux')(
    'a read dropped before, during or after its first bytes closes the object',
    async () => {
      const { vault, root } = vaultIn();
      const file = await write(vault, randomBytes(10 * C));
      const path = objectPath(root, file);
      for (const range of [undefined, { start: 20, end: 100 }]) {
        const untouched = await vault.read(file, range);
        expect(openOn(path)).toBe(1);
        untouched.destroy();
        await until('the object closed after a drop before reading', async () => openOn(path) === 0);
        const started = await vault.read(file, range);
        for await (const _ of started) break;
        await until('the object closed after a drop mid-read', async () => openOn(path) === 0);
        await readAll(vault, file, range);
        await until('the object closed after a whole read', async () => openOn(path) === 0);
      }
    },
  );
});

describe('keys', () => {
  const otherKeys = clinicKeys(Key.fromBytes(randomBytes(32)));

  it('another master key does not open a file', async () => {
    const { vault, root } = vaultIn();
    const plain = randomBytes(50);
    const file = await write(vault, plain);
    const stranger = fileVault(openDiskStore(root), otherKeys.files, { chunkSize: C });
    await expect(stranger.read(file)).rejects.toBeInstanceOf(FileIntegrityError);
    await expect(stranger.read(file, { start: 0, end: 3 })).rejects.toBeInstanceOf(FileIntegrityError);
    await expect(stranger.verify(file)).rejects.toBeInstanceOf(FileIntegrityError);
  });

  it('a data key re-wrapped under a new key opens there, and the object is unchanged', async () => {
    const { vault, root } = vaultIn();
    const plain = randomBytes(50);
    const file = await write(vault, plain);
    const before = readFileSync(objectPath(root, file));
    const rewrapped = { ...file, wrappedKey: rewrapFileKey(file, testKeys.files, otherKeys.files) };
    const rotated = fileVault(openDiskStore(root), otherKeys.files, { chunkSize: C });
    expect((await readAll(rotated, rewrapped)).equals(plain)).toBe(true);
    await expect(vault.read(rewrapped)).rejects.toBeInstanceOf(FileIntegrityError);
    expect(readFileSync(objectPath(root, file)).equals(before)).toBe(true);
    expect(() => rewrapFileKey(file, otherKeys.files, testKeys.files)).toThrow();
  });

  it('a file written with one chunk size reads with a vault set to another (the header says which)', async () => {
    const { vault, root } = vaultIn();
    const plain = randomBytes(100);
    const file = await write(vault, plain);
    const other = fileVault(openDiskStore(root), testKeys.files);
    expect((await readAll(other, file)).equals(plain)).toBe(true);
    expect((await readAll(other, file, { start: 15, end: 33 })).equals(plain.subarray(15, 34))).toBe(true);
  });
});

describe('writes that fail', () => {
  const leftovers = (root: string) => ({
    objects: readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !e.parentPath.includes('.tmp'))
      .map((e) => e.name),
    temp: readdirSync(join(root, '.tmp')),
  });

  it('more than maxBytes: FileTooLargeError, and no object or temp file is left', async () => {
    const { vault, root } = vaultIn();
    await expect(write(vault, randomBytes(101), 100)).rejects.toBeInstanceOf(FileTooLargeError);
    expect(leftovers(root)).toEqual({ objects: [], temp: [] });
    const exact = await write(vault, randomBytes(100), 100);
    expect(exact.size).toBe(100);
    expect(leftovers(root).objects).toHaveLength(1);
  });

  it('stops reading an endless upload soon after the limit', async () => {
    const { vault, root } = vaultIn(null);
    let sent = 0;
    const endless = Readable.from(
      (function* () {
        const piece = Buffer.alloc(64 * 1024, 1);
        for (;;) {
          sent += piece.length;
          yield piece;
        }
      })(),
    );
    const error = await vault.write(endless, { keyHint: 'documents/p/d', maxBytes: 1 << 20 }).catch((e) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect((error as FileTooLargeError).code).toBe('too_large');
    expect(sent).toBeLessThan(2 << 20);
    expect(endless.destroyed).toBe(true);
    expect(leftovers(root)).toEqual({ objects: [], temp: [] });
  });

  it('an upload that breaks off rejects with its error, and leaves nothing', async () => {
    const { vault, root } = vaultIn();
    const broken = Readable.from(
      (function* () {
        yield randomBytes(50);
        throw new Error('connection reset');
      })(),
    );
    await expect(vault.write(broken, { keyHint: 'documents/p/d', maxBytes: 1000 })).rejects.toThrow(
      'connection reset',
    );
    expect(leftovers(root)).toEqual({ objects: [], temp: [] });
  });
});

describe('memory', () => {
  it('stays flat while a 256 MB file streams in and out', { timeout: 120_000 }, async () => {
    const { vault } = vaultIn(null);
    const piece = randomBytes(256 * 1024);
    const bodyOf = (bytes: number) =>
      Readable.from(
        (function* () {
          for (let sent = 0; sent < bytes; sent += piece.length) yield piece;
        })(),
      );
    const roundTrip = async (bytes: number) => {
      const file = await vault.write(bodyOf(bytes), { keyHint: 'documents/p/big', maxBytes: bytes });
      let read = 0;
      for await (const part of await vault.read(file)) read += part.length;
      expect(read).toBe(bytes);
      await vault.remove(file.objectKey);
    };
    // A warm-up file first: the allocator's pools and the streams' buffers are what any size needs.
    await roundTrip(16 * 1024 * 1024);
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const started = performance.now();
    try {
      await roundTrip(256 * 1024 * 1024);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `256 MB in and out in ${seconds.toFixed(1)} s; RSS +${((peak - base) / 1048576).toFixed(1)} MB`,
    );
    expect(peak - base).toBeLessThan(64 * 1024 * 1024);
  });
});
