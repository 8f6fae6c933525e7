import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diskRoot, openDiskStore } from '../src/storage/index.ts';
import { openS3Store, type S3BlobStore } from '../src/storage/s3-store.ts';
import { type S3Peer, startS3Peer } from '../src/testing/peers/s3-server.ts';
import { startCli } from '../src/testing/process.ts';
import { tempDir } from './cli-setup.ts';
import {
  cli,
  clinicWithDocuments,
  databasesPerTest,
  s3Settings,
  storeExportAndImports,
} from './cli-storage-world.ts';

/** Every object key under a store (every area's: documents, exports, imports), sorted. */
async function keysIn(store: { list(prefix?: string): AsyncIterable<{ key: string }> }): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list('')) keys.push(o.key);
  return keys.sort();
}

const bytesOf = async (store: { get(key: string): Promise<Readable> }, key: string) =>
  Buffer.concat(await (await store.get(key)).toArray());

describe('clinicbox storage', () => {
  const database = databasesPerTest();
  let peer: S3Peer;
  let s3rver: S3Peer;
  const opened: S3BlobStore[] = [];
  beforeAll(async () => {
    peer = await startS3Peer('fauxqs');
    s3rver = await startS3Peer('s3rver');
  });
  afterAll(async () => {
    for (const s of opened) s.close();
    await peer?.stop();
    await s3rver?.stop();
  });
  const s3Store = (prefix: string, on = peer) => {
    const store = openS3Store(on.settings(prefix));
    opened.push(store);
    return store;
  };

  it('moves every file (documents, an export, imports) from disk to S3 as it is, resumes after a SIGKILL, then switches (the old URL is refused)', async () => {
    const clinic = await clinicWithDocuments(await database(), {}, 40, 200_000, storeExportAndImports);
    const disk = openDiskStore(diskRoot('file:', clinic.config.dataPath));
    const onDisk = await keysIn(disk);
    expect(onDisk).toHaveLength(43);
    expect(onDisk.filter((k) => !k.startsWith('documents/')).map((k) => k.split('/')[0])).toEqual([
      'exports',
      'imports',
      'imports',
    ]);

    const checked = await cli(['storage', 'verify', ...clinic.flags]);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toContain('(documents 40, exports 1, imports 2)');
    // The export's zip holds the 40 documents again: 15 MB in all.
    expect(checked.stdout).toMatch(/43 files: 43 ok \(15\.\d MB\), 0 bad/);

    const target = peer.flags('clinic').filter((f) => !f.startsWith('--storage-url'));
    const to = `s3://${peer.bucket}/clinic`;
    const migrateArgs = ['storage', 'migrate', '--to', to, ...target, ...clinic.flags, '--log-level', 'warn'];
    // Killed hard once the first file is across.
    const first = await startCli(migrateArgs, /\] 1\/43 files/);
    first.child.kill('SIGKILL');
    const killed = await first.finished;
    expect(killed.signal).toBe('SIGKILL');
    const s3 = s3Store('clinic');
    const partial = await keysIn(s3);
    expect(partial.length).toBeGreaterThanOrEqual(1);
    expect(partial.length).toBeLessThan(43);

    // Killed before the switch: the clinic still runs on the disk store.
    const stillDisk = await cli(['storage', 'verify', ...clinic.flags]);
    expect(stillDisk.code, stillDisk.stderr).toBe(0);

    const resumed = await cli(migrateArgs);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    const done = /(\d+) copied, (\d+) already there, 0 failed: all 43 files are on (\S+), which is now/.exec(
      resumed.stdout,
    );
    expect(done, resumed.stdout).not.toBeNull();
    expect(Number(done![2])).toBeGreaterThanOrEqual(partial.length - 1); // the one being written may be redone
    expect(Number(done![1]) + Number(done![2])).toBe(43);
    expect(done![3]).toBe(to);
    expect(resumed.stdout).toMatch(/^\[#{20}\] 43\/43 files, (15\.\d) MB of \1 MB/m);

    // The objects are the same encrypted bytes (copied, not re-encrypted).
    expect(await keysIn(s3)).toEqual(onDisk);
    for (const key of [onDisk[0]!, onDisk[39]!, onDisk[40]!, onDisk[42]!]) {
      expect(
        (await bytesOf(s3, key)).equals(readFileSync(join(diskRoot('file:', clinic.config.dataPath), key))),
      ).toBe(true);
    }

    // The old store is refused now; the new one verifies and passes doctor.
    const refused = await cli(['storage', 'verify', ...clinic.flags]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `--storage-url file: (file:${join(clinic.dataDir, 'files')}) is not where this clinic's documents are`,
    );
    expect(refused.stderr).toContain(`they are in ${to}`);
    const worker = await cli(['worker', ...clinic.flags]);
    expect(worker.code).toBe(1);
    expect(worker.stderr).toContain("is not where this clinic's documents are");

    const onS3 = [...peer.flags('clinic'), ...clinic.flags];
    const verified = await cli(['storage', 'verify', ...onS3]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('43 files: 43 ok');
    const doctor = await cli(['doctor', ...onS3]);
    expect(doctor.stdout).toMatch(/^ok\s+storage url\s+the clinic's store since/m);
    expect(doctor.stdout).toMatch(
      new RegExp(`^ok\\s+file storage\\s+${to}: wrote, read and deleted a probe object`, 'm'),
    );
    expect(await keysIn({ list: () => s3.list('doctor/') })).toEqual([]);
    const unreachable = await cli(['doctor', ...onS3, '--s3-endpoint', 'http://127.0.0.1:1']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toMatch(
      new RegExp(`^PROBLEM\\s+file storage\\s+${to}: could not write a probe object`, 'm'),
    );
  }, 300_000);

  it("moves from S3 (s3rver) to disk; a damaged import's object fails verify and stops the switch until it is restored", async () => {
    const prefix = `s3-to-disk-${Date.now()}`;
    const clinic = await clinicWithDocuments(
      await database(),
      s3Settings(s3rver, prefix),
      6,
      70_000,
      storeExportAndImports,
    );
    const s3 = s3Store(prefix, s3rver);
    const keys = await keysIn(s3);
    expect(keys).toHaveLength(9);
    const onS3 = [...s3rver.flags(prefix), ...clinic.flags];

    // One byte of one object flipped on the store: the kept rejected rows of an import.
    const victim = keys.find((k) => /^imports\/.*-rejected\./.test(k))!;
    const original = await bytesOf(s3, victim);
    const flipped = Buffer.from(original);
    flipped[flipped.length >> 1]! ^= 0x01;
    await s3.put(victim, Readable.from([flipped]));
    const bad = await cli(['storage', 'verify', ...onS3]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`BAD  ${victim}:`);
    expect(bad.stdout).toContain('9 files: 8 ok');
    expect(bad.stdout).toContain('1 bad');

    const folder = join(tempDir(), 'moved-files');
    const refusedSwitch = await cli(['storage', 'migrate', '--to', `file:${folder}`, ...onS3]);
    expect(refusedSwitch.code).toBe(1);
    expect(refusedSwitch.stdout).toContain(`FAILED  ${victim}: damaged on the source store`);
    expect(refusedSwitch.stdout).toContain('8 copied, 0 already there, 1 failed: the clinic stays on');
    expect(await keysIn(openDiskStore(folder))).toEqual(keys.filter((k) => k !== victim));

    await s3.put(victim, Readable.from([original])); // restored from a backup
    const moved = await cli(['storage', 'migrate', '--to', `file:${folder}`, ...onS3]);
    expect(moved.code, moved.stdout + moved.stderr).toBe(0);
    expect(moved.stdout).toContain(`1 copied, 8 already there, 0 failed: all 9 files are on file:${folder}`);
    const disk = openDiskStore(folder);
    expect(await keysIn(disk)).toEqual(keys);
    const onDisk = ['--storage-url', `file:${folder}`, ...clinic.flags];
    const verified = await cli(['storage', 'verify', ...onDisk]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('9 files: 9 ok');
    const oldOne = await cli(['storage', 'verify', ...onS3]);
    expect(oldOne.code).toBe(1);
    expect(oldOne.stderr).toContain(`they are in file:${folder}, recorded`);
  }, 300_000);

  it('refuses bad use with a usage line (exit 2), changing nothing', async () => {
    const dataDir = join(tempDir(), 'data');
    const noTo = await cli(['storage', 'migrate', '--data-dir', dataDir]);
    expect(noTo.code).toBe(2);
    expect(noTo.stderr).toContain('migrate needs --to <url>');
    const same = await cli([
      'storage',
      'migrate',
      '--to',
      `file:${join(dataDir, 'files')}`,
      '--data-dir',
      dataDir,
    ]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('the documents are in');
    const what = await cli(['storage', 'copy', '--data-dir', dataDir]);
    expect(what.code).toBe(2);
    expect(what.stderr).toContain('usage: clinicbox storage migrate --to <url>');
  }, 180_000);
});
