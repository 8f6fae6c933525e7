import { describe, expect, it } from 'vitest';
import { bothDialects } from '../testing/db.ts';
import { testJob } from '../testing/jobs.ts';
import { queueBench } from '../testing/queue-bench.ts';

/** A claim's lease: when it ends the job is claimable again (or dead), and what releases it early. */
describe.each(bothDialects)('the leases of claimed jobs on %s', (dialect) => {
  const { db, clock, queue, admin } = queueBench(dialect);

  it('an expired lease makes the job claimable again, and the old owner can no longer finish it', async () => {
    const q = queue();
    await db().tx((ctx) => q.enqueue(ctx, testJob('a.job'), {}));
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

  it('a job whose lease ended is claimable at once, without waiting for a reaper pass', async () => {
    const q = queue();
    const { id } = await db().tx((ctx) => q.enqueue(ctx, testJob('a.job'), {}));
    const { id: last } = await db().tx((ctx) => q.enqueue(ctx, testJob('a.last'), {}, { maxAttempts: 1 }));
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

  it('an expired lease on the last attempt is dead, with the reason kept', async () => {
    const q = queue();
    await db().tx((ctx) => q.enqueue(ctx, testJob('a.job'), {}, { maxAttempts: 1 }));
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
    await db().tx((ctx) => q.enqueue(ctx, testJob('a.job'), {}));
    await q.claim('host-serve', 1, 60_000);
    expect(await q.releaseStale('other-instance')).toBe(0);
    expect(await q.releaseStale('host-serve')).toBe(1);
    expect(await q.claim('host-serve', 1, 60_000)).toHaveLength(1);
  });

  it('releasing at shutdown does not count the attempt', async () => {
    const q = queue();
    await db().tx((ctx) => q.enqueue(ctx, testJob('a.job'), {}));
    const [job] = await q.claim('w1', 1, 60_000);
    expect(await q.release('w1', [job!.id])).toBe(1);
    expect(await admin().get(job!.id)).toMatchObject({ status: 'queued', attempts: 0, lockedBy: null });
  });
});
