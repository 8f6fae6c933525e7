import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { createJobSystem, type JobSystem } from '../src/jobs/index.ts';
import { systemClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/log.ts';
import { testJob } from '../src/testing/jobs.ts';
import { childrenKilledAfterEach } from '../src/testing/lifecycle.ts';
import { cliCommand, collect, repoRoot, startCli } from '../src/testing/process.ts';
import { sleep, until } from '../src/testing/wait.ts';

/**
 * Kills real `clinicbox worker` processes with SIGKILL at random moments while they work through
 * 1,000 jobs whose handler records its job id, restarting them each time; some kills land during
 * start-up, before "worker started". At the end: every job ran at least once, none is stuck, and
 * with one job in flight per process duplicates ≤ kills. With --worker-concurrency 4 (successes
 * group-committed) a kill can repeat every job in flight or finished-but-unrecorded, so that run
 * checks only that nothing is lost or stuck. Counts are of `test.record` only: the workers' own
 * schedules (session prune at :23) may run too.
 */
const JOBS = 1000;
const KILLS = 20;
const pgUrl = process.env.CLINICBOX_TEST_DATABASE_URL?.startsWith('postgres')
  ? process.env.CLINICBOX_TEST_DATABASE_URL
  : '';

/** Every worker a test starts: any still running after it (a failed expectation) is killed. */
const children = childrenKilledAfterEach();
const track = <T extends { child: ChildProcess }>(p: T): T => {
  children.add(p.child);
  return p;
};

interface Setup {
  dbUrl: string;
  dataDir: string;
  record: string;
  db: Db;
  jobs: JobSystem;
}

/** A fresh database (SQLite in a temp folder; PostgreSQL: a new database, dropped after). */
async function withDatabase<T>(fn: (s: Setup) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'clinicbox-crash-'));
  const dataDir = join(dir, 'data');
  const record = join(dir, 'record.txt');
  writeFileSync(record, '');
  const admin = pgUrl ? postgres(pgUrl, { max: 1, onnotice: () => {} }) : null;
  const name = `cb_crash_${process.pid}_${Date.now()}`;
  if (admin) await admin.unsafe(`create database ${name}`);
  const dbUrl = admin ? pgUrl.replace(/\/[^/]*$/, `/${name}`) : '';
  try {
    const db = await openDatabase({
      url: dbUrl,
      sqlite: { path: join(dataDir, 'clinicbox.db'), synchronous: 'full' },
    });
    try {
      await migrate(db);
      const jobs = createJobSystem({
        db,
        clock: systemClock,
        log: silentLogger,
        definitions: [],
        schedules: [],
        instanceId: 'test',
        concurrency: 1,
        retentionDays: 14,
      });
      return await fn({ dbUrl, dataDir, record, db, jobs });
    } finally {
      await db.close();
    }
  } finally {
    if (admin) {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }
}

async function enqueue(s: Setup, count: number) {
  for (let i = 0; i < count; i += 100) {
    await s.db.tx(async (ctx) => {
      for (let n = i; n < Math.min(count, i + 100); n++)
        await s.jobs.queue.enqueue(ctx, testJob('test.record'), { n }, { maxAttempts: 25 });
    });
  }
}

const workerArgs = (s: Setup, id: string, concurrency: number) => [
  'worker',
  '--data-dir',
  s.dataDir,
  '--worker-concurrency',
  String(concurrency),
  '--instance-id',
  id,
  '--job-poll-interval',
  '20',
  '--log-format',
  'json',
  ...(s.dbUrl ? ['--database-url', s.dbUrl] : []),
];
const recordEnv = (s: Setup, delayMs: number) => ({
  CLINICBOX_TEST_RECORD_FILE: s.record,
  CLINICBOX_TEST_RECORD_DELAY_MS: String(delayMs),
});

async function untilAllSucceeded(s: Setup, count: number, ms: number) {
  await until(
    `${count} test.record jobs succeeded`,
    async () => (await s.jobs.admin.stats({ name: 'test.record' })).counts.succeeded === count,
    ms,
  );
}

function recorded(s: Setup) {
  const runs = readFileSync(s.record, 'utf8').trim().split('\n').filter(Boolean).map(Number);
  const distinct = new Set(runs).size;
  return { runs: runs.length, distinct, duplicates: runs.length - distinct };
}

