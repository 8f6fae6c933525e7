import { existsSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storedObjectKeys } from '../src/testing/documents.ts';
import { childrenKilledAfterEach } from '../src/testing/lifecycle.ts';
import { startCli } from '../src/testing/process.ts';
import { until } from '../src/testing/wait.ts';
import { databasesPerTest } from './cli-storage-world.ts';
import { crashClinic, enqueueSweep, serveRig, startUpload, tempFileOver } from './documents-crash-world.ts';

/**
 * Issue 16's "a SIGKILL during an upload leaves no visible partial document; the orphan is swept
 * later", with real `clinicbox serve` processes on one data folder (SQLite, or PostgreSQL with
 * CLINICBOX_TEST_DATABASE_URL): a patient's upload is killed part way through its body (a temp
 * file is left, never an object); another is killed after its object is stored but before its
 * row commits (the test holds the database's write lock meanwhile); after each restart the
 * patient's list is empty, and a `clinicbox worker` running the orphan sweep removes the day-old
 * object no row names while the committed document's object stays and still opens.
 */
const children = childrenKilledAfterEach();

const MiB = 1024 * 1024;
const dayAndMore = () => new Date(Date.now() - 25 * 3600 * 1000);

describe('a SIGKILL during an upload', () => {
  const database = databasesPerTest();

  it('leaves no document; the temp file and the orphan object go once a day old; what committed stays', async () => {
    const clinic = await crashClinic(database);
    const { cookie, dataDir, dbUrl } = clinic;
    const filesPath = join(dataDir, 'files');
    const rig = serveRig(children, clinic, clinic.flags, () => storedObjectKeys(filesPath));
    const { serve, listed, kill } = rig;

    // 1. Killed part way through the body: 2.5 MiB of 6 sent, the first MiB (the store writes
    // in 1 MiB batches) encrypted in a temp file.
    const first = await serve();
    const upload1 = startUpload(first.base, cookie, 6 * MiB);
    await upload1.send(2.5 * MiB);
    const partial = await until('part of the upload in a temp file', async () =>
      tempFileOver(filesPath, 256 * 1024),
    );
    await kill(first);
    expect(storedObjectKeys(filesPath)).toEqual([]);

    // 2. Restarted: no document. Killed again after the object is stored, before its row commits.
    const second = await serve();
    expect(await listed(second.base)).toEqual([]);
    expect(existsSync(partial)).toBe(true);
    utimesSync(partial, dayAndMore(), dayAndMore()); // the first put of a process removes day-old temp files
    const upload2 = startUpload(second.base, cookie, 4 * MiB);
    await upload2.send(2.5 * MiB);
    await until('the second upload streaming', async () => tempFileOver(filesPath, 256 * 1024));
    const orphan = await rig.killBeforeRowCommits(second, upload2, 2 * MiB);
    expect(existsSync(partial)).toBe(false);

    // 3. Restarted: still no document; the orphan is in the store. One upload that completes.
    const { server: third, kept, keys } = await rig.restartAndKeepOne(orphan);

    // 4. Both objects a day old: the sweep, run by a `clinicbox worker`, removes the orphan only.
    for (const key of keys) utimesSync(join(filesPath, key), dayAndMore(), dayAndMore());
    await enqueueSweep(dataDir, dbUrl);
    const worker = await startCli(
      ['worker', '--job-poll-interval', '50', '--log-level', 'info', ...clinic.flags],
      /worker started/,
    );
    children.add(worker.child);
    await until('the orphan swept', async () => !storedObjectKeys(filesPath).includes(orphan), 15_000);
    expect(storedObjectKeys(filesPath)).toEqual(keys.filter((k) => k !== orphan));
    await rig.expectOpens(third, kept);
    worker.child.kill('SIGTERM');
    third.child.kill('SIGTERM');
    expect((await worker.finished).code).toBe(0);
    expect((await third.finished).code).toBe(0);
    for (const u of [upload1, upload2]) expect(await u.status).toBe('cut');
  }, 60_000);
});
