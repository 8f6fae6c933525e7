/** Clinicbox's own durable queue on SQLite (synchronous FULL or NORMAL) or PostgreSQL. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, openDatabase } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createJobSystem, defineJob, jobType, type Worker } from '../../src/jobs/index.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { testJob } from '../../src/testing/jobs.ts';
import { explainClaimPg, explainClaimSqlite } from './claim-plan.ts';
import { CLINICBOX_POLL_MS, CONCURRENCY, log, pgUrlFor, rand } from './settings.ts';
import { type OnStart, type System, withPgDatabase } from './system.ts';

type Kind = 'sqlite-full' | 'sqlite-normal' | 'pg';

/** A migrated database of `kind` in a fresh store (a temp file, or a new PostgreSQL database). */
async function freshDatabase(kind: Kind): Promise<{ db: Db; where: string; cleanup(): Promise<void> }> {
  let db: Db;
  let where: string;
  let cleanup: () => Promise<void>;
  if (kind === 'pg') {
    const pgDb = await withPgDatabase('bench_clinicbox');
    where = pgDb.name;
    db = await openDatabase({ url: pgUrlFor(pgDb.name), sqlite: { path: '', synchronous: 'full' } });
    cleanup = () => pgDb.drop();
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'clinicbox-bench-'));
    where = join(dir, 'clinicbox.db');
    db = await openDatabase({
      url: '',
      sqlite: { path: where, synchronous: kind === 'sqlite-full' ? 'full' : 'normal' },
    });
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  try {
    await migrate(db);
  } catch (e) {
    await db.close();
    await cleanup();
    throw e;
  }
  return { db, where, cleanup };
}

export async function clinicbox(kind: Kind): Promise<System> {
  // `where`: the SQLite file's path, or the PostgreSQL database's name.
  const { db, where, cleanup } = await freshDatabase(kind);
  let onStart: OnStart = () => {};
  const noop = defineJob(jobType('bench.noop', z.object({ i: z.number().int(), t: z.number().optional() })), {
    async handle(p) {
      onStart(p);
    },
  });
  const jobs = createJobSystem({
    db,
    clock: systemClock,
    log,
    definitions: [noop],
    schedules: [],
    instanceId: `bench-${process.pid}-${rand()}`,
    concurrency: CONCURRENCY,
    retentionDays: 7,
    pollMs: CLINICBOX_POLL_MS,
  });
  let worker: Worker | undefined;
  return {
    enqueue: (p) => db.tx((ctx) => jobs.queue.enqueue(ctx, testJob('bench.noop'), p)),
    async startWorker(cb) {
      onStart = cb;
      worker = jobs.createWorker();
      await worker.start();
    },
    async completed() {
      return (await jobs.admin.stats()).counts.succeeded;
    },
    async purge() {
      await db.tx(async (ctx) => {
        await ctx.db.delete(ctx.t.jobs).where(sql`${ctx.t.jobs.status} = 'queued'`);
      });
    },
    afterEnqueue: () => (kind === 'pg' ? explainClaimPg(where) : explainClaimSqlite(where)),
    async close() {
      try {
        await worker?.stop(5000);
        await db.close();
      } finally {
        await cleanup();
      }
    },
  };
}