async function crashRun(s: Setup, options: { workers: number; concurrency: number }) {
  await enqueue(s, JOBS);
  const start = async (w: number) =>
    track(
      await startCli(workerArgs(s, `crash-${w}`, options.concurrency), /worker started/, {
        entry: 'src/testing/record-entry.ts',
        env: recordEnv(s, 12),
      }),
    );
  /** Starts a worker and SIGKILLs it after `ms`, whether or not it has said "worker started". */
  const killDuringStartUp = async (w: number, ms: number) => {
    const [cmd, pre] = cliCommand('src/testing/record-entry.ts');
    const child = spawn(cmd, [...pre, ...workerArgs(s, `crash-${w}`, options.concurrency)], {
      cwd: repoRoot,
      env: { ...process.env, TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.json`, ...recordEnv(s, 12) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track({ child });
    const finished = collect(child);
    await sleep(ms); // real time: a random moment of the start-up
    child.kill('SIGKILL');
    const ended = await finished;
    expect(ended.signal).toBe('SIGKILL');
    return !/worker started/.test(ended.stdout + ended.stderr);
  };

  const bootMs: number[] = [];
  const timedStart = async (w: number) => {
    const t = Date.now();
    const p = await start(w);
    bootMs.push(Date.now() - t);
    return p;
  };
  const procs = await Promise.all(Array.from({ length: options.workers }, (_, w) => timedStart(w)));
  let kills = 0;
  let beforeReady = 0;
  while (kills < KILLS) {
    await sleep(150 + Math.random() * 450); // real time: a random moment of the work
    const w = Math.floor(Math.random() * options.workers);
    procs[w]!.child.kill('SIGKILL');
    const ended = await procs[w]!.finished;
    expect(ended.signal).toBe('SIGKILL');
    kills++;
    if (kills % 4 === 0 && kills < KILLS) {
      // A kill somewhere in start-up: module load, database, instance id, releasing the jobs
      // the killed process left, schedules.
      const typical = Math.min(...bootMs);
      if (await killDuringStartUp(w, Math.random() * typical)) beforeReady++;
      kills++;
    }
    procs[w] = await timedStart(w);
  }
  await untilAllSucceeded(s, JOBS, 60_000);
  for (const p of procs) p.child.kill('SIGTERM');
  const exits = await Promise.all(procs.map((p) => p.finished));
  const stats = await s.jobs.admin.stats({ name: 'test.record' });
  const r = recorded(s);
  console.log(
    `crash test (${options.workers} worker(s), concurrency ${options.concurrency}): ${kills} kills ` +
      `(${beforeReady} before "worker started"), ${r.runs} runs of ${r.distinct} jobs, ${r.duplicates} duplicates`,
  );
  return { kills, beforeReady, exits, stats, ...r };
}

const allDone = { queued: 0, running: 0, succeeded: JOBS, dead: 0, cancelled: 0 };
const dialect = pgUrl ? 'PostgreSQL' : 'SQLite';
const workers = pgUrl ? 2 : 1;

describe(`the worker under SIGKILL on ${dialect}`, () => {
  it(
    `${workers} worker(s), concurrency 1, ${KILLS} kills (some during start-up): no job lost, none stuck, duplicates ≤ kills`,
    () =>
      withDatabase(async (s) => {
        const r = await crashRun(s, { workers, concurrency: 1 });
        expect(r.kills).toBe(KILLS);
        expect(r.beforeReady).toBeGreaterThan(0);
        expect(r.exits.map((e) => e.code)).toEqual(Array(workers).fill(0));
        expect(r.stats.counts).toEqual(allDone);
        expect(r.distinct).toBe(JOBS);
        expect(r.duplicates).toBeLessThanOrEqual(r.kills);
      }),
    240_000,
  );

  it(
    `${workers} worker(s), concurrency 4 (batched completion), ${KILLS} kills: no job lost, none stuck`,
    () =>
      withDatabase(async (s) => {
        const r = await crashRun(s, { workers, concurrency: 4 });
        expect(r.kills).toBe(KILLS);
        expect(r.exits.map((e) => e.code)).toEqual(Array(workers).fill(0));
        expect(r.stats.counts).toEqual(allDone);
        expect(r.distinct).toBe(JOBS);
      }),
    240_000,
  );

  it(
    'two workers given one --instance-id: the second runs as <id>-2 and takes none of the first one’s jobs',
    () =>
      withDatabase(async (s) => {
        await enqueue(s, 40);
        const start = async () =>
          track(
            await startCli(workerArgs(s, 'dup', 4), /\{[^\n]*"msg":"worker started"[^\n]*\}/, {
              entry: 'src/testing/record-entry.ts',
              env: recordEnv(s, 400),
            }),
          );
        const first = await start();
        await until(
          'the first worker running jobs',
          async () => (await s.jobs.admin.stats()).counts.running > 0,
        );
        const second = await start();
        expect(JSON.parse(first.match[0]!)).toMatchObject({ instanceId: 'dup' });
        expect(JSON.parse(second.match[0]!)).toMatchObject({ instanceId: 'dup-2' });
        await untilAllSucceeded(s, 40, 30_000);
        first.child.kill('SIGTERM');
        second.child.kill('SIGTERM');
        const [a, b] = await Promise.all([first.finished, second.finished]);
        expect([a.code, b.code]).toEqual([0, 0]);
        expect(b.stdout + b.stderr).not.toContain('released jobs an earlier process');
        expect((await s.jobs.admin.stats({ name: 'test.record' })).counts.succeeded).toBe(40);
        expect(recorded(s)).toMatchObject({ distinct: 40, duplicates: 0 });
      }),
    60_000,
  );
});
