import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Db, execute, openDatabase, queryRows } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { fixedClock } from '../lib/clock.ts';
import { silentLogger } from '../lib/log.ts';
import { testJob } from '../testing/jobs.ts';
import { collect, repoRoot, tsxLoader } from '../testing/process.ts';
import { sleep } from '../testing/wait.ts';
import { createJobQueue } from './queue.ts';
import { createScheduler } from './schedule.ts';

/**
 * "N instances never enqueue the same tick twice", with instances that share nothing but the
 * database: separate connections racing on every tick of an every-minute schedule.
 */
const TICKS = 40;
const schedules = [{ id: 'test.minutely', cron: '* * * * *', job: testJob('test.tick') }];
const T0 = Date.parse('2026-03-02T09:00:30Z');
const tickTime = (k: number) => new Date(T0 + k * 60_000); // 30 s past minute k
/** Tick k is tried by every instance at startAt + k × SLOT_MS (wall clock), so they collide; a slot
 * wide enough that a loaded machine (two suites side by side, CI) does not run one instance a whole
 * tick ahead of another: with 60 ms a CI run once saw a tick not counted exactly once (passed on retry). */
const SLOT_MS = 150;

/** One instance: its own connection, scheduler and clock; returns how many ticks it enqueued. */
async function instance(db: Db, startAt: number): Promise<number[]> {
  const clock = fixedClock(new Date(T0));
  const queue = createJobQueue({ db, clock });
  const scheduler = createScheduler({ db, queue, clock, log: silentLogger, schedules });
  await scheduler.sync();
  const counts: number[] = [];
  for (let k = 1; k <= TICKS; k++) {
    const at = startAt + k * SLOT_MS;
    // Real time: every instance tries tick k at the same wall-clock moment, so that they collide.
    while (Date.now() < at) await sleep(at - Date.now());
    clock.set(tickTime(k));
    counts.push(await scheduler.enqueueDue());
  }
  return counts;
}

async function enqueuedTicks(db: Db) {
  const [row] = await queryRows<{ n: number | string }>(
    db.reader,
    sql`select count(*) as n from jobs where name = 'test.tick'`,
  );
  return Number(row!.n);
}

describe('recurring schedules across connections', () => {
  const pgUrl = process.env.CLINICBOX_TEST_DATABASE_URL?.startsWith('postgres')
    ? process.env.CLINICBOX_TEST_DATABASE_URL
    : '';

  it.runIf(Boolean(pgUrl))(
    'PostgreSQL: three connection pools race on every tick; each tick is enqueued once',
    async () => {
      const schema = `t_sched_${process.pid}_${Date.now()}`;
      const open = () =>
        openDatabase({ url: pgUrl, sqlite: { path: '', synchronous: 'full' }, pgSchema: schema });
      const first = await openDatabase({ url: pgUrl, sqlite: { path: '', synchronous: 'full' } });
      await first.tx((ctx) => execute(ctx, sql.raw(`create schema ${schema}`)));
      await first.close();
      const dbs = await Promise.all([open(), open(), open()]);
      try {
        await migrate(dbs[0]!);
        const startAt = Date.now() + 200;
        const counts = await Promise.all(dbs.map((db) => instance(db, startAt)));
        const perTick = counts[0]!.map((_, k) => counts.reduce((sum, c) => sum + c[k]!, 0));
        expect(perTick).toEqual(Array(TICKS).fill(1));
        expect(await enqueuedTicks(dbs[0]!)).toBe(1); // one job: each tick finds the last still queued
      } finally {
        await dbs[0]!.tx((ctx) => execute(ctx, sql.raw(`drop schema ${schema} cascade`)));
        await Promise.all(dbs.map((db) => db.close()));
      }
    },
  );

  it('SQLite: three processes on one file race on every tick; each tick is enqueued once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clinicbox-sched-'));
    const path = join(dir, 'clinicbox.db');
    try {
      const db = await openDatabase({ url: '', sqlite: { path, synchronous: 'normal' } });
      await migrate(db);
      await db.close();
      // Each process: its own connections to the file, scheduler and clock, as instance() above.
      // Imports by absolute path: the script sits in the temp folder.
      const script = join(dir, 'race.mts');
      const src = (file: string) => JSON.stringify(`${repoRoot}src/${file}`);
      writeFileSync(
        script,
        `import { openDatabase } from ${src('db/client.ts')};
import { fixedClock } from ${src('lib/clock.ts')};
import { silentLogger } from ${src('lib/log.ts')};
import { createJobQueue } from ${src('jobs/queue.ts')};
import { createScheduler } from ${src('jobs/schedule.ts')};
const db = await openDatabase({ url: '', sqlite: { path: process.env.DB_PATH, synchronous: 'normal' } });
const clock = fixedClock(new Date(${T0}));
const queue = createJobQueue({ db, clock });
const scheduler = createScheduler({ db, queue, clock, log: silentLogger, schedules: ${JSON.stringify(schedules)} });
await scheduler.sync();
const counts = [];
for (let k = 1; k <= ${TICKS}; k++) {
  const at = Number(process.env.START_AT) + k * ${SLOT_MS};
  while (Date.now() < at); // spin: the three processes try each tick within microseconds
  clock.set(new Date(${T0} + k * 60000));
  counts.push(await scheduler.enqueueDue());
}
await db.close();
console.log(JSON.stringify(counts));
`,
      );
      const startAt = Date.now() + 3000; // after the three have loaded
      const runs = await Promise.all(
        [0, 1, 2].map(() =>
          collect(
            spawn(process.execPath, [...tsxLoader, script], {
              cwd: repoRoot,
              env: { ...process.env, DB_PATH: path, START_AT: String(startAt) },
              stdio: ['ignore', 'pipe', 'pipe'],
            }),
          ),
        ),
      );
      for (const r of runs) expect(r.stderr).toBe('');
      const counts = runs.map((r) => JSON.parse(r.stdout) as number[]);
      const perTick = counts[0]!.map((_, k) => counts.reduce((sum, c) => sum + c[k]!, 0));
      expect(perTick).toEqual(Array(TICKS).fill(1));
      const after = await openDatabase({ url: '', sqlite: { path, synchronous: 'normal' } });
      expect(await enqueuedTicks(after)).toBe(1);
      await after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
