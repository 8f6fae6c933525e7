import { describe, expect, it } from 'vitest';
import { SWEEP_ORPHAN_FILES } from '../src/domain/documents/index.ts';
import { openS3Store } from '../src/storage/s3-store.ts';
import { jobsDone } from '../src/testing/jobs.ts';
import { childrenKilledAfterEach, perSuite } from '../src/testing/lifecycle.ts';
import { isUploadPart, startS3Peer } from '../src/testing/peers/s3-server.ts';
import { until } from '../src/testing/wait.ts';
import { databasesPerTest, s3Settings } from './cli-storage-world.ts';
import { crashClinic, serveRig, startUpload, withClinic } from './documents-crash-world.ts';

/**
 * Issue 16's "a SIGKILL during an upload leaves no visible partial document; the orphan is swept
 * later", on S3 (fauxqs, started here) with real `clinicbox serve` processes (SQLite, or
 * PostgreSQL with CLINICBOX_TEST_DATABASE_URL): a patient's upload killed in the middle of its
 * multipart upload leaves no object in the bucket (the parts sent are invisible, for the bucket's
 * lifecycle rule); one killed after S3 completed its object but before its row committed (the
 * test holds the database's write lock) leaves an orphan object; after each restart the patient's
 * list is empty, and the orphan sweep run a day later removes the orphan while the committed
 * document's object stays and still opens. (On disk: documents-crash.test.ts.)
 */
const children = childrenKilledAfterEach();

const MiB = 1024 * 1024;

describe('a SIGKILL during an upload to S3', () => {
  const database = databasesPerTest();
  const peer = perSuite(
    () => startS3Peer('fauxqs'),
    (p) => p.stop(),
  );

  it('leaves no document and no visible object; the orphan of a committed object goes a day later; what committed stays', async () => {
    const clinic = await crashClinic(database);
    const prefix = `crash-${Date.now()}`;
    const storage = s3Settings(peer(), prefix);
    const bucket = openS3Store(peer().settings(prefix));
    const objects = async () => {
      const keys: string[] = [];
      for await (const o of bucket.list('documents/')) keys.push(o.key);
      return keys.sort();
    };
    const { cookie, dataDir, dbUrl } = clinic;
    const rig = serveRig(children, clinic, [...clinic.flags, ...peer().flags(prefix)], objects);
    const { serve, listed, kill } = rig;
    const partsSent = () =>
      peer().requests.filter((r) => isUploadPart(r) && r.key.startsWith(`${prefix}/documents/`)).length;

    // 1. Killed in the middle of the multipart upload: its first part sent, the rest not.
    const first = await serve();
    const upload1 = startUpload(first.base, cookie, 14 * MiB);
    await upload1.send(8 * MiB);
    await until('the first part on its way to S3', async () => partsSent() >= 1);
    await kill(first);
    expect(await objects()).toEqual([]);

    // 2. Restarted: no document. Killed again after S3 has the whole object, before its row commits.
    const second = await serve();
    expect(await listed(second.base)).toEqual([]);
    const upload2 = startUpload(second.base, cookie, 12 * MiB);
    await upload2.send(6 * MiB);
    const orphan = await rig.killBeforeRowCommits(second, upload2, 6 * MiB);

    // 3. Restarted: still no document; the orphan is in the bucket. One upload that completes.
    const { server: third, kept, keys } = await rig.restartAndKeepOne(orphan);

    // 4. Not a day old: the sweep leaves both. A day and more later, it removes the orphan only.
    const sweep = (clock: { now(): Date }) =>
      withClinic(
        dataDir,
        dbUrl,
        async (app) => {
          await app.start();
          await app.deps.db.tx((ctx) => app.deps.jobs.queue.enqueue(ctx, SWEEP_ORPHAN_FILES, {}));
          await jobsDone(app, SWEEP_ORPHAN_FILES.name);
        },
        { ...storage, jobPollInterval: 20 },
        { clock, worker: true },
      );
    await sweep({ now: () => new Date() });
    expect(await objects()).toEqual(keys);
    await sweep({ now: () => new Date(Date.now() + 25 * 3_600_000) });
    expect(await objects()).toEqual(keys.filter((k) => k !== orphan));
    await rig.expectOpens(third, kept);
    third.child.kill('SIGTERM');
    expect((await third.finished).code).toBe(0);
    for (const u of [upload1, upload2]) expect(await u.status).toBe('cut');
    bucket.close();
  }, 90_000);
});
