import { describe, expect, it } from 'vitest';
import { bothDialects } from '../testing/db.ts';
import { testJob } from '../testing/jobs.ts';
import { queueBench } from '../testing/queue-bench.ts';

/** The operator's side (jobAdmin): stats, listing, retry, cancel and prune, with their audit writes. */
describe.each(bothDialects)('operating the job queue on %s', (dialect) => {
  const { db, clock, T0, queue, admin } = queueBench(dialect);

  it('operates: stats with the oldest due age and backlog, retry, cancel, prune', async () => {
    const q = queue();
    const ids = await db().tx(async (ctx) => [
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
      const { id } = await db().tx((ctx) =>
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
    const { id: live } = await db().tx((ctx) =>
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

    await db().tx((ctx) => q.cancelQueued(ctx, 'reminder:1'));
    expect(await admin().get(live)).toMatchObject({ status: 'cancelled' });
    expect(await admin().retry(clashing)).toBe('queued');
    expect(await admin().retry(clashing)).toBe('not-retryable');
    expect(await admin().retry(999_999)).toBe('not-retryable');
  });

  it('retry, retry-all and cancel run the caller’s write (the audit row) in their transaction', async () => {
    const q = queue();
    const { id: deadId } = await db().tx((ctx) => q.enqueue(ctx, testJob('a.job'), {}, { maxAttempts: 1 }));
    await q.claim('w1', 1, 30_000);
    await q.fail('w1', deadId, 'boom', null);
    const { id: queuedId } = await db().tx((ctx) => q.enqueue(ctx, testJob('a.other'), {}));
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
});
