import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { silentLogger } from '../lib/log.ts';
import { bothDialects } from '../testing/db.ts';
import { testJob } from '../testing/jobs.ts';
import { queueBench } from '../testing/queue-bench.ts';
import { until } from '../testing/wait.ts';
import { createJobSystem } from './index.ts';
import { createScheduler } from './schedule.ts';
import { defineJob, jobType } from './types.ts';

/** Recurring schedules: the queue's own prune job, and one job per tick however many instances run. */
describe.each(bothDialects)('scheduled jobs on %s', (dialect) => {
  const { db, clock, queue, admin } = queueBench(dialect);

  it('--job-retention: the scheduled jobs.prune-finished job deletes finished jobs older than it, not dead ones', async () => {
    clock.set('2026-03-02T03:16:30Z'); // the schedule is 17 3 * * *
    // Done once the worker's loop has been round once, due schedules enqueued first.
    const marker = defineJob(jobType('test.marker', z.object({})), { async handle() {} });
    const system = createJobSystem({
      db: db(),
      clock,
      log: silentLogger,
      definitions: [marker],
      schedules: [],
      instanceId: 'prune',
      concurrency: 1,
      retentionDays: 14,
      pollMs: 10,
    });
    const day = 86_400_000;
    const finished = async (name: string, status: 'succeeded' | 'cancelled' | 'dead', daysAgo: number) => {
      const at = new Date(clock.now().getTime() - daysAgo * day);
      const [row] = await db().tx(({ db: q, t }) =>
        q
          .insert(t.jobs)
          .values({
            name,
            payload: {},
            status,
            runAt: at,
            maxAttempts: 1,
            attempts: 1,
            createdAt: at,
            finishedAt: at,
          })
          .returning({ id: t.jobs.id }),
      );
      return row!.id;
    };
    const old = await finished('a.old', 'succeeded', 15);
    const oldCancelled = await finished('a.old-cancelled', 'cancelled', 20);
    const recent = await finished('a.recent', 'succeeded', 13);
    const oldDead = await finished('a.old-dead', 'dead', 30);
    const { id: markerId } = await db().tx((ctx) => system.queue.enqueue(ctx, marker, {}));
    const worker = system.createWorker();
    await worker.start();
    try {
      await until(
        'a round of the worker’s loop',
        async () => (await admin().get(markerId))?.status === 'succeeded',
      );
      expect(await admin().list({ name: 'jobs.prune-finished' })).toEqual([]); // not 03:17 yet
      clock.set('2026-03-02T03:17:01Z');
      await until('the prune job succeeded', async () => {
        const [prune] = await admin().list({ name: 'jobs.prune-finished' });
        return prune?.status === 'succeeded';
      });
    } finally {
      await worker.stop(1000);
    }
    expect(await admin().list({ name: 'jobs.prune-finished' })).toMatchObject([{ status: 'succeeded' }]);
    expect(await admin().get(old)).toBeUndefined();
    expect(await admin().get(oldCancelled)).toBeUndefined();
    expect(await admin().get(recent)).toMatchObject({ status: 'succeeded' });
    expect(await admin().get(oldDead)).toMatchObject({ status: 'dead' });
  });

  it('recurring schedules: one job per tick, even with two instances at once', async () => {
    const q = queue();
    const schedules = [{ id: 'test.hourly', cron: '0 * * * *', job: testJob('test.tick') }];
    const a = createScheduler({ db: db(), queue: q, clock, log: silentLogger, schedules });
    const b = createScheduler({ db: db(), queue: q, clock, log: silentLogger, schedules });
    await Promise.all([a.sync(), b.sync()]);
    expect(await Promise.all([a.enqueueDue(), b.enqueueDue()])).toEqual([0, 0]); // 09:00:00 → next is 10:00
    clock.set('2026-03-02T10:00:05Z');
    const counts = await Promise.all([a.enqueueDue(), b.enqueueDue(), a.enqueueDue()]);
    expect(counts.reduce((x, y) => x + y)).toBe(1);
    const jobs = await admin().list({ name: 'test.tick' });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      uniqueKey: 'schedule:test.hourly',
      runAt: new Date('2026-03-02T10:00:00Z'),
    });
    // Down for three hours: the missed ticks collapse into one.
    await q.complete('x', []);
    const [claimed] = await q.claim('w', 1, 1000);
    await q.complete('w', [claimed!.id]);
    clock.set('2026-03-02T13:30:00Z');
    expect(await a.enqueueDue()).toBe(1);
    expect(await a.enqueueDue()).toBe(0);
    expect(await admin().list({ name: 'test.tick' })).toHaveLength(2);
  });
});
