/** What the storage benchmark prints: the machine, the speed table with ratios, RSS, the targets. */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CHUNK_SIZE } from '../../src/storage/envelope.ts';
import type { Growth, Speed } from './measure.ts';
import type { System, SystemId } from './systems.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkgVersion = (name: string) =>
  (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 1 : 0) : '—');
const pct = (n: number) => (Number.isFinite(n) ? `${Math.round(n * 100)} %` : '—');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    `| ${r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  const sep = `|${widths.map((w, c) => (c < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(rows[0]!), sep, ...rows.slice(1).map(line)].join('\n');
}

export function header(
  peer: string,
  endpoint: string,
  runs: number,
  smallRuns: number,
  rssMb: number,
): string[] {
  const cpu = cpus();
  return [
    `Storage benchmark — ${new Date().toISOString()}`,
    `machine: ${cpu.length} × ${cpu[0]?.model.trim()}, Node ${process.version}, ${process.platform}-${process.arch}; files in ${tmpdir()}`,
    `versions: @aws-sdk/client-s3 ${pkgVersion('@aws-sdk/client-s3')}, @aws-sdk/lib-storage ${pkgVersion('@aws-sdk/lib-storage')}, ${peer} ${pkgVersion(peer)} (child process at ${endpoint})`,
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}${loadavg()[0]! > 0.5 ? ' — other processes are busy: expect noisy numbers' : ''}`,
    '',
    'How it was measured: each file put from a read stream (64 KiB pieces) and read back whole, median of',
    `${smallRuns} runs (1 MiB) or ${runs} runs (200 MiB) after one untimed run; MB/s = MiB/s. Encrypted = FileVault`,
    `(${DEFAULT_CHUNK_SIZE / 1024} KiB AES-256-GCM chunks + SHA-256 of the plaintext, checked on the read). S3: 5 MiB parts, ${process.env.BENCH_S3_QUEUE ?? 2} at once.`,
    `RSS: peak RSS during a ${rssMb} MiB upload, each in a fresh process, minus its RSS just before (after a GC).`,
    '',
  ];
}

export function printSpeeds(systems: System[], speeds: { file: string; id: SystemId; speed: Speed }[]): void {
  const label = (id: SystemId) => systems.find((s) => s.id === id)!.label;
  const rows = [['file', 'system', 'upload MB/s', 'vs base', 'download MB/s', 'vs base', 'base']];
  for (const row of speeds) {
    const system = systems.find((s) => s.id === row.id)!;
    const base = speeds.find((r) => r.file === row.file && r.id === system.baseline)!.speed;
    const isBase = system.baseline === system.id;
    rows.push([
      row.file,
      system.label,
      fmt(row.speed.upload),
      isBase ? '—' : pct(row.speed.upload / base.upload),
      fmt(row.speed.download),
      isBase ? '—' : pct(row.speed.download / base.download),
      isBase ? '(baseline)' : label(system.baseline),
    ]);
  }
  console.log(table(rows));
  console.log('');
}

export function printRss(systems: System[], growth: { id: SystemId; growth: Growth }[], rssMb: number): void {
  const rows = [['upload', 'system', 'RSS growth MB', 'MB/s']];
  for (const g of growth) {
    rows.push([
      `${rssMb} MiB`,
      systems.find((s) => s.id === g.id)!.label,
      fmt(g.growth.rssGrowth),
      fmt(rssMb / g.growth.seconds),
    ]);
  }
  console.log(table(rows));
  console.log('');
}

export function printTargets(
  speeds: { file: string; id: SystemId; speed: Speed }[],
  growth: { id: SystemId; growth: Growth }[],
): void {
  const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
  for (const file of [...new Set(speeds.map((s) => s.file))]) {
    const of = (id: SystemId) => speeds.find((s) => s.file === file && s.id === id)!.speed;
    const [plain, disk, raw, s3] = [of('plain-copy'), of('disk-vault'), of('raw-sdk'), of('s3-vault')];
    const up = disk.upload / plain.upload;
    const down = disk.download / plain.download;
    console.log(
      `Target: disk, encrypted, ${file}: ≥ 50 % of the plain copy: upload ${pct(up)}, download ${pct(down)} — ${verdict(up >= 0.5 && down >= 0.5)}` +
        ` (S3, encrypted, against the raw SDK on the same server: upload ${pct(s3.upload / raw.upload)}, download ${pct(s3.download / raw.download)})`,
    );
  }
  for (const g of growth.filter((x) => x.id === 'disk-vault' || x.id === 's3-vault')) {
    console.log(
      `Target: RSS growth < 64 MB during the large upload, ${g.id === 'disk-vault' ? 'disk' : 'S3'} encrypted: ${fmt(g.growth.rssGrowth)} MB — ${verdict(g.growth.rssGrowth < 64)}`,
    );
  }
}
