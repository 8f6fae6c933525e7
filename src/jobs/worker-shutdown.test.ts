import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { queryRows } from '../db/client.ts';
import { systemClock } from '../lib/clock.ts';
import { suiteDialect } from '../testing/db.ts';
import { testJob } from '../testing/jobs.ts';
import { gate, sleep, until } from '../testing/wait.ts';
import { systemOptions, workerBench, workerOn } from '../testing/worker-bench.ts';
import { createJobSystem, defineJob, jobType } from './index.ts';
import { createJobQueue, type JobQueue } from './queue.ts';

/** stop(graceMs): what runs may finish in time, the rest is handed back uncounted, and no claim starts. */
describe(`the worker’s shutdown on ${suiteDialect()}, in real time`, () => {
  const bench = workerBench();

  it('shutdown hands back the jobs held in hand, uncounted, and runs none of them', async () => {
    const started: number[] = [];
    const first = gate();
    const { db, system } = await bench.setup(
      async (n) => {
        started.push(n);
        if (n >= 100) await first.opened; // the second batch waits: the rest stays in hand
      },
      { concurrency: 1 },
    );
    await bench.startWithQuickJobs(system);
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
    const stopping = bench.stop(200);
    first.open();
    await stopping;
    expect(started.filter((n) => n >= 100)).toHaveLength(1);
    const back = await queryRows<{ attempts: number; status: string }>(
      db.reader,
      sql`select attempts, status from jobs where status = 'queued'`,
    );
    expect(back).toHaveLength(3);
    expect(back.every((j) => Number(j.attempts) === 0)).toBe(true);
  });

  it('shutdown lets a job finish within the grace period and releases one that does not, uncounted', async () => {
    let finished = 0;
    let entered = 0;
    const bothRunning = gate();
    const { db, system, worker } = await bench.setup(
      async (n) => {
        // Both in hand before either's time starts: a 50 ms job could otherwise be over before a
        // poll saw two running, and the wait for two would never end (a flake under load).
        if (++entered === 2) bothRunning.open();
        await bothRunning.opened;
        await sleep(n); // a job of n ms: which fits the grace period is what is tested
        finished++;
      },
      { concurrency: 2 },
    );
    const ids = await db.tx(async (ctx) => [
      (await system.queue.enqueue(ctx, testJob('test.work'), { n: 50 })).id,
      (await system.queue.enqueue(ctx, testJob('test.work'), { n: 5_000 })).id,
    ]);
    await worker.start();
    await bothRunning.opened;
    expect((await system.admin.stats()).counts.running).toBe(2);
    await bench.stop(500);
    expect(finished).toBe(1);
    expect(await system.admin.get(ids[0]!)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(await system.admin.get(ids[1]!)).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });
  });

  it('shutdown during a claim releases the jobs just claimed, uncounted, and runs none of them', async () => {
    const db = await bench.database();
    const real = createJobQueue({ db, clock: systemClock });
    let ran = 0;
    const job = defineJob(jobType('test.work', z.object({})), {
      async handle() {
        ran++;
      },
    });
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
    const worker = bench.use(workerOn(queue, [job], { instanceId: 'w', concurrency: 4, pollMs: 20 }));
    const ids = await db.tx(async (ctx) => [
      (await real.enqueue(ctx, testJob('test.work'), {})).id,
      (await real.enqueue(ctx, testJob('test.work'), {})).id,
    ]);
    await worker.start();
    await inClaim.opened;
    const stopped = bench.stop(1000);
    resume.open();
    await stopped;
    expect(ran).toBe(0);
    const admin = createJobSystem({ ...systemOptions(), db }).admin;
    for (const id of ids)
      expect(await admin.get(id)).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });
  });

  it('shutdown stops claiming: no claim starts once stop() is called', async () => {
    const db = await bench.database();
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
    const worker = bench.use(
      workerOn(queue, [], { instanceId: 'w', concurrency: 1, pollMs: 10, reapEveryMs: 0 }),
    );
    await worker.start();
    await inReap.opened; // the loop is between polls, about to claim
    stopCalled = true;
    const stopped = bench.stop(1000);
    resume.open();
    await stopped;
    expect(claimsAfterStop).toBe(0);
  });

  it('a job that times out during the grace period is recorded as a failed attempt, not left running', async () => {
    const db = await bench.database();
    const job = defineJob(jobType('test.stuck', z.object({})), {
      timeoutMs: 100,
      backoff: { baseMs: 60_000, capMs: 60_000 },
      async handle() {
        await sleep(3_000); // ignores its signal: outlives its timeout, in real time
      },
    });
    const system = createJobSystem({ ...systemOptions(), db, definitions: [job] });
    const worker = bench.use(system.createWorker());
    const { id } = await db.tx((ctx) => system.queue.enqueue(ctx, testJob('test.stuck'), {}));
    await worker.start();
    await until('the job running', async () => (await system.admin.stats()).counts.running >= 1);
    await bench.stop(1_000); // the timeout (100 ms) comes first
    expect(await system.admin.get(id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      lockedBy: null,
      lastError: 'timed out after 100 ms',
    });
  });
});
