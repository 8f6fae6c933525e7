/**
 * Backup benchmark (issue 18): `clinicbox backup` and `clinicbox restore` of a SQLite clinic with
 * many appointments and many MB of stored files, beside `sqlite3 .backup` plus `tar` of the same
 * data in the same run (no encryption), and how long bookings take while the backup runs.
 *
 *   npx tsx bench/backup.ts            (100,000 appointments, 200 MB of files)
 *   npx tsx bench/backup.ts --full     (the clinic: 1,000,000 appointments, 1 GB of files)
 *
 * Env: BENCH_APPOINTMENTS, BENCH_FILES_MB, BENCH_FILE_MB (4: size of each stored object),
 * BENCH_BOOKINGS (200: bookings timed before, and at most ten times as many during, the backup),
 * BENCH_RUNS (1: backups and baselines timed, alternating, medians reported),
 * BENCH_SIZE=full (as --full), BENCH_KEEP=1 (keep the folder, to profile a run against it),
 * BENCH_DATA=DIR (the clinic is seeded there once and reused by later runs with that folder:
 * seeding the full-size clinic takes minutes; each run's bookings go to slots no run used before),
 * BENCH_BINARY=dist/clinicbox-linux-x64 (run that binary, the shipped Bun build, instead of the
 * source under Node with tsx),
 * BENCH_AB=NAME=VALUE (two variants of clinicbox, alternating in every round: with NAME=VALUE in
 * its environment, and without — e.g. CLINICBOX_BACKUP_LIBCRYPTO=none, the binary's libsodium
 * against its OpenSSL; each variant's backup and restore reported, medians of BENCH_RUNS), or
 * BENCH_AB=binary:PATH (that binary, e.g. a build of an earlier commit, against BENCH_BINARY).
 * Start-up (`clinicbox version`: the same modules loaded, nothing done) is timed in the same run and
 * the comparison is also given without it: under tsx it alone costs more than the baseline.
 * Restore is compared with `tar x` of the baseline's tar (a database file and the files back), and
 * with the same followed by `sync -f` (restore says done only once what it wrote is on disk).
 *
 * The clinic is made through the real services (seedClinic, one booking), then the appointments
 * are copies of that booking in 30-minute steps written in batches, and the files random objects
 * put straight into the blob store (a backup copies every object as the store holds it). The
 * archive is encrypted to an X25519 recipient (age); times are wall-clock of the child process.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { createApp } from '../src/app.ts';
import { configFrom, ensureDataDir } from '../src/config/index.ts';
import { migrate } from '../src/db/migrate.ts';
import { openBlobStore } from '../src/storage/index.ts';
import { bookAppointment, type ClinicFixture, seedClinic } from '../src/testing/factories.ts';
import { collect } from '../src/testing/process.ts';

const env = (name: string, def: number) => Number(process.env[name] ?? def);
const FULL = process.argv.includes('--full') || process.env.BENCH_SIZE === 'full';
const APPOINTMENTS = env('BENCH_APPOINTMENTS', FULL ? 1_000_000 : 100_000);
const FILES_MB = env('BENCH_FILES_MB', FULL ? 1024 : 200);
const FILE_MB = env('BENCH_FILE_MB', 4);
const BOOKINGS = env('BENCH_BOOKINGS', 200);
/** Backups (and baselines) timed, alternating: the medians are reported. */
const RUNS = env('BENCH_RUNS', 1);
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
/** Appointments are 30 minutes apart. */
const step = 1_800_000;

const root = mkdtempSync(join(tmpdir(), 'clinicbox-bench-backup-'));
const REUSE = process.env.BENCH_DATA ?? '';
const dataDir = REUSE ? join(REUSE, 'data') : join(root, 'data');
/** What a reused clinic remembers: its fixture and the next free booking slot. */
const seededFile = REUSE ? join(REUSE, 'seeded.json') : '';
const mb = (bytes: number) => bytes / 1048576;
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const p99 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(xs.length * 0.99) - 1)] ?? 0;
/**
 * Runs a command under /usr/bin/time: its wall time and its CPU seconds (user + system), which a
 * loaded, shared machine disturbs far less than wall time.
 */
