import { describe, expect, it } from 'vitest';
import { bothDialects } from '../testing/db.ts';
import { testJob } from '../testing/jobs.ts';
import { queueBench } from '../testing/queue-bench.ts';

/** Enqueueing in the caller's transaction, unique keys, and what a claim takes, in which order. */
describe.each(bothDialects)('enqueueing and claiming jobs on %s', (dialect) => {
  const { db, clock, T0, queue, admin } = queueBench(dialect);

  it('enqueues inside the caller’s transaction: a rolled-back change leaves no job', async () => {
    const q = queue();
    await expect(
      db().tx(async (ctx) => {
        await ctx.db.insert(ctx.t.settings).values({ key: 'x', value: 1, updatedAt: clock.now() });
        await q.enqueue(ctx, testJob('mail.send-confirmation'), { appointmentId: 'a1' });
        throw new Error('booking failed');
      }),
    ).rejects.toThrow('booking failed');
    expect(await admin().list()).toEqual([]);
    const { id } = await db().tx((ctx) =>
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
    const a = await db().tx((ctx) =>
      q.enqueue(ctx, testJob('reminders.send'), { id: 1 }, { uniqueKey: 'reminder:1:24h' }),
    );
    const b = await db().tx((ctx) =>
      q.enqueue(ctx, testJob('reminders.send'), { id: 1 }, { uniqueKey: 'reminder:1:24h' }),
    );
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false });
    const [claimed] = await q.claim('w1', 1, 30_000);
    const c = await db().tx((ctx) =>
      q.enqueue(ctx, testJob('reminders.send'), { id: 1 }, { uniqueKey: 'reminder:1:24h' }),
    );
    expect(c).toEqual({ id: a.id, created: false }); // running is still live
    await q.complete('w1', [claimed!.id]);
    const d = await db().tx((ctx) =>
      q.enqueue(ctx, testJob('reminders.send'), { id: 1 }, { uniqueKey: 'reminder:1:24h' }),
    );
    expect(d.created).toBe(true);
    expect(d.id).not.toBe(a.id);
  });

  it('claims due jobs by priority then run time, with a lease, counting the attempt', async () => {
    const q = queue();
    await db().tx(async (ctx) => {
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

  it('a claim records the jobs that finished meanwhile in its own transaction, only those it owns', async () => {
    const q = queue();
    await db().tx(async (ctx) => {
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

  it('a claim takes ended leases first, then the best queued jobs, never more than asked', async () => {
    const q = queue();
    await db().tx(async (ctx) => {
      await q.enqueue(ctx, testJob('a.crashed-1'), {});
      await q.enqueue(ctx, testJob('a.crashed-2'), {});
    });
    expect(await q.claim('dead-worker', 2, 1_000)).toHaveLength(2);
    await db().tx(async (ctx) => {
      await q.enqueue(ctx, testJob('a.background'), {}, { priority: 5 });
      await q.enqueue(ctx, testJob('a.urgent'), {}, { priority: -1 });
      await q.enqueue(ctx, testJob('a.normal'), {});
    });
    clock.advance(2_000);
    const first = await q.claim('w2', 3, 30_000);
    expect(first.map((j) => j.name).sort()).toEqual(['a.crashed-1', 'a.crashed-2', 'a.urgent']);
    expect((await q.claim('w2', 5, 30_000)).map((j) => j.name)).toEqual(['a.normal', 'a.background']);
  });
});
