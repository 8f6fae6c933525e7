import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Db, openDatabase, queryRows } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger, silentLogger } from '../lib/log.ts';
import { createTestDb, suiteDialect, type TestDb } from '../testing/db.ts';
import { testJob } from '../testing/jobs.ts';
import { gate, sleep, until } from '../testing/wait.ts';
import { createJobSystem, defineJob, type JobSystem, jobType, type Worker } from './index.ts';
import { createJobQueue, type JobQueue } from './queue.ts';
import { createWorker } from './worker.ts';

/**
 * Another handle on the same PostgreSQL schema, as a second process would have. PGlite has one
 * connection only, and two SQLite handles in one process can stall each other (better-sqlite3
 * waits for the file lock synchronously, blocking the event loop the other handle's transaction
 * needs): those share the handle, and test/jobs-crash.test.ts runs two real processes.
 */
async function secondHandle(db: TestDb): Promise<{ db: Db; close(): Promise<void> }> {
  const url = process.env.CLINICBOX_TEST_DATABASE_URL ?? '';
  if (db.dialect === 'sqlite' || !url.startsWith('postgres')) return { db, close: async () => {} };
  const [row] = await queryRows<{ s: string }>(db.reader, sql`select current_schema() as s`);
  const other = await openDatabase({ url, sqlite: { path: '', synchronous: 'full' }, pgSchema: row!.s });
  return { db: other, close: () => other.close() };
}

const systemOptions = () => ({
  clock: systemClock,
  log: silentLogger,
  definitions: [],
  schedules: [],
  instanceId: 'w',
  concurrency: 1,
  retentionDays: 14,
  pollMs: 20,
});

