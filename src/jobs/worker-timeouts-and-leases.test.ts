import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Db, openDatabase, queryRows } from '../db/client.ts';
import { createLogger } from '../lib/log.ts';
import { suiteDialect, type TestDb } from '../testing/db.ts';
import { testJob } from '../testing/jobs.ts';
import { gate, sleep, until } from '../testing/wait.ts';
import { systemOptions, workerBench } from '../testing/worker-bench.ts';
import { createJobSystem, defineJob, jobType } from './index.ts';

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

/** A job's time limit and its lease: a job that overruns either is cut off, and only its owner records it. */
describe(`the worker’s timeouts and leases on ${suiteDialect()}, in real time`, () => {
  const bench = workerBench();

  it('fails a job that outlives its timeout, aborting its signal, and retries it later', async () => {
    const db = await bench.database();
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
    const system = createJobSystem({ ...systemOptions(), db, definitions: [job] });
    const worker = bench.use(system.createWorker());
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
    const db = await bench.database();
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
    const worker = bench.use(system.createWorker());
    const { id } = await db.tx((ctx) => system.queue.enqueue(ctx, testJob('test.long'), {}));
    await worker.start();
    await until('the job running', async () => (await system.admin.stats()).counts.running >= 1);
    // As if the lease had run out and another process had claimed the job.
    await db.tx((ctx) =>
      ctx.db.update(ctx.t.jobs).set({ lockedBy: 'thief', attempts: 2 }).where(eq(ctx.t.jobs.id, id)),
    );
    await until('the handler to end', async () => finished);
    expect(aborted).toBe(true);
    await bench.stop(1_000);
    expect(await system.admin.get(id)).toMatchObject({ status: 'running', lockedBy: 'thief', attempts: 2 });
    const warning = lines.map((l) => JSON.parse(l)).find((l) => l.msg.startsWith('lease lost'));
    expect(warning).toMatchObject({ level: 'warn', jobId: id, job: 'test.long' });
  });

  it('two workers with the same configured id on one database never release each other’s jobs', async () => {
    const db = await bench.database();
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
    const db = await bench.database();
    let runs = 0;
    const job = defineJob(jobType('test.long', z.object({})), {
      async handle() {
        runs++;
        await sleep(3000); // outlives its 1 s lease three times over, in real time
      },
    });
    const make = (id: string) =>
      createJobSystem({
        ...systemOptions(),
        db,
        definitions: [job],
        instanceId: id,
        // Renewed every third of it (333 ms): leases of 150 ms and then 500 ms were lost to stalls
        // of a loaded CI machine (b then ran the job again); 1 s still ends three times in the run.
        leaseMs: 1000,
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
