import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collect, repoRoot, tsxLoader } from '../testing/process.ts';
import { until } from '../testing/wait.ts';
import { openDiskStore } from './disk-store.ts';
import type { BlobStore } from './types.ts';

/*
 * What only the disk store does (the contract every store keeps is blob-store.test.ts): a put is
 * a temp file, synced, renamed into place and its folder synced; a process killed mid-put leaves
 * no object; keys never leave the root; files are the owner's alone.
 */

const folders: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function storeIn(): { store: BlobStore; root: string } {
  const root = join(mkdtempSync(join(tmpdir(), 'clinicbox-disk-')), 'files');
  folders.push(join(root, '..'));
  return { store: openDiskStore(root), root };
}

const bytesIn = (...parts: string[]) => Readable.from(parts.map((p) => Buffer.from(p)));

async function keysOf(store: BlobStore, prefix?: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list(prefix)) keys.push(o.key);
  return keys.sort();
}

describe('the disk store', () => {
  it('syncs the temp file before the rename, then the folder, and each folder it made', async () => {
    const { store, root } = storeIn();
    await store.put('warm', bytesIn('x')); // the root and its .tmp exist from here on
    const target = join(root, 'documents', 'p1', 'd1.a');
    const syncs: { what: string; targetThere: boolean }[] = [];
    const probe = await open(join(root, 'warm'), 'r');
    const proto = Object.getPrototypeOf(probe) as { sync(): Promise<void> };
    await probe.close();
    const sync = proto.sync;
    const inodes = new Map<number, string>();
    vi.spyOn(proto, 'sync').mockImplementation(async function (this: { stat(): Promise<{ ino: number }> }) {
      for (const [name, path] of [
        ['root', root],
        ['documents', join(root, 'documents')],
        ['p1', join(root, 'documents', 'p1')],
      ] as const) {
        if (existsSync(path)) inodes.set(statSync(path).ino, name);
      }
      const s = await this.stat();
      syncs.push({ what: inodes.get(s.ino) ?? 'a file', targetThere: existsSync(target) });
      return sync.call(this);
    });
    await store.put('documents/p1/d1.a', bytesIn('hello ', 'world'));
    expect(syncs).toEqual([
      { what: 'a file', targetThere: false },
      { what: 'p1', targetThere: true },
      { what: 'documents', targetThere: true },
      { what: 'root', targetThere: true },
    ]);
    // Into a folder that exists: the file, then only its folder.
    syncs.length = 0;
    await store.put('documents/p1/d2.b', bytesIn('again'));
    expect(syncs.map((s) => s.what)).toEqual(['a file', 'p1']);
  });

  it('keeps files 0600 and folders 0700', async () => {
    const { store, root } = storeIn();
    await store.put('documents/p1/d1.a', bytesIn('secret'));
    expect(statSync(join(root, 'documents', 'p1', 'd1.a')).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'documents', 'p1')).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, '.tmp')).mode & 0o777).toBe(0o700);
  });

  it('refuses keys that would leave its folder or hide in it, touching nothing', async () => {
    const { store, root } = storeIn();
    const outside = join(root, '..', 'outside');
    writeFileSync(outside, 'keep');
    const bad = ['../outside', 'a/../../outside', '/etc/passwd', '.tmp/x', 'a//b', 'a/', '', 'a\\..\\b', 'é'];
    for (const key of bad) {
      await expect(store.put(key, bytesIn('x')), key).rejects.toThrow(/invalid object key/);
      await expect(store.get(key), key).rejects.toThrow(/invalid object key/);
      await expect(store.head(key), key).rejects.toThrow(/invalid object key/);
      await expect(store.delete(key), key).rejects.toThrow(/invalid object key/);
    }
    expect(existsSync(outside)).toBe(true);
    expect(existsSync(root)).toBe(false);
  });

  it('lists only objects: not its temp files, not folders; by any prefix', async () => {
    const { store, root } = storeIn();
    expect(await keysOf(store)).toEqual([]); // no folder yet
    for (const key of ['documents/p1/d1.a', 'documents/p1/d2.b', 'documents/p12/d3.c', 'probe']) {
      await store.put(key, bytesIn(key));
    }
    writeFileSync(join(root, '.tmp', 'left.part'), 'partial');
    expect(await keysOf(store)).toEqual([
      'documents/p1/d1.a',
      'documents/p1/d2.b',
      'documents/p12/d3.c',
      'probe',
    ]);
    expect(await keysOf(store, 'documents/p1/')).toEqual(['documents/p1/d1.a', 'documents/p1/d2.b']);
    expect(await keysOf(store, 'documents/p1')).toEqual([
      'documents/p1/d1.a',
      'documents/p1/d2.b',
      'documents/p12/d3.c',
    ]);
    expect(await keysOf(store, 'documents/p1/d2')).toEqual(['documents/p1/d2.b']);
    expect(await keysOf(store, 'nothing/')).toEqual([]);
    expect(await keysOf(store, 'probe/')).toEqual([]);
    expect(await store.head('documents')).toBeNull();
  });

  it('a put whose stream fails leaves no object and no temp file', async () => {
    const { store, root } = storeIn();
    await store.put('documents/p1/d1.a', bytesIn('first'));
    const failing = Readable.from(
      (function* () {
        yield Buffer.from('second, partly');
        throw new Error('stream broke');
      })(),
    );
    await expect(store.put('documents/p1/d1.a', failing)).rejects.toThrow('stream broke');
    await expect(store.put('documents/p1/d9.z', bytesIn())).resolves.toEqual({ size: 0 });
    expect(readdirSync(join(root, '.tmp'))).toEqual([]);
    // The object already there is untouched: the rename never happened.
    const back: Buffer[] = [];
    for await (const part of await store.get('documents/p1/d1.a')) back.push(part);
    expect(Buffer.concat(back).toString()).toBe('first');
  });

  it('a process killed in the middle of a put leaves no object; a later process removes its day-old temp file', async () => {
    const { store, root } = storeIn();
    // Node with tsx's loader (an entry that is never bundled), to run the script below from source.
    const script = `
      import { Readable } from 'node:stream';
      import { openDiskStore } from ${JSON.stringify(`${repoRoot}src/storage/disk-store.ts`)};
      const piece = Buffer.alloc(64 * 1024, 7);
      const endless = new Readable({ read() { setTimeout(() => this.push(piece), 5); } });
      await openDiskStore(${JSON.stringify(root)}).put('documents/p1/d1.a', endless);
    `;
    const child = spawn(process.execPath, [...tsxLoader, '--input-type=module', '-e', script], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const done = collect(child);
    const partial = await until(
      'the child to have written part of the object',
      async () => {
        const names = existsSync(join(root, '.tmp')) ? readdirSync(join(root, '.tmp')) : [];
        const path = names[0] && join(root, '.tmp', names[0]);
        return path && existsSync(path) && statSync(path).size > 256 * 1024 ? path : null;
      },
      20_000,
    );
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    expect(await store.head('documents/p1/d1.a')).toBeNull();
    expect(await keysOf(store)).toEqual([]);
    // A temp file younger than a day may belong to a put still running elsewhere: it stays.
    const young = join(root, '.tmp', 'young.part');
    writeFileSync(young, 'still writing');
    const dayAgo = new Date(Date.now() - 25 * 3600 * 1000);
    utimesSync(partial, dayAgo, dayAgo);
    await openDiskStore(root).put('probe', bytesIn('x'));
    expect(existsSync(partial)).toBe(false);
    expect(existsSync(young)).toBe(true);
    expect((await stat(join(root, 'probe'))).size).toBe(1);
  });

  it('overwrites a key whole: a reader sees the old bytes or the new, never a mix', async () => {
    const { store } = storeIn();
    const before = randomBytes(300_000);
    const after = randomBytes(300_000);
    await store.put('k', Readable.from([before]));
    const reading = await store.get('k');
    await store.put('k', Readable.from([after]));
    const old: Buffer[] = [];
    for await (const part of reading) old.push(part);
    expect(Buffer.concat(old).equals(before)).toBe(true);
    const fresh: Buffer[] = [];
    for await (const part of await store.get('k')) fresh.push(part);
    expect(Buffer.concat(fresh).equals(after)).toBe(true);
  });
});
