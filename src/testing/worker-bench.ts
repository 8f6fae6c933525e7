import { sql } from 'drizzle-orm';
import { afterEach } from 'vitest';
import { z } from 'zod';
import { queryRows } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import {
  createJobSystem,
  defineJob,
  type JobDefinition,
  type JobQueue,
  type JobSystem,
  jobType,
  type Worker,
} from '../jobs/index.ts';
import { createJobQueue } from '../jobs/queue.ts';
import { createWorker, type WorkerOptions } from '../jobs/worker.ts';
import { systemClock } from '../lib/clock.ts';
import { silentLogger } from '../lib/log.ts';
import { createTestDb, type TestDb } from './db.ts';
import { testJob } from './jobs.ts';
import { until } from './wait.ts';

/**
 * The worker tests' bench (src/jobs/worker-*.test.ts), in real time on the suite's dialect: each
 * test opens a fresh database and keeps the worker it starts here; after the test the worker is
 * stopped (unless the test stopped it through `stop`) and the database destroyed.
 */

/** A job system's options for one worker in real time, polling every 20 ms: spread, then add `db`. */
export const systemOptions = () => ({
  clock: systemClock,
  log: silentLogger,
  definitions: [],
  schedules: [],
  instanceId: 'w',
  concurrency: 1,
  retentionDays: 14,
  pollMs: 20,
});

/** A worker straight over `queue` (a spy on the real one, mostly) for `jobs`, in real time. */
export const workerOn = (
  queue: JobQueue,
  jobs: JobDefinition<any>[],
  options: Pick<WorkerOptions, 'instanceId' | 'concurrency' | 'pollMs' | 'reapEveryMs'>,
): Worker =>
  createWorker({
    queue,
    definitions: new Map(jobs.map((job) => [job.name, job])),
    clock: systemClock,
    log: silentLogger,
    ...options,
  });

/** A queue over `db` whose claims are counted (`claimsMade()`) and, when not empty, sized (`claims`). */
function claimCounter(db: TestDb) {
  const queue = createJobQueue({ db, clock: systemClock });
  const claims: number[] = [];
  let made = 0;
  const spy: JobQueue = {
    ...queue,
    claim: async (...args) => {
      const got = await queue.claim(...args);
      made++;
      if (got.length) claims.push(got.length);
      return got;
    },
  };
  return { queue, spy, claims, claimsMade: () => made };
}

/** The `test.work` job, `{ n }`, handled by `handle`. */
const workJob = (handle: (n: number) => Promise<void>) =>
  defineJob(jobType('test.work', z.object({ n: z.number() })), { handle: ({ n }) => handle(n) });

export function workerBench() {
  let db: TestDb | undefined;
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.stop(0);
    worker = undefined;
    await db?.destroy();
    db = undefined;
  });

  /** A fresh migrated database for this test, destroyed after it. */
  async function database(): Promise<TestDb> {
    db = await createTestDb();
    await migrate(db);
    return db;
  }

  /** Keeps `w` as the test's worker, stopped after the test unless the test stops it through `stop`. */
  function use(w: Worker): Worker {
    worker = w;
    return w;
  }

  /** Stops the test's worker, giving running jobs `graceMs`; nothing is left to stop after the test. */
  async function stop(graceMs: number): Promise<void> {
    await worker!.stop(graceMs);
    worker = undefined;
  }

  /** A database, a job system whose `test.work` jobs `handle` runs, and its worker (not started). */
  async function setup(
    handle: (n: number) => Promise<void>,
    options: { concurrency?: number; pollMs?: number } = {},
  ) {
    const db = await database();
    const system: JobSystem = createJobSystem({
      ...systemOptions(),
      db,
      definitions: [workJob(handle)],
      instanceId: 'test-worker',
      concurrency: options.concurrency ?? 4,
      pollMs: options.pollMs ?? 5_000,
    });
    return { db, system, worker: use(system.createWorker()) };
  }

  /** Starts the worker on 20 quick jobs and waits for them: it then knows jobs are quick, and prefetches. */
  async function startWithQuickJobs(system: JobSystem) {
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        db!.tx((ctx) => system.queue.enqueue(ctx, testJob('test.work'), { n })),
      ),
    );
    await worker!.start();
    await until(
      'the first 20 jobs succeeded',
      async () => (await system.admin.stats()).counts.succeeded >= 20,
    );
  }

  /** How many jobs of the test's database have `status`. */
  const countOf = async (status: string) =>
    Number(
      (
        await queryRows<{ n: number }>(
          db!.reader,
          sql`select count(*) as n from jobs where status = ${status}`,
        )
      )[0]?.n ?? 0,
    );

  /**
   * A worker over a queue that records what each claim returned (`claims`: the non-empty ones;
   * `claimsMade()`: all) and the most jobs run at once.
   */
  async function watched(handle: () => Promise<void>, concurrency: number, pollMs = 20) {
    const db = await database();
    const { queue, spy, claims, claimsMade } = claimCounter(db);
    const stats = { running: 0, most: 0 };
    const job = workJob(async () => {
      stats.running++;
      stats.most = Math.max(stats.most, stats.running);
      try {
        await handle();
      } finally {
        stats.running--;
      }
    });
    const w = use(workerOn(spy, [job], { instanceId: 'watched', concurrency, pollMs }));
    /** Enqueues `count` jobs in one commit, starts the worker and waits until all have succeeded. */
    async function runBatch(count: number) {
      await db.tx(async (ctx) => {
        for (let n = 0; n < count; n++) await queue.enqueue(ctx, testJob('test.work'), { n });
      });
      await w.start();
      await until(`${count} jobs succeeded`, async () => (await countOf('succeeded')) >= count);
    }
    return { db, queue, claims, stats, claimsMade, runBatch, worker: w };
  }

  return { database, use, stop, setup, startWithQuickJobs, countOf, watched };
}
