/** Facts about the machine and the servers that explain the numbers: durability settings, fsync cost. */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { die, pgAdminUrl, REDIS_URL, selected } from './settings.ts';
import { pgAdmin } from './system.ts';
import { percentile } from './tracker.ts';

/** The median time of fsync after a 4 KiB write in the temp folder (where SQLite's files go). */
function fsyncP50Ms(): number {
  const dir = mkdtempSync(join(tmpdir(), 'clinicbox-bench-fsync-'));
  const fd = openSync(join(dir, 'probe'), 'w');
  const buf = Buffer.alloc(4096, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      writeSync(fd, buf, 0, buf.length, i * 4096);
      const t = performance.now();
      fsyncSync(fd);
      times.push(performance.now() - t);
    }
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
  return percentile(
    times.sort((a, b) => a - b),
    0.5,
  );
}

/** Redis's version and persistence settings; stops the bench if BullMQ is to run and Redis is not there. */
async function redisFacts(): Promise<string[]> {
  const redis = new Redis({
    host: REDIS_URL.hostname,
    port: Number(REDIS_URL.port || 6379),
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const info = await redis.info('server');
    const [, aof] = (await redis.config('GET', 'appendonly')) as string[];
    const [, aofFsync] = (await redis.config('GET', 'appendfsync')) as string[];
    const [, save] = (await redis.config('GET', 'save')) as string[];
    return [
      `Redis ${info.match(/redis_version:(\S+)/)?.[1]} at ${REDIS_URL.host}: appendonly=${aof} appendfsync=${aofFsync} save="${save}"` +
        (aof === 'yes' && aofFsync === 'always' ? '' : ' (BullMQ jobs are not fsynced per add)'),
    ];
  } catch (e) {
    if (selected.includes('bullmq'))
      die(`Redis at ${REDIS_URL.host} is not reachable: ${(e as Error).message}`);
    return [];
  } finally {
    redis.disconnect();
  }
}

/** PostgreSQL's version and commit settings; stops the bench if a PostgreSQL system is to run without it. */
async function postgresFacts(): Promise<string[]> {
  const admin = pgAdmin();
  try {
    const [v] =
      await admin`select current_setting('server_version') as v, current_setting('synchronous_commit') as sc, current_setting('fsync') as f`;
    return [
      `PostgreSQL ${v?.v} at ${pgAdminUrl.host} (user ${pgAdminUrl.username}): synchronous_commit=${v?.sc} fsync=${v?.f}`,
    ];
  } catch (e) {
    if (selected.some((s) => s === 'clinicbox-pg' || s === 'pg-boss'))
      die(`PostgreSQL at ${pgAdminUrl.host} is not reachable: ${(e as Error).message}`);
    return [];
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** The lines the report's header prints about Redis, PostgreSQL and the disk. */
export async function environment(): Promise<string[]> {
  return [
    ...(await redisFacts()),
    ...(await postgresFacts()),
    `fsync of a 4 KiB write in ${tmpdir()}: p50 ${fsyncP50Ms().toFixed(2)} ms`,
  ];
}
