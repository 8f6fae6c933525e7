import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bothDialects } from '../testing/db.ts';
import { testJob } from '../testing/jobs.ts';
import { queueBench } from '../testing/queue-bench.ts';
import { until } from '../testing/wait.ts';
import { defineJob, jobType, PermanentJobError } from './types.ts';

/** Failed jobs: retried with capped, jittered backoff, then dead; dead at once when retrying cannot help. */
describe.each(bothDialects)('retries and dead jobs on %s', (dialect) => {
  const { db, clock, T0, queue, admin, workerFor } = queueBench(dialect);

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
    const { id } = await db().tx((ctx) =>
      q.enqueue(ctx, testJob('test.flaky'), { n: 1 }, { maxAttempts: 3 }),
    );
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
    const { id } = await db().tx((ctx) => q.enqueue(ctx, testJob('test.capped'), {}, { maxAttempts: 6 }));
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
    const ids = await db().tx(async (ctx) => [
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
});
