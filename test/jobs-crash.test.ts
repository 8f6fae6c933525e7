import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { createJobSystem } from '../src/jobs/index.ts';
import { systemClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/log.ts';
import { startCli } from '../src/testing/process.ts';

/**
 * Kills real `clinicbox worker` processes with SIGKILL at random moments while they work through
 * 1,000 jobs whose handler records its job id, restarting them each time. At the end: every job
 * ran at least once, none is stuck, and duplicates ≤ kills (one job in flight per process).
 * Counts are of `test.record` only: the workers' own schedules (session prune at :23) may run too.
 */
const JOBS = 1000;
const KILLS = 20;
const pgUrl = process.env.CLINICBOX_TEST_DATABASE_URL?.startsWith('postgres')
  ? process.env.CLINICBOX_TEST_DATABASE_URL
  : '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function crashRun(options: { dbUrl: string; dataDir: string; workers: number }) {
  const record = join(options.dataDir, '..', 'record.txt');
  writeFileSync(record, '');
  const db: Db = await openDatabase({
    url: options.dbUrl,
    sqlite: { path: join(options.dataDir, 'clinicbox.db'), synchronous: 'full' },
  });
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
  for (let i = 0; i < JOBS; i += 100) {
    await db.tx(async (ctx) => {
      for (let n = i; n < i + 100; n++)
        await jobs.queue.enqueue(ctx, 'test.record', { n }, { maxAttempts: 25 });
    });
  }

  const start = (w: number) =>
    startCli(
      [
        'worker',
        '--data-dir',
        options.dataDir,
        '--worker-concurrency',
        '1',
        '--instance-id',
        `crash-${w}`,
        '--job-poll-interval',
        '20',
        '--log-format',
        'json',
        ...(options.dbUrl ? ['--database-url', options.dbUrl] : []),
      ],
      /worker started/,
      {
        entry: 'src/testing/record-entry.ts',
        env: { CLINICBOX_TEST_RECORD_FILE: record, CLINICBOX_TEST_RECORD_DELAY_MS: '12' },
      },
    );
  const procs = await Promise.all(Array.from({ length: options.workers }, (_, w) => start(w)));
  let kills = 0;
  while (kills < KILLS) {
    await sleep(150 + Math.random() * 450);
    const w = Math.floor(Math.random() * options.workers);
    procs[w]!.child.kill('SIGKILL');
    const ended = await procs[w]!.finished;
    expect(ended.signal).toBe('SIGKILL');
    kills++;
    procs[w] = await start(w);
  }
  for (let i = 0; i < 600; i++) {
    const s = await jobs.admin.stats({ name: 'test.record' });
    if (s.counts.succeeded === JOBS) break;
    await sleep(100);
  }
  for (const p of procs) p.child.kill('SIGTERM');
  const exits = await Promise.all(procs.map((p) => p.finished));
  const stats = await jobs.admin.stats({ name: 'test.record' });
  await db.close();

  const runs = readFileSync(record, 'utf8').trim().split('\n').map(Number);
  const distinct = new Set(runs);
  console.log(
    `crash test: ${kills} kills, ${runs.length} runs of ${distinct.size} jobs, ${runs.length - distinct.size} duplicates`,
  );
  return {
    kills,
    exits,
    stats,
    runs: runs.length,
    distinct: distinct.size,
    duplicates: runs.length - distinct.size,
  };
}

describe('the worker under SIGKILL', () => {
  it.runIf(!pgUrl)(
    'SQLite: 20 kills of one worker lose no job, leave none stuck, and duplicate at most one job per kill',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'clinicbox-crash-'));
      const r = await crashRun({ dbUrl: '', dataDir: join(dir, 'data'), workers: 1 });
      expect(r.kills).toBe(KILLS);
      expect(r.exits.map((e) => e.code)).toEqual([0]);
      expect(r.stats.counts).toEqual({ queued: 0, running: 0, succeeded: JOBS, dead: 0, cancelled: 0 });
      expect(r.distinct).toBe(JOBS);
      expect(r.duplicates).toBeLessThanOrEqual(r.kills);
    },
    240_000,
  );

  it.runIf(Boolean(pgUrl))(
    'PostgreSQL: two workers at once, 20 kills: no job lost, none stuck, duplicates ≤ kills',
    async () => {
      const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
      const name = `cb_crash_${process.pid}_${Date.now()}`;
      await admin.unsafe(`create database ${name}`);
      try {
        const dir = mkdtempSync(join(tmpdir(), 'clinicbox-crash-'));
        const r = await crashRun({
          dbUrl: pgUrl.replace(/\/[^/]*$/, `/${name}`),
          dataDir: join(dir, 'data'),
          workers: 2,
        });
        expect(r.kills).toBe(KILLS);
        expect(r.exits.map((e) => e.code)).toEqual([0, 0]);
        expect(r.stats.counts).toEqual({ queued: 0, running: 0, succeeded: JOBS, dead: 0, cancelled: 0 });
        expect(r.distinct).toBe(JOBS);
        expect(r.duplicates).toBeLessThanOrEqual(r.kills);
      } finally {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
    240_000,
  );
});
