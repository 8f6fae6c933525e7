import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cliCommand, collect, repoRoot } from '../testing/process.ts';
import { drain } from '../testing/streams.ts';
import { sha, vaultIn } from '../testing/vault.ts';
import { gate } from '../testing/wait.ts';
import { sha256Stream, sha256WorkerForTests } from './sha256-stream.ts';

/*
 * The SHA-256 on a worker thread: the same digest as createHash for every size and piece size,
 * and a worker that dies fails the write or the read that depends on it — an error, never a file
 * stored with a wrong hash or a read that ends as if it had been checked.
 */

const MiB = 1024 * 1024;

async function digestOf(bytes: Buffer, piece: number): Promise<string> {
  const hash = sha256Stream();
  for (let at = 0; at < bytes.length; at += piece) await hash.update(bytes.subarray(at, at + piece));
  return hash.digest();
}

/**
 * Random bytes of `size`, then `paused` opens and the body waits for `resume` before `rest` more:
 * a write caught half-way, every byte before the pause already taken (and hashed) by the vault.
 */
function pausedUpload(size: number, paused: () => void, resume: Promise<void>, rest: number): Readable {
  return Readable.from(
    (async function* () {
      for (let at = 0; at < size; at += 64 * 1024) yield randomBytes(64 * 1024);
      paused();
      await resume;
      for (let at = 0; at < rest; at += 64 * 1024) yield randomBytes(64 * 1024);
    })(),
  );
}

describe('the SHA-256 worker', () => {
  it.each([0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 17])(
    'digests %i bytes as createHash does',
    async (size) => {
      const bytes = randomBytes(size);
      for (const piece of [7 * 1024 + 3, 64 * 1024, 2 * MiB]) {
        expect(await digestOf(bytes, piece)).toBe(sha(bytes));
      }
    },
  );

  it('keeps hashes apart when several run at once', async () => {
    const inputs = [randomBytes(3 * MiB), randomBytes(2 * MiB + 5), randomBytes(5 * MiB)];
    const digests = await Promise.all(inputs.map((bytes, i) => digestOf(bytes, 50_000 + i * 1000)));
    expect(digests).toEqual(inputs.map(sha));
  });

  it('a worker that crashes during a write fails it, and no object or temp file is left', async () => {
    const { vault, root } = vaultIn(null);
    const paused = gate();
    const resume = gate();
    const writing = vault.write(pausedUpload(3 * MiB, paused.open, resume.opened, 2 * MiB), {
      keyHint: 'documents/p1/d1',
      maxBytes: 10 * MiB,
    });
    // Three buffers have gone to the worker by the time the body pauses: crash it then.
    await paused.opened;
    const worker = sha256WorkerForTests();
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.postMessage({ op: 'crash' });
    await exited;
    resume.open();
    await expect(writing).rejects.toThrow(/SHA-256 worker/);
    expect(readdirSync(root).filter((name) => name !== '.tmp')).toEqual([]);
    expect(readdirSync(join(root, '.tmp'))).toEqual([]);
    // The next file starts a new worker.
    expect(await digestOf(randomBytes(2 * MiB), 64 * 1024)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a worker stopped during a whole read errors the stream before its last bytes', async () => {
    const { vault } = vaultIn(null);
    const plain = randomBytes(6 * MiB + 3);
    const file = await vault.write(Readable.from([plain]), {
      keyHint: 'documents/p1/d1',
      maxBytes: 10 * MiB,
    });
    // Read 2 MiB (its hash is on the worker by then), stop the worker, read the rest.
    const reading = await vault.read(file);
    const got: Buffer[] = [];
    const iterator = reading[Symbol.asyncIterator]();
    let taken = 0;
    while (taken < 2 * MiB) {
      const part = (await iterator.next()).value as Buffer;
      got.push(part);
      taken += part.length;
    }
    await sha256WorkerForTests().terminate();
    const rest = await drain(Readable.from(iterator as AsyncIterable<Buffer>));
    expect(rest.error).toBeInstanceOf(Error);
    expect(String(rest.error)).toMatch(/SHA-256 worker/);
    const before = Buffer.concat([...got, rest.bytes]);
    expect(before.length).toBeLessThan(plain.length);
    expect(before.equals(plain.subarray(0, before.length))).toBe(true);
    // And a read after it, with a new worker, is whole and checked.
    const again = await drain(await vault.read(file));
    expect(again.error).toBeNull();
    expect(again.bytes.equals(plain)).toBe(true);
  });

  it('a read left open half-way does not keep the process from ending', { timeout: 30_000 }, async () => {
    // Node with tsx's loader (an entry that is never bundled), to run the script below from source.
    const [node, pre] = cliCommand('src/storage/index.ts');
    const script = `
      import { randomBytes } from 'node:crypto';
      import { mkdtempSync, rmSync } from 'node:fs';
      import { tmpdir } from 'node:os';
      import { join } from 'node:path';
      import { Readable } from 'node:stream';
      import { openDiskStore } from ${JSON.stringify(`${repoRoot}src/storage/disk-store.ts`)};
      import { fileVault } from ${JSON.stringify(`${repoRoot}src/storage/file-vault.ts`)};
      import { testKeys } from ${JSON.stringify(`${repoRoot}src/testing/keys.ts`)};
      const root = mkdtempSync(join(tmpdir(), 'clinicbox-vault-'));
      const vault = fileVault(openDiskStore(root), testKeys.files);
      const file = await vault.write(Readable.from([randomBytes(6 << 20)]), { keyHint: 'd/x', maxBytes: 1 << 30 });
      const parts = (await vault.read(file))[Symbol.asyncIterator]();
      let got = 0;
      while (got < 3 << 20) got += (await parts.next()).value.length;
      rmSync(root, { recursive: true, force: true });
      console.log('left open after', got);
    `;
    const child = spawn(node, [...pre.slice(0, 2), '--input-type=module', '-e', script], { cwd: repoRoot });
    const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    const done = await collect(child);
    clearTimeout(killer);
    expect(done.signal, done.stderr).toBeNull();
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('left open after 3145728');
  });
});
