/** BullMQ on the local Redis: a new queue name per run, obliterated after. */
import { Worker as BullWorker, Queue } from 'bullmq';
import { CONCURRENCY, log, REDIS_URL, rand } from './settings.ts';
import type { Payload, System } from './system.ts';

export async function bullmq(): Promise<System> {
  const connection = { host: REDIS_URL.hostname, port: Number(REDIS_URL.port || 6379) };
  const name = `clinicbox-bench-${rand()}`;
  const queue = new Queue(name, { connection });
  await queue.waitUntilReady();
  let worker: BullWorker | undefined;
  return {
    enqueue: (p) => queue.add('noop', p),
    async startWorker(cb) {
      worker = new BullWorker(
        name,
        async (job) => {
          cb(job.data as Payload);
        },
        { connection, concurrency: CONCURRENCY },
      );
      worker.on('error', (e) => log.error('bullmq worker error', { error: e }));
      await worker.waitUntilReady();
    },
    async completed() {
      return (await queue.getJobCounts('completed')).completed ?? 0;
    },
    async purge() {
      await queue.drain();
    },
    async close() {
      try {
        await worker?.close();
        await queue.obliterate({ force: true });
      } finally {
        await queue.close();
      }
    },
  };
}
