import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { execute } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { fixedClock } from '../lib/clock.ts';
import { silentLogger } from '../lib/log.ts';
import { bothDialects, createTestDb, type TestDb } from '../testing/db.ts';
import { testJob } from '../testing/jobs.ts';
import { until } from '../testing/wait.ts';
import { jobAdmin } from './admin.ts';
import { createJobSystem } from './index.ts';
import { createJobQueue, type JobQueue } from './queue.ts';
import { createScheduler } from './schedule.ts';
import { defineJob, type JobDefinition, jobType, PermanentJobError } from './types.ts';
import { createWorker } from './worker.ts';

describe.each(bothDialects)('the job queue on %s', (dialect) => {
  let db: TestDb;
  const clock = fixedClock('2026-03-02T09:00:00Z');
  const T0 = clock.now().getTime();
  beforeAll(async () => {
    db = await createTestDb(dialect);
    await migrate(db);
  });
  afterAll(() => db.destroy());
  beforeEach(async () => {
    clock.set(new Date(T0));
    await db.tx((ctx) => execute(ctx, sql`delete from jobs`));
    await db.tx((ctx) => execute(ctx, sql`delete from job_schedules`));
  });
  const queue = () => createJobQueue({ db, clock });
  const admin = () => jobAdmin({ db, clock });
  /** A worker on `q` for `job` alone, on the test's clock, polling every 10 ms (one slot unless told). */
  const workerFor = (
    q: JobQueue,
    job: JobDefinition<any>,
    options: { concurrency?: number; random?: () => number } = {},
  ) =>
    createWorker({
      queue: q,
      definitions: new Map([[job.name, job]]),
      clock,
      log: silentLogger,
      instanceId: 'w1',
      concurrency: options.concurrency ?? 1,
      pollMs: 10,
      ...(options.random ? { random: options.random } : {}),
    });

  it('enqueues inside the caller’s transaction: a rolled-back change leaves no job', async () => {
    const q = queue();
    await expect(
      db.tx(async (ctx) => {
        await ctx.db.insert(ctx.t.settings).values({ key: 'x', value: 1, updatedAt: clock.now() });
        await q.enqueue(ctx, testJob('mail.send-confirmation'), { appointmentId: 'a1' });
        throw new Error('booking failed');
      }),
    ).rejects.toThrow('booking failed');
    expect(await admin().list()).toEqual([]);
    const { id } = await db.tx((ctx) =>
      q.enqueue(ctx, testJob('mail.send-confirmation'), { appointmentId: 'a1' }, { requestId: 'r1' }),
    );
    expect(await admin().get(id)).toMatchObject({
      name: 'mail.send-confirmation',
      payload: { appointmentId: 'a1' },
      status: 'queued',
      attempts: 0,
      maxAttempts: 5,
      requestId: 'r1',
      runAt: clock.now(),
    });
  });

  it('a live unique key returns the existing job; a finished one allows a new job', async () => {
    const q = queue();
    const a = await db.tx((ctx) =>
      q.enqueue(ctx, testJob('reminders.send'), { id: 1 }, { uniqueKey: 'reminder:1:24h' }),
    );
    const b = await db.tx((ctx) =>
      q.enqueue(ctx, testJob('reminders.send'), { id: 1 }, { uniqueKey: 'reminder:1:24h' }),
    );
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false });
    const [claimed] = await q.claim('w1', 1, 30_000);
    const c = await db.tx((ctx) =>
      q.enqueue(ctx, testJob('reminders.send'), { id: 1 }, { uniqueKey: 'reminder:1:24h' }),
    );
    expect(c).toEqual({ id: a.id, created: false }); // running is still live
    await q.complete('w1', [claimed!.id]);
    const d = await db.tx((ctx) =>
      q.enqueue(ctx, testJob('reminders.send'), { id: 1 }, { uniqueKey: 'reminder:1:24h' }),
    );
    expect(d.created).toBe(true);
    expect(d.id).not.toBe(a.id);
  });

  it('claims due jobs by priority then run time, with a lease, counting the attempt', async () => {
    const q = queue();
    await db.tx(async (ctx) => {
      await q.enqueue(ctx, testJob('a.later'), {}, { runAt: new Date(T0 + 60_000) });
      await q.enqueue(ctx, testJob('a.background'), {}, { priority: 5 });
      await q.enqueue(ctx, testJob('a.normal'), {});
      await q.enqueue(ctx, testJob('a.urgent'), {}, { priority: -1 });
    });
    const claimed = await q.claim('w1', 10, 120_000);
    expect(claimed.map((j) => j.name)).toEqual(['a.urgent', 'a.normal', 'a.background']);
    expect(claimed[0]).toMatchObject({
      status: 'running',
      attempts: 1,
      lockedBy: 'w1',
      leaseUntil: new Date(T0 + 120_000),
    });
    expect(await q.claim('w2', 10, 30_000)).toEqual([]);
    clock.advance(60_000);
    expect((await q.claim('w2', 10, 30_000)).map((j) => j.name)).toEqual(['a.later']);
  });

  it('an expired lease makes the job claimable again, and the old owner can no longer finish it', async () => {
    const q = queue();
    await db.tx((ctx) => q.enqueue(ctx, testJob('a.job'), {}));
    const [job] = await q.claim('dead-worker', 1, 30_000);
    clock.advance(29_000);
    expect(await q.reapExpired()).toBe(0);
    clock.advance(2_000);
    expect(await q.reapExpired()).toBe(1);
    const [again] = await q.claim('w2', 1, 30_000);
    expect(again).toMatchObject({ id: job!.id, attempts: 2, lockedBy: 'w2' });
    expect(await q.complete('dead-worker', [job!.id])).toBe(0);
    expect(await q.complete('w2', [job!.id])).toBe(1);
    expect(await admin().get(job!.id)).toMatchObject({ status: 'succeeded', finishedAt: clock.now() });
  });

  it('a claim records the jobs that finished meanwhile in its own transaction, only those it owns', async () => {
    const q = queue();
    await db.tx(async (ctx) => {
      for (const n of [1, 2, 3, 4]) await q.enqueue(ctx, testJob(`a.job${n}`), {});
    });
    const [a, b] = await q.claim('w1', 2, 30_000);
    const [other] = await q.claim('w2', 1, 30_000);
    const next = await q.claim('w1', 5, 30_000, [a!.id, b!.id, other!.id]);
    expect(next.map((j) => j.name)).toEqual(['a.job4']);
    expect(await admin().get(a!.id)).toMatchObject({ status: 'succeeded', finishedAt: clock.now() });
    expect(await admin().get(b!.id)).toMatchObject({ status: 'succeeded' });
    expect(await admin().get(other!.id)).toMatchObject({ status: 'running', lockedBy: 'w2' });
    // Nothing to claim, or no room: the finished jobs are recorded all the same.
    expect(await q.claim('w1', 0, 30_000, [next[0]!.id])).toEqual([]);
    expect(await admin().get(next[0]!.id)).toMatchObject({ status: 'succeeded' });
  });

  it('a job whose lease ended is claimable at once, without waiting for a reaper pass', async () => {
    const q = queue();
    const { id } = await db.tx((ctx) => q.enqueue(ctx, testJob('a.job'), {}));
    const { id: last } = await db.tx((ctx) => q.enqueue(ctx, testJob('a.last'), {}, { maxAttempts: 1 }));
    expect(await q.claim('dead-worker', 2, 30_000)).toHaveLength(2);
    clock.advance(30_000);
    expect(await q.claim('w2', 10, 30_000)).toEqual([]); // the lease ends at T0+30s: not before
    clock.advance(1);
    const claimed = await q.claim('w2', 10, 30_000);
    expect(claimed.map((j) => [j.id, j.attempts, j.lockedBy, j.lastError])).toEqual([
      [id, 2, 'w2', expect.stringMatching(/lease expired/)],
    ]);
    // Out of attempts: not claimable; the reaper buries it.
    expect(await admin().get(last)).toMatchObject({ status: 'running', attempts: 1 });
    expect(await q.reapExpired()).toBe(1);
    expect(await admin().get(last)).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: expect.stringMatching(/lease expired/),
    });
    expect(await q.complete('dead-worker', [id])).toBe(0);
    expect(await q.complete('w2', [id])).toBe(1);
  });

  it('a claim takes ended leases first, then the best queued jobs, never more than asked', async () => {
    const q = queue();
    await db.tx(async (ctx) => {
      await q.enqueue(ctx, testJob('a.crashed-1'), {});
      await q.enqueue(ctx, testJob('a.crashed-2'), {});
    });
    expect(await q.claim('dead-worker', 2, 1_000)).toHaveLength(2);
    await db.tx(async (ctx) => {
      await q.enqueue(ctx, testJob('a.background'), {}, { priority: 5 });
      await q.enqueue(ctx, testJob('a.urgent'), {}, { priority: -1 });
      await q.enqueue(ctx, testJob('a.normal'), {});
    });
    clock.advance(2_000);
    const first = await q.claim('w2', 3, 30_000);
    expect(first.map((j) => j.name).sort()).toEqual(['a.crashed-1', 'a.crashed-2', 'a.urgent']);
    expect((await q.claim('w2', 5, 30_000)).map((j) => j.name)).toEqual(['a.normal', 'a.background']);
  });

  it('an expired lease on the last attempt is dead, with the reason kept', async () => {
    const q = queue();
    await db.tx((ctx) => q.enqueue(ctx, testJob('a.job'), {}, { maxAttempts: 1 }));
    await q.claim('w1', 1, 1000);
    clock.advance(2000);
    await q.reapExpired();
    expect((await admin().list())[0]).toMatchObject({
      status: 'dead',
      lastError: expect.stringMatching(/lease expired/),
    });
  });

  it('at start-up, jobs held by an earlier process with the same instance id are released at once', async () => {
    const q = queue();
    await db.tx((ctx) => q.enqueue(ctx, testJob('a.job'), {}));
    await q.claim('host-serve', 1, 60_000);
    expect(await q.releaseStale('other-instance')).toBe(0);
    expect(await q.releaseStale('host-serve')).toBe(1);
    expect(await q.claim('host-serve', 1, 60_000)).toHaveLength(1);
  });

  it('releasing at shutdown does not count the attempt', async () => {
    const q = queue();
    await db.tx((ctx) => q.enqueue(ctx, testJob('a.job'), {}));
    const [job] = await q.claim('w1', 1, 60_000);
    expect(await q.release('w1', [job!.id])).toBe(1);
    expect(await admin().get(job!.id)).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });
  });

  it('retries with exponential backoff and jitter, then dead-letters with the last error', async () => {
    const q = queue();
    let calls = 0;
    const flaky = defineJob(jobType('test.flaky', z.object({ n: z.number() })), {
      maxAttempts: 3,
      backoff: { baseMs: 1000, capMs: 10_000 },
      async handle() {
        calls++;
        throw new Error(`provider answered 500 (call ${calls})`);
      },
    });
    const worker = workerFor(q, flaky, { random: () => 0.5 });
    const { id } = await db.tx((ctx) => q.enqueue(ctx, testJob('test.flaky'), { n: 1 }, { maxAttempts: 3 }));
    await worker.start();
    /** The job queued again after its `attempts`th try. */
    const failedTry = (attempts: number) =>
      until(`try ${attempts} recorded`, async () => {
        const job = await admin().get(id);
        return job?.attempts === attempts && job.status === 'queued';
      });
    await failedTry(1);
    // attempt 1 failed: wait = 1000/2 + 0.5 * 1000/2 = 750 ms
    expect(await admin().get(id)).toMatchObject({
      status: 'queued',
      runAt: new Date(T0 + 750),
      lastError: 'provider answered 500 (call 1)',
    });
    clock.advance(750);
    await failedTry(2);
    // attempt 2 failed: wait = 2000/2 + 0.5 * 2000/2 = 1500 ms
    expect((await admin().get(id))?.runAt).toEqual(new Date(T0 + 750 + 1500));
    clock.advance(1500);
    await until('the job dead', async () => (await admin().get(id))?.status === 'dead');
    await worker.stop(1000);
    expect(await admin().get(id)).toMatchObject({
      status: 'dead',
      attempts: 3,
      lastError: 'provider answered 500 (call 3)',
    });
    expect(calls).toBe(3);
  });

  it('backoff stops growing at its cap (fixed clock, jitter at its middle and at its top)', async () => {
    const q = queue();
    const capped = defineJob(jobType('test.capped', z.object({})), {
      maxAttempts: 6,
      backoff: { baseMs: 1000, capMs: 4000 },
      async handle() {
        throw new Error('still down');
      },
    });
    let jitter = 0.5;
    const worker = workerFor(q, capped, { random: () => jitter });
    const { id } = await db.tx((ctx) => q.enqueue(ctx, testJob('test.capped'), {}, { maxAttempts: 6 }));
    await worker.start();
    const waits: number[] = [];
    try {
      for (let attempt = 1; attempt <= 5; attempt++) {
        if (attempt === 5) jitter = 1;
        const job = await until(`try ${attempt} recorded`, async () => {
          const j = await admin().get(id);
          return j?.attempts === attempt && j.status === 'queued' && j;
        });
        waits.push(job.runAt.getTime() - clock.now().getTime());
        clock.set(job.runAt);
      }
    } finally {
      await worker.stop(1000);
    }
    // exp = 1000, 2000, 4000, then the cap 4000: half fixed, half jitter (0.5, then 1 on the last)
    expect(waits).toEqual([750, 1500, 3000, 3000, 4000]);
  });

  it('dead-letters at once: an unknown job name, an invalid payload, a permanent error', async () => {
    const q = queue();
    const permanent = defineJob(jobType('test.permanent', z.object({ to: z.string().email() })), {
      async handle() {
        throw new PermanentJobError('550 mailbox unavailable');
      },
    });
    const worker = workerFor(q, permanent, { concurrency: 4 });
    const ids = await db.tx(async (ctx) => [
      (await q.enqueue(ctx, testJob('nobody.handles-this'), {})).id,
      (await q.enqueue(ctx, testJob('test.permanent'), { to: 'not-an-email' })).id,
      (await q.enqueue(ctx, testJob('test.permanent'), { to: 'pat@example.org' })).id,
    ]);
    await worker.start();
    await until('three dead jobs', async () => (await admin().stats()).counts.dead >= 3);
    await worker.stop(1000);
    const [unknown, invalid, failed] = await Promise.all(ids.map((id) => admin().get(id)));
    expect(unknown).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: 'no handler is registered for job name "nobody.handles-this"',
    });
    expect(invalid).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: expect.stringMatching(/^invalid payload: to /),
    });
    expect(failed).toMatchObject({ status: 'dead', attempts: 1, lastError: '550 mailbox unavailable' });
  });

  it('operates: stats with the oldest due age and backlog, retry, cancel, prune', async () => {
    const q = queue();
    const ids = await db.tx(async (ctx) => [
      (await q.enqueue(ctx, testJob('a.one'), {})).id,
      (await q.enqueue(ctx, testJob('a.two'), {}, { maxAttempts: 1 })).id,
      (await q.enqueue(ctx, testJob('a.three'), {})).id,
      (await q.enqueue(ctx, testJob('a.future'), {}, { runAt: new Date(T0 + 3_600_000) })).id,
    ]);
    clock.advance(400_000);
    expect(await admin().stats()).toEqual({
      counts: { queued: 4, running: 0, succeeded: 0, dead: 0, cancelled: 0 },
      oldestDueSeconds: 400,
      backlog: true,
    });
    const claimed = await q.claim('w1', 2, 30_000);
    await q.complete('w1', [claimed[0]!.id]);
    await q.fail('w1', claimed[1]!.id, 'boom', null);
    expect(await admin().cancel(ids[2]!)).toBe(true);
    expect(await admin().cancel(ids[0]!)).toBe(false); // succeeded: nothing to cancel
    expect((await admin().stats()).counts).toEqual({
      queued: 1,
      running: 0,
      succeeded: 1,
      dead: 1,
      cancelled: 1,
    });
    expect((await admin().list({ status: 'dead' })).map((j) => j.id)).toEqual([ids[1]]);
    expect((await admin().list({ name: 'a.three' })).map((j) => j.status)).toEqual(['cancelled']);
    expect(await admin().retry(ids[1]!)).toBe('queued');
    expect(await admin().get(ids[1]!)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await admin().retryAllDead()).toEqual({ retried: 0, skipped: 0 });
    clock.advance(86_400_000);
    expect(await admin().pruneFinished(new Date(clock.now().getTime() - 3_600_000))).toBe(2);
    expect((await admin().list()).map((j) => j.name).sort()).toEqual(['a.future', 'a.two']);
  });

  it('retrying skips a dead job whose unique key a live job holds, and says so', async () => {
    const q = queue();
    const dead = async (key: string | undefined, name = 'a.job') => {
      const { id } = await db.tx((ctx) =>
        q.enqueue(ctx, testJob(name), {}, { maxAttempts: 1, ...(key ? { uniqueKey: key } : {}) }),
      );
      const [job] = await q.claim('w1', 1, 30_000);
      expect(job!.id).toBe(id);
      await q.fail('w1', id, 'boom', null);
      return id;
    };
    const clashing = await dead('reminder:1');
    const older = await dead('reminder:2');
    const newer = await dead('reminder:2'); // two dead jobs for one key: only one can be queued
    const free = await dead(undefined);
    const { id: live } = await db.tx((ctx) =>
      q.enqueue(ctx, testJob('a.job'), {}, { uniqueKey: 'reminder:1' }),
    );

    await expect(admin().retry(clashing)).resolves.toBe('key-taken');
    expect(await admin().get(clashing)).toMatchObject({ status: 'dead' });
    expect(await admin().retryAllDead()).toEqual({ retried: 2, skipped: 2 });
    expect(await admin().get(newer)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await admin().get(free)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await admin().get(older)).toMatchObject({ status: 'dead' });
    expect(await admin().get(clashing)).toMatchObject({ status: 'dead' });
    expect(await admin().retry(older)).toBe('key-taken');

    await db.tx((ctx) => q.cancelQueued(ctx, 'reminder:1'));
    expect(await admin().get(live)).toMatchObject({ status: 'cancelled' });
    expect(await admin().retry(clashing)).toBe('queued');
    expect(await admin().retry(clashing)).toBe('not-retryable');
    expect(await admin().retry(999_999)).toBe('not-retryable');
  });

  it('retry, retry-all and cancel run the caller’s write (the audit row) in their transaction', async () => {
    const q = queue();
    const { id: deadId } = await db.tx((ctx) => q.enqueue(ctx, testJob('a.job'), {}, { maxAttempts: 1 }));
    await q.claim('w1', 1, 30_000);
    await q.fail('w1', deadId, 'boom', null);
    const { id: queuedId } = await db.tx((ctx) => q.enqueue(ctx, testJob('a.other'), {}));
    const failing = { inTx: async () => Promise.reject(new Error('audit write failed')) };
    await expect(admin().retry(deadId, failing)).rejects.toThrow('audit write failed');
    await expect(admin().retryAllDead(failing)).rejects.toThrow('audit write failed');
    await expect(admin().cancel(queuedId, failing)).rejects.toThrow('audit write failed');
    expect(await admin().get(deadId)).toMatchObject({ status: 'dead' }); // rolled back with it
    expect(await admin().get(queuedId)).toMatchObject({ status: 'queued' });

    const written: string[] = [];
    const audit = (what: string) => ({
      inTx: async (ctx: { dialect: string }) => {
        written.push(`${what} on ${ctx.dialect}`);
      },
    });
    expect(await admin().cancel(queuedId, audit('cancel'))).toBe(true);
    expect(await admin().cancel(queuedId, audit('cancel again'))).toBe(false); // no change, no row
    expect(await admin().retryAllDead(audit('retry all'))).toEqual({ retried: 1, skipped: 0 });
    expect(await admin().retryAllDead(audit('nothing to retry'))).toEqual({ retried: 0, skipped: 0 });
    expect(await admin().retry(queuedId, audit('retry'))).toBe('queued');
    expect(written).toEqual([`cancel on ${dialect}`, `retry all on ${dialect}`, `retry on ${dialect}`]);
  });

  it('--job-retention: the scheduled jobs.prune-finished job deletes finished jobs older than it, not dead ones', async () => {
    clock.set('2026-03-02T03:16:30Z'); // the schedule is 17 3 * * *
    // Done once the worker's loop has been round once, due schedules enqueued first.
    const marker = defineJob(jobType('test.marker', z.object({})), { async handle() {} });
    const system = createJobSystem({
      db,
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
      const [row] = await db.tx(({ db: q, t }) =>
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
    const { id: markerId } = await db.tx((ctx) => system.queue.enqueue(ctx, marker, {}));
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
    const a = createScheduler({ db, queue: q, clock, log: silentLogger, schedules });
    const b = createScheduler({ db, queue: q, clock, log: silentLogger, schedules });
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
