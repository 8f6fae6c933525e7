/** pg-boss on the local PostgreSQL: a new database per run, dropped after. */
import PgBoss from 'pg-boss';
import { log, PGBOSS_BATCH, PGBOSS_POLL_S, PGBOSS_WORKERS, pgUrlFor } from './settings.ts';
import { type Payload, type System, withPgDatabase } from './system.ts';

export async function pgBoss(): Promise<System> {
  const pgDb = await withPgDatabase('bench_pgboss');
  const boss = new PgBoss({ connectionString: pgUrlFor(pgDb.name), schema: 'pgboss' });
  boss.on('error', (e) => log.error('pg-boss error', { error: e }));
  const name = 'bench-noop';
  try {
    await boss.start();
    await boss.createQueue(name);
  } catch (e) {
    await boss.stop({ graceful: false }).catch(() => {});
    await pgDb.drop();
    throw e;
  }
  const workers: string[] = [];
  let next = 0;
  return {
    async enqueue(p) {
      const id = await boss.send(name, p as object);
      // The in-process wake Clinicbox gets on commit: one idle worker skips its poll wait.
      if (workers.length) boss.notifyWorker(workers[next++ % workers.length]!);
      return id;
    },
    async startWorker(cb) {
      // Each worker fetches up to PGBOSS_BATCH jobs (no ORDER BY priority), runs them
      // concurrently, and after a full batch fetches again at once instead of waiting out the
      // polling interval (notifyWorker from inside its own handler).
      for (let w = 0; w < PGBOSS_WORKERS; w++) {
        const id: string = await boss.work<Payload>(
          name,
          { batchSize: PGBOSS_BATCH, pollingIntervalSeconds: PGBOSS_POLL_S, priority: false },
          async (batch) => {
            await Promise.all(batch.map(async (job) => cb(job.data)));
            if (batch.length === PGBOSS_BATCH) boss.notifyWorker(id);
          },
        );
        workers.push(id);
      }
    },
    async completed() {
      const { rows } = await boss
        .getDb()
        .executeSql(`select count(*)::int as n from pgboss.job where name = $1 and state = 'completed'`, [
          name,
        ]);
      return (rows[0] as { n: number }).n;
    },
    async purge() {
      await boss.purgeQueue(name);
    },
    async close() {
      try {
        await boss.stop({ graceful: true, timeout: 5000, wait: true });
      } finally {
        await pgDb.drop();
      }
    },
  };
}
