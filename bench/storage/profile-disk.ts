/**
 * The disk path of bench/storage.ts alone, for a CPU profile and a steadier measure than MB/s on
 * a busy machine: a 200 MiB file (BENCH_MB) put through the vault over the disk store and read
 * back, BENCH_RUNS times (default 5), beside the plain copy; for each, the median MB/s and the CPU
 * time per MiB (all threads: the hash worker and the thread pool too), upload and download apart.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/storage/profile-disk.ts
 *   BENCH_ONLY=disk-vault … profiles the vault alone.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makeSystems, type System } from './systems.ts';

const MiB = 1024 * 1024;
const runs = Number(process.env.BENCH_RUNS ?? 5);
const size = Number(process.env.BENCH_MB ?? 200) * MiB;
const only = process.env.BENCH_ONLY;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Wall ms and CPU ms (process-wide) of `work`. */
async function timed(work: () => Promise<unknown>): Promise<{ ms: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpu: (used.user + used.system) / 1000 };
}

async function measure(system: System, path: string) {
  const up: { ms: number; cpu: number }[] = [];
  const down: { ms: number; cpu: number }[] = [];
  for (let i = 0; i <= runs; i++) {
    let stored: Awaited<ReturnType<System['put']>> | undefined;
    const u = await timed(async () => {
      stored = await system.put(createReadStream(path, { highWaterMark: 64 * 1024 }));
    });
    const d = await timed(async () => {
      for await (const _ of await stored!.read()) {
        // read to the end
      }
    });
    await stored!.remove();
    if (i === 0) continue; // warm-up
    up.push(u);
    down.push(d);
  }
  const mbs = (xs: { ms: number }[]) => (size / MiB / (median(xs.map((x) => x.ms)) / 1000)).toFixed(0);
  const cpu = (xs: { cpu: number }[]) => (median(xs.map((x) => x.cpu)) / (size / MiB)).toFixed(2);
  console.log(
    `${system.label.padEnd(34)} upload ${mbs(up).padStart(4)} MB/s (CPU ${cpu(up)} ms/MiB)  download ${mbs(down).padStart(4)} MB/s (CPU ${cpu(down)} ms/MiB)`,
  );
}

const dir = await mkdtemp(join(tmpdir(), 'clinicbox-profile-disk-'));
const systems = makeSystems(dir, { url: 's3://unused/x', endpoint: 'http://127.0.0.1:1' } as never).filter(
  (s) => (s.id === 'plain-copy' || s.id === 'disk-vault') && (!only || s.id === only),
);
try {
  const path = join(dir, 'source');
  await writeFile(path, randomBytes(size));
  for (const system of systems) await measure(system, path);
} finally {
  for (const system of systems) await system.close();
  await rm(dir, { recursive: true, force: true });
}
