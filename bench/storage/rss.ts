/**
 * One large upload in a fresh process, so that its RSS growth is its own and not what an earlier
 * run left in the heap: `node --expose-gc --import tsx bench/storage/rss.ts <system> <MiB>` with the
 * S3 settings in BENCH_S3_SETTINGS; prints `{"rssGrowth":…,"seconds":…}`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { S3StoreSettings } from '../../src/storage/s3-store.ts';
import { rssDuring } from './measure.ts';
import { makeSystems } from './systems.ts';

const [id, mib] = process.argv.slice(2);
const dir = await mkdtemp(join(tmpdir(), 'clinicbox-bench-rss-'));
const systems = makeSystems(dir, JSON.parse(process.env.BENCH_S3_SETTINGS ?? '{}') as S3StoreSettings);
const system = systems.find((s) => s.id === id);
if (!system) throw new Error(`no system ${id}`);
try {
  const block = randomBytes(1024 * 1024);
  // A small upload first, so that the code is loaded and the connection open before the baseline.
  await (await system.put(Readable.from([block]))).remove();
  process.stdout.write(`${JSON.stringify(await rssDuring(system, Number(mib) * 1024 * 1024, block))}\n`);
} finally {
  for (const s of systems) await s.close();
  await rm(dir, { recursive: true, force: true });
}