async function timed(cmd: string, args: string[], env: Record<string, string> = {}) {
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', 'cpu %U %S', cmd, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const r = await collect(child);
  const ms = performance.now() - started;
  const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  return {
    ...r,
    ms,
    cpu: m ? Number(m[1]) + Number(m[2]) : Number.NaN,
    stderr: m ? r.stderr.slice(0, m.index) : r.stderr,
  };
}
const BINARY = process.env.BENCH_BINARY ?? '';
/** A way to run clinicbox: a name for the table, and what it adds to the environment. */
interface Variant {
  label: string;
  env: Record<string, string>;
  /** Another binary (BENCH_AB=binary:PATH). */
  binary?: string;
}
const AB = process.env.BENCH_AB ?? '';
const abVariant = (ab: string): Variant => {
  if (ab.startsWith('binary:')) return { label: ab.slice('binary:'.length), env: {}, binary: ab.slice(7) };
  if (ab.indexOf('=') < 1) throw new Error('BENCH_AB takes NAME=VALUE or binary:PATH');
  return { label: ab, env: { [ab.slice(0, ab.indexOf('='))]: ab.slice(ab.indexOf('=') + 1) } };
};
const VARIANTS: Variant[] = AB
  ? [abVariant(AB), { label: BINARY ? BINARY : 'default', env: {} }]
  : [{ label: '', env: {} }];
const clinicbox = (args: string[], variant: Variant = VARIANTS[0]!) =>
  variant.binary || BINARY
    ? timed(variant.binary || BINARY, [...args, '--log-level', 'warn'], variant.env)
    : timed(
        process.execPath,
        ['--import', 'tsx', 'src/main.ts', ...args, '--log-level', 'warn'],
        variant.env,
      );

const sizeOf = (path: string): number =>
  statSync(path).isDirectory()
    ? readdirSync(path).reduce((n, name) => n + sizeOf(join(path, name)), 0)
    : statSync(path).size;

interface Seeded {
  appointments: number;
  filesMb: number;
  clinic: ClinicFixture;
  nextSlot: number;
}
const writeSeeded = (s: Seeded) => writeFileSync(seededFile, `${JSON.stringify(s)}\n`);

/** The clinic: seeded through the real services, then copies of one booking and random files. */
async function seed(app: Awaited<ReturnType<typeof createApp>>, config: ReturnType<typeof configFrom>) {
  const clinic = await seedClinic(app, { timeZone: 'UTC', practitioners: 2, patients: 50 });
  const t0 = performance.now();
  const first = await bookAppointment(app, clinic, clinic.patientIds[0]!, '2027-01-04T09:00:00.000Z');
  const { db } = app.deps;
  const [template] = await db.reader.db
    .select()
    .from(db.reader.t.appointments)
    .where((await import('drizzle-orm')).eq(db.reader.t.appointments.id, first.id));
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

  if (seededFile) writeSeeded({ appointments: APPOINTMENTS, filesMb: FILES_MB, clinic, nextSlot: 0 });
  return clinic;
}

