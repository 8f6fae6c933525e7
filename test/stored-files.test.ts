import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SWEEP_ORPHAN_FILES } from '../src/domain/documents/index.ts';
import { createTestApp, type TestApp } from '../src/testing/app.ts';
import { seedClinic } from '../src/testing/factories.ts';
import { jobsDone } from '../src/testing/jobs.ts';
import { type S3Peer, startS3Peer } from '../src/testing/peers/s3-server.ts';
import { until } from '../src/testing/wait.ts';
import { s3Settings, storeExportAndImports } from './cli-storage-world.ts';

/**
 * Every object an area writes to the file vault is known to the storage operations (keys rotate,
 * storage migrate and verify, the orphan sweep) through the area's `storedFiles` part. Each area's
 * use cases write (a document, an export, a finished import's rejected rows, an upload not yet
 * run); then every object in the store must be claimed by some part — an area writing without a
 * part fails here. The sweep then removes, under every area's prefix, day-old objects no row
 * names, and leaves every kept one readable. On disk and on a local S3 server.
 */

/** Every key in the store, sorted. */
async function everyObject(app: TestApp): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of app.deps.files.store.list('')) keys.push(o.key);
  return keys.sort();
}

/** Area folders whose code writes to the vault (`files.write(`), beside those that declare a part. */
function writersAndDeclarers(): { writers: string[]; declarers: string[] } {
  const root = join(import.meta.dirname, '../src/domain');
  const writers: string[] = [];
  const declarers: string[] = [];
  for (const area of readdirSync(root, { withFileTypes: true })) {
    if (!area.isDirectory()) continue;
    const dir = join(root, area.name);
    const code = readdirSync(dir).filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f));
    if (code.some((f) => /\bfiles\.write\(/.test(readFileSync(join(dir, f), 'utf8'))))
      writers.push(area.name);
    if (/\bstoredFiles: \[/.test(readFileSync(join(dir, 'index.ts'), 'utf8'))) declarers.push(area.name);
  }
  return { writers: writers.sort(), declarers: declarers.sort() };
}

describe('stored files: every area declares what it keeps in the store', () => {
  it('every area whose code writes to the vault gives a storedFiles part', () => {
    const { writers, declarers } = writersAndDeclarers();
    expect(writers).toEqual(expect.arrayContaining(['documents', 'exports', 'imports']));
    expect(declarers).toEqual(expect.arrayContaining(writers));
  });

  let peer: S3Peer;
  beforeAll(async () => {
    peer = await startS3Peer('fauxqs');
  }, 60_000);
  afterAll(() => peer?.stop());

  describe.each(['disk', 'S3'] as const)('on %s', (where) => {
    let app: TestApp;
    beforeAll(async () => {
      app = await createTestApp({
        now: new Date().toISOString(), // the store's object times are real ones
        worker: true,
        config: {
          jobPollInterval: 20,
          ...(where === 'S3' ? s3Settings(peer, `stored-files-${Date.now()}`) : {}),
        },
      });
      await app.start();
    }, 60_000);
    afterAll(() => app?.destroy());

    it('claims every object the areas write, and the sweep removes only unclaimed day-old ones', async () => {
      const clinic = await seedClinic(app, { patients: 1 });
      const patientId = clinic.patientIds[0]!;
      const admin = { type: 'staff' as const, id: clinic.adminId };
      await app.deps.documents.upload(admin, patientId, {
        file: Readable.from([Buffer.from('A referral letter, in plain text.\n')]),
        fileName: 'referral.txt',
        fields: { category: 'other', title: 'Referral' },
      });
      await storeExportAndImports(app, { patientId, adminId: clinic.adminId });

      const { storedFiles } = app.deps;
      const kept = await storedFiles.list(app.db.reader);
      expect(kept.map((f) => `${f.area}:${f.slot}`).sort()).toEqual([
        'documents:file',
        'exports:file',
        'imports:rejected',
        'imports:upload',
      ]);
      const objects = await everyObject(app);
      expect(objects).toEqual(kept.map((f) => f.objectKey).sort());
      const claimed = await storedFiles.committed(app.db.reader, objects);
      expect(objects.filter((k) => !claimed.has(k))).toEqual([]);
      for (const file of kept) await app.deps.files.verify(file);

      // What a crash between storing an object and committing its row leaves, in each area.
      const orphans: string[] = [];
      for (const hint of [`documents/${patientId}/lost`, `exports/${patientId}/lost`, 'imports/lost']) {
        const file = await app.deps.files.write(Readable.from([Buffer.from('never committed')]), {
          keyHint: hint,
          maxBytes: 1 << 20,
        });
        orphans.push(file.objectKey);
      }
      // An object under no area's prefix is not the sweep's to judge.
      await app.deps.files.store.put('elsewhere/kept', Readable.from([Buffer.from('x')]));
      const committedBefore = await storedFiles.committed(app.db.reader, await everyObject(app));
      expect(orphans.filter((k) => committedBefore.has(k))).toEqual([]);

      // A day and a bit on, every object is old enough to be judged.
      app.clock.advance(25 * 3_600_000);
      await app.db.tx((ctx) => app.deps.jobs.queue.enqueue(ctx, SWEEP_ORPHAN_FILES, {}));
      await jobsDone(app, undefined, 30_000);
      // The areas' own hourly purges (an export past its day, an upload never run) may run now too:
      // once they are done, what is left is exactly what the areas keep (and the object no area owns).
      const settled = await until('the store to hold just what the areas keep', async () => {
        const left = await everyObject(app);
        const kept = await storedFiles.list(app.db.reader);
        const keys = kept.map((f) => f.objectKey).sort();
        if (JSON.stringify(left) !== JSON.stringify([...keys, 'elsewhere/kept'].sort())) return false;
        // Each kept file reads back whole (a purge between the two lists above: looked at again).
        const read = await Promise.all(
          kept.map((f) =>
            app.deps.files.verify(f).then(
              () => true,
              () => false,
            ),
          ),
        );
        return read.every(Boolean) && { left, kept };
      });
      for (const key of orphans) expect(settled.left).not.toContain(key);
      expect(settled.kept.length).toBeGreaterThanOrEqual(2);
    }, 120_000);
  });
});