describe(`the worker on ${suiteDialect()}, in real time`, () => {
  let db: TestDb;
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.stop(0);
    worker = undefined;
    await db.destroy();
  });

  async function setup(
    handle: (n: number) => Promise<void>,
    options: { concurrency?: number; pollMs?: number } = {},
  ) {
    db = await createTestDb();
    await migrate(db);
    const job = defineJob(jobType('test.work', z.object({ n: z.number() })), {
      handle: ({ n }) => handle(n),
    });
    const system: JobSystem = createJobSystem({
      db,
      clock: systemClock,
      log: silentLogger,
      definitions: [job],
      schedules: [],
      instanceId: 'test-worker',
      concurrency: options.concurrency ?? 4,
      retentionDays: 14,
      pollMs: options.pollMs ?? 5_000,
    });
    worker = system.createWorker();
    return system;
  }

  it('runs every enqueued job once and records success', async () => {
    const seen: number[] = [];
    const system = await setup(
      async (n) => {
        seen.push(n);
      },
      { concurrency: 8 },
    );
    await worker!.start();
    await Promise.all(
      Array.from({ length: 300 }, (_, n) =>
        db.tx((ctx) => system.queue.enqueue(ctx, testJob('test.work'), { n })),
      ),
    );
    await until('300 jobs succeeded', async () => (await system.admin.stats()).counts.succeeded >= 300);
    expect((await system.admin.stats()).counts).toMatchObject({ succeeded: 300, queued: 0, running: 0 });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, n) => n));
  });

  /** Starts the worker on 20 quick jobs and waits for them: it then knows jobs are quick, and prefetches. */
  async function startWithQuickJobs(system: JobSystem) {
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        db.tx((ctx) => system.queue.enqueue(ctx, testJob('test.work'), { n })),
      ),
    );
    await worker!.start();
    await until(
      'the first 20 jobs succeeded',
      async () => (await system.admin.stats()).counts.succeeded >= 20,
    );
  }

  const countOf = async (status: string) =>
    Number(
      (
        await queryRows<{ n: number }>(
          db.reader,
          sql`select count(*) as n from jobs where status = ${status}`,
        )
      )[0]?.n ?? 0,
    );

  /**
   * A worker over a queue that records what each claim returned (`claims`: the non-empty ones;
   * `claimsMade()`: all) and the most jobs run at once.
   */
  async function watched(handle: () => Promise<void>, concurrency: number, pollMs = 20) {
    db = await createTestDb();
    await migrate(db);
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
    const stats = { running: 0, most: 0 };
    const job = defineJob(jobType('test.work', z.object({ n: z.number() })), {
      async handle() {
        stats.running++;
        stats.most = Math.max(stats.most, stats.running);
        try {
          await handle();
        } finally {
          stats.running--;
        }
      },
    });
    worker = createWorker({
      queue: spy,
      definitions: new Map([[job.name, job]]),
      clock: systemClock,
      log: silentLogger,
      instanceId: 'watched',
      concurrency,
      pollMs,
    });
    return { queue, claims, stats, claimsMade: () => made };
  }

  it('quick jobs: claims more than its free slots (one commit for a large batch), never runs more than its concurrency', async () => {
    const { queue, claims, stats } = await watched(() => Promise.resolve(), 2);
    await db.tx(async (ctx) => {
      for (let n = 0; n < 400; n++) await queue.enqueue(ctx, testJob('test.work'), { n });
    });
    await worker!.start();
    await until('400 jobs succeeded', async () => (await countOf('succeeded')) >= 400);
    expect(await countOf('succeeded')).toBe(400);
    expect(stats.most).toBeLessThanOrEqual(2);
    expect(claims[0]).toBe(2); // nothing known of the jobs yet: no more than the free slots
    expect(Math.max(...claims)).toBe(8); // then quick: up to two to run and six (3 × 2) more in hand
  });

  it('slow jobs: holds none back from other workers (no claim beyond the free slots)', async () => {
    const { queue, claims, stats } = await watched(async () => {
      await sleep(15); // a slow job: real time spent is what makes it slow
    }, 2);
    await db.tx(async (ctx) => {
      for (let n = 0; n < 12; n++) await queue.enqueue(ctx, testJob('test.work'), { n });
    });
    await worker!.start();
    await until('12 jobs succeeded', async () => (await countOf('succeeded')) >= 12);
    expect(await countOf('succeeded')).toBe(12);
    expect(stats.most).toBe(2);
    expect(Math.max(...claims)).toBeLessThanOrEqual(2);
  });

  it('a finished job is recorded at once even while jobs are held in hand (a crash repeats only running ones)', async () => {
    const held = gate();
    const system = await setup(
      async (n) => {
        if (n === 101) await held.opened;
      },
      { concurrency: 1 },
    );
    await startWithQuickJobs(system);
    await db.tx(async (ctx) => {
      for (const n of [100, 101, 102, 103]) await system.queue.enqueue(ctx, testJob('test.work'), { n });
    });
    // 100 ran, 101 is stuck, 102 and 103 are in hand: 100 must not wait for them to be recorded.
    const statusOf = async (n: number) => {
      const rows = await queryRows<{ status: string; payload: unknown }>(
        db.reader,
        sql`select status, payload from jobs where name = 'test.work'`,
      );
      const payloadOf = (p: unknown) => (typeof p === 'string' ? JSON.parse(p) : p) as { n: number };
      return rows.find((r) => payloadOf(r.payload).n === n)?.status;
    };
    await until('job 100 recorded as succeeded', async () => (await statusOf(100)) === 'succeeded');
    expect(await statusOf(100)).toBe('succeeded');
    expect(await statusOf(101)).toBe('running');
    held.open();
  });

  it('shutdown hands back the jobs held in hand, uncounted, and runs none of them', async () => {
    const started: number[] = [];
    const first = gate();
    const system = await setup(
      async (n) => {
        started.push(n);
        if (n >= 100) await first.opened; // the second batch waits: the rest stays in hand
      },
      { concurrency: 1 },
    );
    await startWithQuickJobs(system);
    // In one transaction: the worker claims only while what it holds fits its slots, so four
    // separate commits could be seen one claim apart and leave the last one queued.
    await db.tx(async (ctx) => {
      for (let k = 0; k < 4; k++) await system.queue.enqueue(ctx, testJob('test.work'), { n: 100 + k });
    });
    await until(
      'four jobs running or in hand',
      async () => (await system.admin.stats()).counts.running === 4,
    );
    expect((await system.admin.stats()).counts.running).toBe(4); // one running, three in hand
    const stopping = worker!.stop(200);
    first.open();
    await stopping;
    worker = undefined;
    expect(started.filter((n) => n >= 100)).toHaveLength(1);
    const back = await queryRows<{ attempts: number; status: string }>(
      db.reader,
      sql`select attempts, status from jobs where status = 'queued'`,
    );
    expect(back).toHaveLength(3);
    expect(back.every((j) => Number(j.attempts) === 0)).toBe(true);
  });

  it('wakes at once on an enqueue in the same process (no waiting for the poll)', async () => {
    let startedAt = 0;
    const { queue, claimsMade } = await watched(
      async () => {
        startedAt = performance.now();
      },
      4,
      10_000,
    );
    await worker!.start();
    // Its first claim found nothing: idle, asleep until the next poll in ~10 s.
    await until('the worker’s first claim', async () => claimsMade() > 0);
    const t0 = performance.now();
    await db.tx((ctx) => queue.enqueue(ctx, testJob('test.work'), { n: 1 }));
    await until('the job started', async () => startedAt > 0);
    expect(startedAt - t0).toBeLessThan(1000);
  });

  it('shutdown lets a job finish within the grace period and releases one that does not, uncounted', async () => {
    let finished = 0;
    const system = await setup(
      async (n) => {
        await sleep(n); // a job of n ms: which fits the grace period is what is tested
        finished++;
      },
      { concurrency: 2 },
    );
    const ids = await db.tx(async (ctx) => [
      (await system.queue.enqueue(ctx, testJob('test.work'), { n: 50 })).id,
      (await system.queue.enqueue(ctx, testJob('test.work'), { n: 5_000 })).id,
    ]);
    await worker!.start();
    await until('both jobs running', async () => (await system.admin.stats()).counts.running >= 2);
    await worker!.stop(500);
    worker = undefined;
    expect(finished).toBe(1);
    expect(await system.admin.get(ids[0]!)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(await system.admin.get(ids[1]!)).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });
  });

  it('shutdown during a claim releases the jobs just claimed, uncounted, and runs none of them', async () => {
    db = await createTestDb();
    await migrate(db);
    let ran = 0;
    const job = defineJob(jobType('test.work', z.object({})), {
      async handle() {
        ran++;
      },
    });
    const real = createJobQueue({ db, clock: systemClock });
    const inClaim = gate();
    const resume = gate();
    const queue: JobQueue = {
      ...real,
      async claim(...args) {
        const claimed = await real.claim(...args);
        if (claimed.length) {
          inClaim.open();
          await resume.opened;
        }
        return claimed;
      },
    };
    worker = createWorker({
      queue,
      definitions: new Map([[job.name, job]]),
      clock: systemClock,
      log: silentLogger,
      instanceId: 'w',
      concurrency: 4,
      pollMs: 20,
    });
    const ids = await db.tx(async (ctx) => [
      (await real.enqueue(ctx, testJob('test.work'), {})).id,
      (await real.enqueue(ctx, testJob('test.work'), {})).id,
    ]);
    await worker.start();
    await inClaim.opened;
    const stopped = worker.stop(1000);
    resume.open();
    await stopped;
    worker = undefined;
    expect(ran).toBe(0);
    const admin = createJobSystem({ ...systemOptions(), db }).admin;
    for (const id of ids)
      expect(await admin.get(id)).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });
  });

  it('shutdown stops claiming: no claim starts once stop() is called', async () => {
    db = await createTestDb();
    await migrate(db);
    const real = createJobQueue({ db, clock: systemClock });
    const inReap = gate();
    const resume = gate();
    let stopCalled = false;
    let claimsAfterStop = 0;
    let reaps = 0;
    const queue: JobQueue = {
      ...real,
      async reapExpired() {
        if (++reaps === 2) {
          inReap.open();
          await resume.opened;
        }
        return real.reapExpired();
      },
      async claim(...args) {
        if (stopCalled) claimsAfterStop++;
        return real.claim(...args);
      },
    };
    worker = createWorker({
      queue,
      definitions: new Map(),
      clock: systemClock,
      log: silentLogger,
      instanceId: 'w',
      concurrency: 1,
      pollMs: 10,
      reapEveryMs: 0,
    });
    await worker.start();
    await inReap.opened; // the loop is between polls, about to claim
    stopCalled = true;
    const stopped = worker.stop(1000);
    resume.open();
    await stopped;
    worker = undefined;
    expect(claimsAfterStop).toBe(0);
  });

  it('a job that times out during the grace period is recorded as a failed attempt, not left running', async () => {
    db = await createTestDb();
    await migrate(db);
    const job = defineJob(jobType('test.stuck', z.object({})), {
      timeoutMs: 100,
      backoff: { baseMs: 60_000, capMs: 60_000 },
      async handle() {
        await sleep(3_000); // ignores its signal: outlives its timeout, in real time
      },
    });
    const system = createJobSystem({ ...systemOptions(), db, definitions: [job] });
    worker = system.createWorker();
    const { id } = await db.tx((ctx) => system.queue.enqueue(ctx, testJob('test.stuck'), {}));
    await worker.start();
    await until('the job running', async () => (await system.admin.stats()).counts.running >= 1);
    await worker.stop(1_000); // the timeout (100 ms) comes first
    worker = undefined;
    expect(await system.admin.get(id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      lockedBy: null,
      lastError: 'timed out after 100 ms',
    });
  });

  it('fails a job that outlives its timeout, aborting its signal, and retries it later', async () => {
    db = await createTestDb();
    await migrate(db);
    let aborted = false;
    const job = defineJob(jobType('test.stuck', z.object({})), {
      timeoutMs: 50,
      backoff: { baseMs: 60_000, capMs: 60_000 },
      async handle(_p, { signal }) {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        aborted = true;
        await sleep(1000); // goes on after the abort, in real time: its outcome must not count
      },
    });
    const system = createJobSystem({
      db,
      clock: systemClock,
      log: silentLogger,
      definitions: [job],
      schedules: [],
      instanceId: 'w',
      concurrency: 1,
      retentionDays: 14,
      pollMs: 20,
    });
    worker = system.createWorker();
    const { id } = await db.tx((ctx) => system.queue.enqueue(ctx, testJob('test.stuck'), {}));
    await worker.start();
    await until(
      'the timed-out attempt recorded',
      async () => (await system.admin.get(id))?.lastError != null,
    );
    expect(aborted).toBe(true);
    const after = await system.admin.get(id);
    expect(after).toMatchObject({ status: 'queued', attempts: 1, lastError: 'timed out after 50 ms' });
    expect(after!.runAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
  });

  it('a job whose lease another process took is aborted, logged, and its outcome not written', async () => {
    db = await createTestDb();
    await migrate(db);
    const lines: string[] = [];
    let aborted = false;
    let finished = false;
    const job = defineJob(jobType('test.long', z.object({})), {
      async handle(_p, { signal }) {
        await new Promise<void>((resolve) => {
          signal.addEventListener('abort', () => resolve());
          setTimeout(resolve, 3_000); // a long job, unless aborted first
        });
        aborted = signal.aborted;
        finished = true;
      },
    });
    const system = createJobSystem({
      ...systemOptions(),
      db,
      log: createLogger({ level: 'warn', write: (l) => lines.push(l) }),
      definitions: [job],
      leaseMs: 150,
    });
    worker = system.createWorker();
    const { id } = await db.tx((ctx) => system.queue.enqueue(ctx, testJob('test.long'), {}));
    await worker.start();
    await until('the job running', async () => (await system.admin.stats()).counts.running >= 1);
    // As if the lease had run out and another process had claimed the job.
    await db.tx((ctx) =>
      ctx.db.update(ctx.t.jobs).set({ lockedBy: 'thief', attempts: 2 }).where(eq(ctx.t.jobs.id, id)),
    );
    await until('the handler to end', async () => finished);
    expect(aborted).toBe(true);
    await worker.stop(1_000);
    worker = undefined;
    expect(await system.admin.get(id)).toMatchObject({ status: 'running', lockedBy: 'thief', attempts: 2 });
    const warning = lines.map((l) => JSON.parse(l)).find((l) => l.msg.startsWith('lease lost'));
    expect(warning).toMatchObject({ level: 'warn', jobId: id, job: 'test.long' });
  });

  it('two workers with the same configured id on one database never release each other’s jobs', async () => {
    db = await createTestDb();
    await migrate(db);
    const other = await secondHandle(db); // a second connection, as a second process would have
    const done = gate();
    let runs = 0;
    const job = defineJob(jobType('test.long', z.object({})), {
      async handle() {
        runs++;
        await done.opened;
      },
    });
    const a = createJobSystem({ ...systemOptions(), db, definitions: [job], instanceId: 'host-worker' });
    const b = createJobSystem({
      ...systemOptions(),
      db: other.db,
      definitions: [job],
      instanceId: 'host-worker',
    });
    const wa = a.createWorker();
    const wb = b.createWorker();
    try {
      const { id } = await db.tx((ctx) => a.queue.enqueue(ctx, testJob('test.long'), {}));
      await wa.start();
      await until(
        'the first worker running the job',
        async () => (await a.admin.stats()).counts.running >= 1,
      );
      await wb.start();
      expect([wa.instanceId, wb.instanceId]).toEqual(['host-worker', 'host-worker-2']);
      expect(await a.admin.get(id)).toMatchObject({
        status: 'running',
        attempts: 1,
        lockedBy: 'host-worker',
      });
      done.open();
      await until('the job succeeded', async () => (await a.admin.get(id))?.status === 'succeeded');
      expect(await a.admin.get(id)).toMatchObject({
        status: 'succeeded',
        attempts: 1,
        lockedBy: 'host-worker',
      });
      expect(runs).toBe(1);
    } finally {
      done.open();
      await Promise.all([wa.stop(1000), wb.stop(1000)]);
      await other.close();
    }
  });

  it('renews the lease of a long job so nobody else takes it', async () => {
    db = await createTestDb();
    await migrate(db);
    let runs = 0;
    const job = defineJob(jobType('test.long', z.object({})), {
      async handle() {
        runs++;
        await sleep(600); // outlives its 150 ms lease several times over, in real time
      },
    });
    const make = (id: string) =>
      createJobSystem({
        db,
        clock: systemClock,
        log: silentLogger,
        definitions: [job],
        schedules: [],
        instanceId: id,
        concurrency: 1,
        retentionDays: 14,
        pollMs: 20,
        leaseMs: 150,
        reapEveryMs: 20,
      });
    const a = make('a');
    const b = make('b');
    const [wa, wb] = [a.createWorker(), b.createWorker()];
    const { id } = await db.tx((ctx) => a.queue.enqueue(ctx, testJob('test.long'), {}));
    await wa.start();
    await until('worker a running the job', async () => (await a.admin.get(id))?.lockedBy === 'a');
    await wb.start();
    await until('the job succeeded', async () => (await a.admin.get(id))?.status === 'succeeded');
    await Promise.all([wa.stop(1000), wb.stop(1000)]);
    expect(runs).toBe(1);
    expect(await a.admin.get(id)).toMatchObject({ status: 'succeeded', attempts: 1, lockedBy: 'a' });
  });
});
