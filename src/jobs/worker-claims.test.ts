import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../db/client.ts';
import { suiteDialect } from '../testing/db.ts';
import { testJob } from '../testing/jobs.ts';
import { gate, sleep, until } from '../testing/wait.ts';
import { workerBench } from '../testing/worker-bench.ts';

/** How the worker claims and runs jobs: every one once, batches sized to how quick jobs are, woken at once. */
describe(`the worker’s claims on ${suiteDialect()}, in real time`, () => {
  const bench = workerBench();

  it('runs every enqueued job once and records success', async () => {
    const seen: number[] = [];
    const { db, system, worker } = await bench.setup(
      async (n) => {
        seen.push(n);
      },
      { concurrency: 8 },
    );
    await worker.start();
    await Promise.all(
      Array.from({ length: 300 }, (_, n) =>
        db.tx((ctx) => system.queue.enqueue(ctx, testJob('test.work'), { n })),
      ),
    );
    await until('300 jobs succeeded', async () => (await system.admin.stats()).counts.succeeded >= 300);
    expect((await system.admin.stats()).counts).toMatchObject({ succeeded: 300, queued: 0, running: 0 });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, n) => n));
  });

  it('quick jobs: claims more than its free slots (one commit for a large batch), never runs more than its concurrency', async () => {
    const { claims, stats, runBatch } = await bench.watched(() => Promise.resolve(), 2);
    await runBatch(400);
    expect(await bench.countOf('succeeded')).toBe(400);
    expect(stats.most).toBeLessThanOrEqual(2);
    expect(claims[0]).toBe(2); // nothing known of the jobs yet: no more than the free slots
    expect(Math.max(...claims)).toBe(8); // then quick: up to two to run and six (3 × 2) more in hand
  });

  it('slow jobs: holds none back from other workers (no claim beyond the free slots)', async () => {
    const { claims, stats, runBatch } = await bench.watched(async () => {
      await sleep(15); // a slow job: real time spent is what makes it slow
    }, 2);
    await runBatch(12);
    expect(await bench.countOf('succeeded')).toBe(12);
    expect(stats.most).toBe(2);
    expect(Math.max(...claims)).toBeLessThanOrEqual(2);
  });

  it('a finished job is recorded at once even while jobs are held in hand (a crash repeats only running ones)', async () => {
    const held = gate();
    const { db, system } = await bench.setup(
      async (n) => {
        if (n === 101) await held.opened;
      },
      { concurrency: 1 },
    );
    await bench.startWithQuickJobs(system);
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

  it('wakes at once on an enqueue in the same process (no waiting for the poll)', async () => {
    let startedAt = 0;
    const { db, queue, claimsMade, worker } = await bench.watched(
      async () => {
        startedAt = performance.now();
      },
      4,
      10_000,
    );
    await worker.start();
    // Its first claim found nothing: idle, asleep until the next poll in ~10 s.
    await until('the worker’s first claim', async () => claimsMade() > 0);
    const t0 = performance.now();
    await db.tx((ctx) => queue.enqueue(ctx, testJob('test.work'), { n: 1 }));
    await until('the job started', async () => startedAt > 0);
    expect(startedAt - t0).toBeLessThan(1000);
  });
});
