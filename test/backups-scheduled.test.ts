import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemActor } from '../src/domain/audit/index.ts';
import { type BackupTestApp, createBackupTestApp, runEnded } from '../src/testing/backups-world.ts';
import { bookAppointment, seedClinic } from '../src/testing/factories.ts';
import { jobsDone } from '../src/testing/jobs.ts';
import { sleep, until } from '../src/testing/wait.ts';
import { cli } from './cli-storage-world.ts';

/**
 * Scheduled backups as the worker runs them, on the test clock: a tick at 02:30 clinic time writes
 * an archive that `clinicbox backup verify` accepts; a target that cannot be written is retried
 * with backoff and its error recorded; retention leaves exactly the archives it should.
 * SQLite, and PostgreSQL when CLINICBOX_TEST_DATABASE_URL is set.
 */
let app: BackupTestApp | undefined;
afterEach(async () => {
  await app?.destroy();
  app = undefined;
});

const archivesIn = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tar.age'));

describe('scheduled backups', () => {
  it('a tick at 02:30 clinic time writes an archive that backup verify accepts', async () => {
    app = await createBackupTestApp({ worker: true });
    const fixture = await seedClinic(app); // Europe/Paris: 02:30 on 3 March is 01:30 UTC
    await bookAppointment(app, fixture, fixture.patientIds[0]!, '2026-03-04T09:00:00Z');
    await app.start();
    const backups = join(app.dir, 'backups');
    expect((await app.deps.backups.overview()).nextRunAt?.toISOString()).toBe('2026-03-03T01:30:00.000Z');

    app.clock.set('2026-03-03T01:29:00Z');
    await sleep(150); // several polls of the scheduler: nothing is due yet
    expect((await app.deps.backups.overview()).recent).toEqual([]);

    app.clock.set('2026-03-03T01:31:00Z');
    const run = await runEnded(app, 60_000);
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'schedule', attempts: 1, error: null });
    expect(run.size).toBeGreaterThan(1000);
    expect(archivesIn(backups)).toEqual(['clinicbox-20260303T013100Z.tar.age']);
    expect(run.archive).toBe('clinicbox-20260303T013100Z.tar.age');
    expect(await app.deps.backups.staleness()).toMatchObject({ stale: false });

    const verified = await cli([
      'backup',
      'verify',
      join(backups, run.archive!),
      '--identity-file',
      app.keys.identityFile,
    ]);
    expect(verified.stderr).toBe('');
    expect(verified.stdout).toContain('backup verified');
    expect(verified.code).toBe(0);
  }, 120_000);

  it('a target that cannot be written is retried with backoff, each error recorded, then failed', async () => {
    const blocked = join(process.env.TMPDIR ?? '/tmp', `clinicbox-not-a-folder-${process.pid}-${Date.now()}`);
    writeFileSync(blocked, 'a file where the folder should be');
    app = await createBackupTestApp({ worker: true, backupTo: join(blocked, 'backups') });
    await app.start();
    const asked = await app.deps.backups.backUpNow(systemActor);
    expect(asked).toMatchObject({ status: 'queued', trigger: 'manual' });

    const attemptFailed = (n: number) =>
      until(`attempt ${n} to fail`, async () => {
        const run = await app!.deps.backups.run(asked!.id);
        return run && run.attempts === n && (run.status === 'retrying' || run.status === 'failed')
          ? run
          : null;
      });
    const first = await attemptFailed(1);
    expect(first.status).toBe('retrying');
    expect(first.error).toMatch(/ENOTDIR/);
    // Not retried at once: the backoff waits (at least 30 s for the first retry).
    await sleep(150);
    expect((await app.deps.backups.run(asked!.id))!.attempts).toBe(1);
    for (let n = 2; n <= 5; n++) {
      app.clock.advance(31 * 60_000);
      await attemptFailed(n);
    }
    const last = (await app.deps.backups.run(asked!.id))!;
    expect(last).toMatchObject({ status: 'failed', attempts: 5, archive: null });
    expect(last.finishedAt).not.toBeNull();
    expect(last.error).toMatch(/ENOTDIR/);
    expect(await app.deps.backups.staleness()).toMatchObject({ stale: true, lastSuccessAt: null });
    await jobsDone(app);
    expect((await app.deps.jobs.admin.stats()).counts.dead).toBe(1);
  }, 120_000);

  it('retention keeps exactly the newest of 7 days, 4 ISO weeks and 12 months, and nothing it did not name', async () => {
    app = await createBackupTestApp({ worker: true, now: '2026-04-01T09:00:00Z' });
    const backups = join(app.dir, 'backups');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(backups, { recursive: true });
    // 90 nightlies, 1 January – 31 March 2026, and files that are not Clinicbox's.
    for (let i = 0; i < 90; i++) {
      const at = new Date(Date.UTC(2026, 0, 1 + i, 2, 30));
      const stamp = at
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
      writeFileSync(join(backups, `clinicbox-${stamp}.tar.age`), 'old');
    }
    writeFileSync(join(backups, 'README.txt'), 'mine');
    writeFileSync(join(backups, 'clinicbox-before-upgrade.tar.age'), 'mine too');
    await app.start();
    await app.deps.backups.backUpNow(systemActor);
    expect(await runEnded(app, 60_000)).toMatchObject({ status: 'succeeded' });
    await until('retention to run', async () => readdirSync(backups).length < 50);
    expect(readdirSync(backups).sort()).toEqual(
      [
        'README.txt',
        'clinicbox-before-upgrade.tar.age',
        'clinicbox-20260401T090000Z.tar.age', // new: April, ISO week 14, 1 April
        'clinicbox-20260331T023000Z.tar.age', // 31 March: a daily, March's newest
        'clinicbox-20260330T023000Z.tar.age',
        'clinicbox-20260329T023000Z.tar.age', // a daily, ISO week 13's newest
        'clinicbox-20260328T023000Z.tar.age',
        'clinicbox-20260327T023000Z.tar.age',
        'clinicbox-20260326T023000Z.tar.age',
        'clinicbox-20260322T023000Z.tar.age', // ISO week 12
        'clinicbox-20260315T023000Z.tar.age', // ISO week 11
        'clinicbox-20260228T023000Z.tar.age', // February
        'clinicbox-20260131T023000Z.tar.age', // January
      ].sort(),
    );
  }, 120_000);
});
