/** The scheduling benchmark's report: two tables (the full clinic beside the empty one; pages beside bare Hono) and the targets. */
import { cpus } from 'node:os';
import type { Measurements } from './measure.ts';
import type { BenchClinics } from './seed.ts';
import { binary, connections, duration, practitionerCount, root } from './settings.ts';

const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** Prints rows of cells in columns `widths` wide, the first left-aligned, the others right-aligned. */
const rowPrinter = (widths: number[]) => (cells: string[]) =>
  console.log(cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));

function printSchedulingTable(clinics: BenchClinics, full: Measurements, empty: Measurements) {
  const w = [44, 16, 16, 10];
  const row = rowPrinter(w);
  row(['measure', `${fmt(clinics.total)} appts`, 'no appts', 'ratio']);
  row(w.map((n) => '-'.repeat(n)));
  row([
    `slot search, one week, any of ${practitionerCount}: p50 ms`,
    fmt(full.p50, 2),
    fmt(empty.p50, 2),
    `${(full.p50 / empty.p50).toFixed(2)}x`,
  ]);
  row([
    `slot search p95 ms (target < 10)`,
    fmt(full.p95, 2),
    fmt(empty.p95, 2),
    `${(full.p95 / empty.p95).toFixed(2)}x`,
  ]);
  row(['  slots offered that week', fmt(full.slotsFound), fmt(empty.slotsFound), '']);
  row([
    'bookings/s (16 clients, POST, fsync each)',
    fmt(full.bookingsPerSecond),
    fmt(empty.bookingsPerSecond),
    `${(full.bookingsPerSecond / empty.bookingsPerSecond).toFixed(2)}x`,
  ]);
  if (full.failed || empty.failed) console.log(`  ! bookings refused: ${full.failed} / ${empty.failed}`);
}

function printPagesTable(full: Measurements, bareRps: number) {
  const w2 = [44, 12, 10, 10];
  const row2 = rowPrinter(w2);
  row2(['page (signed in, 1M-appointment clinic)', 'req/s', 'p99', 'vs bare']);
  row2(w2.map((n) => '-'.repeat(n)));
  row2(['bare Hono on Bun  GET /', fmt(bareRps), '', '1.00x']);
  row2([
    `calendar week, one practitioner (${fmt(full.weekBytes / 1024)} KB)`,
    fmt(full.weekPage.rps),
    full.weekPage.p99,
    `${(full.weekPage.rps / bareRps).toFixed(3)}x`,
  ]);
  row2([
    `calendar day, ${practitionerCount} practitioners`,
    fmt(full.dayPage.rps),
    full.dayPage.p99,
    `${(full.dayPage.rps / bareRps).toFixed(3)}x`,
  ]);
  for (const [name, r] of [
    ['week', full.weekPage],
    ['day', full.dayPage],
  ] as const) {
    if (r.non2xx) console.log(`  ! ${name}: ${r.non2xx} non-2xx responses`);
  }
}

export function printReport(clinics: BenchClinics, full: Measurements, empty: Measurements, bareRps: number) {
  console.log(
    `bench/scheduling · ${cpus().length} cores · bun binary ${binary.replace(root, '')} · SQLite synchronous=full · ` +
      `${practitionerCount} practitioners · ${fmt(clinics.total)} appointments (seeded in ${clinics.seedSeconds.toFixed(0)} s) · wrk -c${connections} -d${duration}s`,
  );
  console.log('');
  printSchedulingTable(clinics, full, empty);
  console.log('');
  printPagesTable(full, bareRps);
  console.log('');
  console.log(
    `target slot search p95 < 10 ms: ${full.p95 < 10 ? 'ok' : 'MISSED'} · target week page ≥ 25 % of bare: ${full.weekPage.rps / bareRps >= 0.25 ? 'ok' : 'MISSED'}`,
  );
}
