import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { execute } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { jobAdmin } from '../jobs/admin.ts';
import type { JobDefinition, JobQueue } from '../jobs/index.ts';
import { createJobQueue } from '../jobs/queue.ts';
import { createWorker } from '../jobs/worker.ts';
import { fixedClock } from '../lib/clock.ts';
import { silentLogger } from '../lib/log.ts';
import { createTestDb, type TestDb, type TestDialect } from './db.ts';

/**
 * The job queue tests' bench (src/jobs/queue-*.test.ts): one database on `dialect` for the
 * describe block, emptied of jobs and schedules before each test, and a fixed clock set back to
 * `T0` (Monday 2026-03-02 09:00Z) before each test too.
 */
export function queueBench(dialect: TestDialect) {
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
  return {
    clock,
    T0,
    /** The describe block's database (open from its beforeAll on). */
    db: () => db,
    queue: () => createJobQueue({ db, clock }),
    admin: () => jobAdmin({ db, clock }),
    /** A worker on `q` for `job` alone, on the test's clock, polling every 10 ms (one slot unless told). */
    workerFor: (
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
      }),
  };
}
