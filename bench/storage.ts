/**
 * Storage benchmark: documents stored encrypted through the file vault, on disk and on a local S3
 * server, beside a plain file copy and the AWS SDK's own Upload to the same server, in one run.
 *
 *   npm run bench:storage
 *
 * 1. Upload and download MB/s (MiB) of a 1 MiB and a 200 MiB file (random bytes, read from a temp
 *    file in 64 KiB pieces as a request body arrives; the median of the runs):
 *      plain file copy          stream → file, fsync; read back with a read stream (the disk baseline)
 *      Clinicbox disk, encrypted  FileVault.write/read over the disk store (temp file, fsync, rename)
 *      raw SDK Upload / GetObject  lib-storage Upload, 5 MiB parts, 2 at once (the S3 baseline)
 *      Clinicbox S3 store, not encrypted  the S3 blob store alone (same part size and queue)
 *      Clinicbox S3, encrypted  FileVault over the S3 store
 *    Each row's ratio is against its baseline: disk rows against the plain copy, S3 rows against
 *    the raw SDK. Target: encrypted ≥ 50 % of the plain copy.
 * 2. RSS growth during a 1 GiB upload (generated in 64 KiB pieces, nothing kept), each system in
 *    a fresh process (bench/storage/rss.ts): peak RSS minus RSS just before (after a GC).
 *    Target: < 64 MB.
 *
 * The S3 server (fauxqs by default, in memory; BENCH_S3_PEER=s3rver stores files in a temp folder)
 * runs in a child process of its own on 127.0.0.1, so its work is not in this process's numbers.
 * Env: BENCH_RUNS (runs of the 200 MiB file, default 3), BENCH_SMALL_RUNS (of the 1 MiB file, 30),
 * BENCH_RSS_MB (the large upload, 1024), BENCH_S3_PEER (fauxqs), BENCH_S3_QUEUE (S3 parts in flight, 2).
 *
 * The parts are in bench/storage/: peer.ts (the S3 server process), systems.ts (what is compared),
 * measure.ts (timing and RSS), rss.ts (one large upload in its own process), report.ts.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { S3StoreSettings } from '../src/storage/s3-store.ts';
import { type Growth, type Speed, speed } from './storage/measure.ts';
import { header, printRss, printSpeeds, printTargets } from './storage/report.ts';
import { makeSystems, type SystemId } from './storage/systems.ts';

const MiB = 1024 * 1024;
const runs = Number(process.env.BENCH_RUNS ?? 3);
const smallRuns = Number(process.env.BENCH_SMALL_RUNS ?? 30);
const rssMb = Number(process.env.BENCH_RSS_MB ?? 1024);
const peerKind = process.env.BENCH_S3_PEER ?? 'fauxqs';

/** The large upload in a process of its own (bench/storage/rss.ts): its RSS growth alone. */
async function largeUpload(id: SystemId, settings: S3StoreSettings): Promise<Growth> {
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      fileURLToPath(new URL('./storage/rss.ts', import.meta.url)),
      id,
      String(rssMb),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_S3_SETTINGS: JSON.stringify(settings) },
    },
  );
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the ${id} large upload failed (exit ${code})`);
  return JSON.parse(out) as Growth;
}

const dir = await mkdtemp(join(tmpdir(), 'clinicbox-bench-storage-'));
const peer = spawn(
  process.execPath,
  ['--import', 'tsx', fileURLToPath(new URL('./storage/peer.ts', import.meta.url)), peerKind],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const firstLine = await createInterface({ input: peer.stdout! })[Symbol.asyncIterator]().next();
const s3 = JSON.parse(String(firstLine.value)) as S3StoreSettings;

console.log(header(peerKind, s3.endpoint ?? '', runs, smallRuns, rssMb).join('\n'));

const systems = makeSystems(dir, s3);
const files = [
  { label: '1 MiB', size: MiB, runs: smallRuns },
  { label: '200 MiB', size: 200 * MiB, runs },
];
const speeds: { file: string; id: SystemId; speed: Speed }[] = [];
try {
  for (const file of files) {
    const path = join(dir, `source-${file.size}`);
    await writeFile(path, randomBytes(file.size));
    for (const system of systems) {
      // One untimed put first: connections open, code paths warm.
      await speed(system, path, file.size, 1);
      speeds.push({
        file: file.label,
        id: system.id,
        speed: await speed(system, path, file.size, file.runs),
      });
      process.stderr.write(`  ${file.label} ${system.label} done\n`);
    }
    await rm(path);
  }
  printSpeeds(systems, speeds);

  const growth: { id: SystemId; growth: Growth }[] = [];
  for (const id of ['plain-copy', 'disk-vault', 'raw-sdk', 's3-store', 's3-vault'] as const) {
    growth.push({ id, growth: await largeUpload(id, s3) });
    process.stderr.write(`  ${rssMb} MiB ${id} done\n`);
  }
  printRss(systems, growth, rssMb);
  printTargets(speeds, growth);
} finally {
  for (const system of systems) await system.close();
  peer.stdin!.end();
  await new Promise((resolve) => peer.once('exit', resolve));
  await rm(dir, { recursive: true, force: true });
}
