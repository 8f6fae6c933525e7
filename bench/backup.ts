/**
 * Backup benchmark (issue 18): `clinicbox backup` and `clinicbox restore` of a SQLite clinic with
 * many appointments and many MB of stored files, beside `sqlite3 .backup` plus `tar` of the same
 * data in the same run (no encryption), and how long bookings take while the backup runs.
 *
 *   npx tsx bench/backup.ts
 *
 * Env: BENCH_APPOINTMENTS (100000; the clinic has 1,000,000), BENCH_FILES_MB (200; the
 * issue's has 1024), BENCH_FILE_MB (4: size of each stored object), BENCH_BOOKINGS (200: bookings
 * timed before, and at most as many during, the backup).
 *
 * The clinic is made through the real services (seedClinic, one booking), then the appointments
 * are copies of that booking in 30-minute steps written in batches, and the files random objects
 * put straight into the blob store (a backup copies every object as the store holds it). The
 * archive is encrypted to an X25519 recipient (age); times are wall-clock of the child process.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { createApp } from '../src/app.ts';
import { configFrom, ensureDataDir } from '../src/config/index.ts';
import { migrate } from '../src/db/migrate.ts';
import { openBlobStore } from '../src/storage/index.ts';
import { bookAppointment, seedClinic } from '../src/testing/factories.ts';
import { runCli } from '../src/testing/process.ts';

const env = (name: string, def: number) => Number(process.env[name] ?? def);
const APPOINTMENTS = env('BENCH_APPOINTMENTS', 100_000);
const FILES_MB = env('BENCH_FILES_MB', 200);
const FILE_MB = env('BENCH_FILE_MB', 4);
const BOOKINGS = env('BENCH_BOOKINGS', 200);

const root = mkdtempSync(join(tmpdir(), 'clinicbox-bench-backup-'));
const dataDir = join(root, 'data');
const mb = (bytes: number) => bytes / 1048576;
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const p99 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(xs.length * 0.99) - 1)] ?? 0;
const sizeOf = (path: string): number =>
  statSync(path).isDirectory()
    ? readdirSync(path).reduce((n, name) => n + sizeOf(join(path, name)), 0)
    : statSync(path).size;

async function main() {
  ensureDataDir(dataDir);
  const config = configFrom({ dataDir, logLevel: 'error' as const, sqliteSynchronous: 'normal' as const });
  const app = await createApp(config, { passwordCost: { N: 2 ** 10, r: 8, p: 1 } });
  await migrate(app.deps.db);
  const clinic = await seedClinic(app, { timeZone: 'UTC', practitioners: 2, patients: 50 });
  const t0 = performance.now();
  const first = await bookAppointment(app, clinic, clinic.patientIds[0]!, '2027-01-04T09:00:00.000Z');
  const { db } = app.deps;
  const [template] = await db.reader.db
    .select()
    .from(db.reader.t.appointments)
    .where((await import('drizzle-orm')).eq(db.reader.t.appointments.id, first.id));
  const step = 1_800_000;
  const base = Date.parse('2030-01-01T00:00:00Z');
  for (let done = 0; done < APPOINTMENTS; ) {
    const n = Math.min(500, APPOINTMENTS - done);
    const rows = Array.from({ length: n }, (_, k) => {
      const start = new Date(base + (done + k) * step);
      const end = new Date(start.getTime() + step);
      return {
        ...template!,
        id: randomUUID(),
        patientId: clinic.patientIds[(done + k) % clinic.patientIds.length]!,
        startAt: start,
        endAt: end,
        blockStartAt: start,
        blockEndAt: end,
      };
    });
    await db.tx((ctx) => ctx.db.insert(ctx.t.appointments).values(rows));
    done += n;
  }
  const store = openBlobStore(config);
  for (let i = 0; i * FILE_MB < FILES_MB; i++) {
    await store.put(`bench/object-${i}`, Readable.from([randomBytes(Math.round(FILE_MB * 1048576))]));
  }
  console.log(
    `made ${APPOINTMENTS} appointments and ${FILES_MB} MB of files in ${seconds(performance.now() - t0)} s`,
  );

  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  const identityFile = join(root, 'identity');
  writeFileSync(identityFile, `${identity}\n`);

  // The baseline: SQLite's own online backup, then tar of it and the files, no encryption.
  const baseDir = join(root, 'baseline');
  execFileSync('mkdir', ['-p', baseDir]);
  let t = performance.now();
  execFileSync('sqlite3', [config.sqlitePath, `.backup ${join(baseDir, 'clinicbox.db')}`]);
  execFileSync('tar', [
    'cf',
    join(root, 'baseline.tar'),
    '-C',
    baseDir,
    'clinicbox.db',
    '-C',
    dataDir,
    'files',
  ]);
  const baselineMs = performance.now() - t;
  const dataBytes = sizeOf(join(baseDir, 'clinicbox.db')) + sizeOf(join(dataDir, 'files'));

  // Bookings before the backup, then during it.
  let slot = 0;
  const book = async () => {
    const started = performance.now();
    await bookAppointment(
      app,
      clinic,
      clinic.patientIds[slot % 50]!,
      new Date(Date.parse('2027-02-01T00:00:00Z') + slot++ * step).toISOString(),
      clinic.practitionerIds[1],
    );
    return performance.now() - started;
  };
  const before: number[] = [];
  for (let i = 0; i < BOOKINGS; i++) {
    before.push(await book());
    await new Promise((r) => setTimeout(r, 5));
  }
  const during: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running && during.length < BOOKINGS * 10) {
      during.push(await book());
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const out = join(root, 'backups');
  t = performance.now();
  const backup = await runCli([
    'backup',
    '--data-dir',
    dataDir,
    '--to',
    out,
    '--recipient',
    recipient,
    '--log-level',
    'warn',
  ]);
  const backupMs = performance.now() - t;
  running = false;
  await loop;
  await app.stop(0);
  if (backup.code !== 0) throw new Error(`backup failed: ${backup.stderr}`);
  const archive = join(out, readdirSync(out).find((n) => n.endsWith('.tar.age'))!);

  t = performance.now();
  const restore = await runCli([
    'restore',
    archive,
    '--data-dir',
    join(root, 'restored'),
    '--identity-file',
    identityFile,
    '--log-level',
    'warn',
  ]);
  const restoreMs = performance.now() - t;
  if (restore.code !== 0) throw new Error(`restore failed: ${restore.stderr}`);

  const row = (label: string, ms: number, bytes: number) =>
    `| ${label.padEnd(40)} | ${seconds(ms).padStart(7)} s | ${(mb(bytes) / (ms / 1000)).toFixed(1).padStart(7)} MB/s |`;
  console.log(
    [
      '',
      `data: ${APPOINTMENTS} appointments, database ${mb(sizeOf(join(baseDir, 'clinicbox.db'))).toFixed(0)} MB, files ${mb(sizeOf(join(dataDir, 'files'))).toFixed(0)} MB; archive ${mb(statSync(archive).size).toFixed(0)} MB`,
      '',
      `| ${'what'.padEnd(40)} | ${'time'.padStart(9)} | ${'speed'.padStart(12)} |`,
      `|${'-'.repeat(42)}|${'-'.repeat(11)}|${'-'.repeat(14)}|`,
      row('sqlite3 .backup + tar (no encryption)', baselineMs, dataBytes),
      row('clinicbox backup (age X25519)', backupMs, dataBytes),
      row('clinicbox restore (checks included)', restoreMs, dataBytes),
      '',
      `backup speed vs baseline: ${(baselineMs / backupMs).toFixed(2)}× (target ≥ 0.5×)`,
      `booking p99: ${p99(before).toFixed(1)} ms before, ${p99(during).toFixed(1)} ms during the backup (${during.length} bookings): ${(p99(during) / p99(before)).toFixed(2)}× (target < 2×)`,
    ].join('\n'),
  );
}

try {
  await main();
} finally {
  rmSync(root, { recursive: true, force: true });
}