async function main() {
  ensureDataDir(dataDir);
  const config = configFrom({ dataDir, logLevel: 'error' as const, sqliteSynchronous: 'normal' as const });
  const app = await createApp(config, { passwordCost: { N: 2 ** 10, r: 8, p: 1 } });
  await migrate(app.deps.db);
  const seeded =
    seededFile && existsSync(seededFile) ? (JSON.parse(readFileSync(seededFile, 'utf8')) as Seeded) : null;
  if (seeded && (seeded.appointments !== APPOINTMENTS || seeded.filesMb !== FILES_MB)) {
    throw new Error(
      `${REUSE} holds a clinic of ${seeded.appointments} appointments and ${seeded.filesMb} MB of files: use another BENCH_DATA for this size`,
    );
  }
  const clinic = seeded?.clinic ?? (await seed(app, config));
  const nextSlot = seeded?.nextSlot ?? 0;
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  const identityFile = join(root, 'identity');
  writeFileSync(identityFile, `${identity}\n`);

  // The baseline: SQLite's own online backup, then tar of it and the files, no encryption.
  // Each timed step starts after a sync: the writes of the step before are on disk, not still
  // being written back while this one runs.
  const baseDir = join(root, 'baseline');
  const baselineRun = async () => {
    rmSync(baseDir, { recursive: true, force: true });
    rmSync(join(root, 'baseline.tar'), { force: true });
    execFileSync('mkdir', ['-p', baseDir]);
    execFileSync('sync');
    const dump = await timed('sqlite3', [config.sqlitePath, `.backup ${join(baseDir, 'clinicbox.db')}`]);
    const pack = await timed('tar', [
      'cf',
      join(root, 'baseline.tar'),
      '-C',
      baseDir,
      'clinicbox.db',
      '-C',
      dataDir,
      'files',
    ]);
    return { ms: dump.ms + pack.ms, cpu: dump.cpu + pack.cpu };
  };
  const baselines = [await baselineRun()];
  const dataBytes = sizeOf(join(baseDir, 'clinicbox.db')) + sizeOf(join(dataDir, 'files'));

  // Bookings before the backup, then during it.
  let slot = nextSlot;
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
  const outOf = (v: number) => join(root, `backups-${v}`);
  const backupRun = async (v: number) => {
    rmSync(outOf(v), { recursive: true, force: true });
    execFileSync('sync');
    return clinicbox(
      ['backup', '--data-dir', dataDir, '--to', outOf(v), '--recipient', recipient],
      VARIANTS[v],
    );
  };
  // RUNS > 1: the baseline and the backup (each variant's) alternate, medians reported (a shared
  // machine's load comes and goes).
  type Run = Awaited<ReturnType<typeof timed>>;
  const backups: Run[][] = VARIANTS.map(() => []);
  const ok = () => backups.every((runs) => runs.every((b) => b.code === 0));
  for (let i = 0; i < RUNS && ok(); i++) {
    if (i > 0) baselines.push(await baselineRun());
    for (let v = 0; v < VARIANTS.length && ok(); v++) backups[v]!.push(await backupRun(v));
  }
  running = false;
  await loop;
  await app.stop(0);
  if (seededFile) writeSeeded({ appointments: APPOINTMENTS, filesMb: FILES_MB, clinic, nextSlot: slot });
  const failed = backups.flat().find((b) => b.code !== 0);
  if (failed) throw new Error(`backup failed: ${failed.stderr}`);
  const medians = (runs: { ms: number; cpu: number }[]) => ({
    ms: median(runs.map((b) => b.ms)),
    cpu: median(runs.map((b) => b.cpu)),
  });
  const baseline = medians(baselines);
  const archives = VARIANTS.map((_, v) =>
    join(outOf(v), readdirSync(outOf(v)).find((n) => n.endsWith('.tar.age'))!),
  );

  // Restores, each variant's of its own archive, alternating with the baseline's: the tar unpacked
  // (database file and files back in place).
  const untarDir = join(root, 'untarred');
  const untars: Run[] = [];
  const durableUntars: Run[] = [];
  const restores: Run[][] = VARIANTS.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    rmSync(untarDir, { recursive: true, force: true });
    execFileSync('mkdir', ['-p', untarDir]);
    execFileSync('sync');
    untars.push(await timed('tar', ['xf', join(root, 'baseline.tar'), '-C', untarDir]));
    // The same made durable (restore syncs what it writes before it says done; tar x does not).
    rmSync(untarDir, { recursive: true, force: true });
    execFileSync('mkdir', ['-p', untarDir]);
    execFileSync('sync');
    durableUntars.push(
      await timed('sh', ['-c', 'tar xf "$0" -C "$1" && sync -f "$1"', join(root, 'baseline.tar'), untarDir]),
    );
    for (let v = 0; v < VARIANTS.length; v++) {
      rmSync(join(root, 'restored'), { recursive: true, force: true });
      execFileSync('sync');
      const restore = await clinicbox(
        ['restore', archives[v]!, '--data-dir', join(root, 'restored'), '--identity-file', identityFile],
        VARIANTS[v],
      );
      if (restore.code !== 0) throw new Error(`restore failed: ${restore.stderr}`);
      restores[v]!.push(restore);
    }
  }
  const untar = medians(untars);
  const durableUntar = medians(durableUntars);

  // Start-up alone: the best of three (the same modules loaded as by backup and restore).
  const startups = [];
  for (let i = 0; i < 3; i++) startups.push(await clinicbox(['version']));
  const startup = {
    ms: Math.min(...startups.map((r) => r.ms)),
    cpu: Math.min(...startups.map((r) => r.cpu)),
  };
  const less = (r: { ms: number; cpu: number }) => ({ ms: r.ms - startup.ms, cpu: r.cpu - startup.cpu });

  /** The first column's width: the variants' names make it wider. */
  const W = 40 + Math.max(0, ...VARIANTS.map((v) => (v.label ? v.label.length + 3 : 0)));
  const row = (label: string, r: { ms: number; cpu: number }) =>
    `| ${label.padEnd(W)} | ${seconds(r.ms).padStart(7)} s | ${(mb(dataBytes) / (r.ms / 1000)).toFixed(1).padStart(7)} MB/s | ${r.cpu.toFixed(1).padStart(6)} s |`;
  const ratio = (base: { ms: number; cpu: number }, r: { ms: number; cpu: number }) =>
    `${(base.ms / r.ms).toFixed(2)}× by wall time, ${(base.cpu / r.cpu).toFixed(2)}× by CPU time`;
  const named = (v: number, what: string) => (VARIANTS[v]!.label ? `${what} [${VARIANTS[v]!.label}]` : what);
  const list = (runs: { ms: number; cpu: number }[]) =>
    `${runs.map((r) => seconds(r.ms)).join(', ')} s wall, ${runs.map((r) => r.cpu.toFixed(1)).join(', ')} s CPU`;
  console.log(
    [
      '',
      `clinicbox: ${BINARY || 'the source under Node (tsx)'}`,
      `data: ${APPOINTMENTS} appointments, database ${mb(sizeOf(join(baseDir, 'clinicbox.db'))).toFixed(0)} MB, files ${mb(sizeOf(join(dataDir, 'files'))).toFixed(0)} MB; archive ${mb(statSync(archives[0]!).size).toFixed(0)} MB`,
      '',
      `| ${'what'.padEnd(W)} | ${'wall'.padStart(9)} | ${'speed'.padStart(12)} | ${'CPU'.padStart(8)} |`,
      `|${'-'.repeat(W + 2)}|${'-'.repeat(11)}|${'-'.repeat(14)}|${'-'.repeat(10)}|`,
      row('sqlite3 .backup + tar (no encryption)', baseline),
      ...VARIANTS.map((_, v) => row(named(v, 'clinicbox backup (age X25519)'), medians(backups[v]!))),
      row('tar x of that (baseline restore)', untar),
      row('tar x + sync -f (the same, durable)', durableUntar),
      ...VARIANTS.map((_, v) => row(named(v, 'clinicbox restore (checks included)'), medians(restores[v]!))),
      row('clinicbox start-up alone (version)', startup),
      '',
      ...(RUNS > 1
        ? [
            `medians of ${RUNS} runs each, alternating: baseline ${list(baselines)}; tar x ${list(untars)}; tar x + sync ${list(durableUntars)}`,
            ...VARIANTS.flatMap((_, v) => [
              `  ${named(v, 'backup')}: ${list(backups[v]!)}`,
              `  ${named(v, 'restore')}: ${list(restores[v]!)}`,
            ]),
          ]
        : []),
      ...VARIANTS.flatMap((_, v) => {
        const backup = medians(backups[v]!);
        const restore = medians(restores[v]!);
        return [
          `${named(v, 'backup')} vs baseline: ${ratio(baseline, backup)} (target ≥ 0.5×)`,
          `${named(v, 'backup')} less start-up vs baseline: ${ratio(baseline, less(backup))}`,
          `${named(v, 'restore')} vs tar x: ${ratio(untar, restore)}`,
          `${named(v, 'restore')} less start-up vs tar x: ${ratio(untar, less(restore))}`,
          `${named(v, 'restore')} vs tar x + sync: ${ratio(durableUntar, restore)}`,
        ];
      }),
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (2 cores shared with other work: times vary run to run)`,
      `booking p99: ${p99(before).toFixed(1)} ms before, ${p99(during).toFixed(1)} ms during the backup (${during.length} bookings): ${(p99(during) / p99(before)).toFixed(2)}× (target < 2×)`,
    ].join('\n'),
  );
}

try {
  await main();
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
