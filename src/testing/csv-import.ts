import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import type { Finished } from './process.ts';

/*
 * What the tests of `clinicbox import` (test/cli-import*.test.ts) read back from a run: the
 * rejected rows it wrote beside the file, and the totals it printed last.
 */

/** The rows a run wrote to `FILE.rejected.csv` (its last columns line and reason), by line. */
export function rejectedOf(file: string): Map<number, string> {
  const [header, ...rows] = parse(readFileSync(`${file}.rejected.csv`, 'utf8')) as string[][];
  expect(header!.slice(-2)).toEqual(['line', 'reason']);
  return new Map(rows.map((r) => [Number(r.at(-2)), r.at(-1)!]));
}

/** The run rejected exactly the `expected` lines (in any order), each for a reason that matches. */
export function expectRejected(file: string, expected: Map<number, RegExp>) {
  const rejected = rejectedOf(file);
  expect([...rejected.keys()].sort((a, b) => a - b)).toEqual([...expected.keys()].sort((a, b) => a - b));
  for (const [line, reason] of rejected) expect(reason, `line ${line}`).toMatch(expected.get(line)!);
}

/** The totals line of a run over `rows` rows (a dry run's: `would be imported`, after its mark). */
export const importTotals = (
  rows: number,
  counts: { imported: number; skipped: number; rejected: number },
  dryRun = false,
) =>
  `${dryRun ? 'dry run (nothing written): ' : ''}${rows} rows: ${counts.imported} ${dryRun ? 'would be ' : ''}imported, ${counts.skipped} already on file (skipped), ${counts.rejected} rejected`;

/**
 * A run over `rows` rows that rejected some of them: it says nothing on stderr, prints `counts` as
 * its totals and exits 1.
 */
export function expectRejectingRun(
  run: Finished,
  rows: number,
  counts: { imported: number; skipped: number; rejected: number },
  dryRun = false,
) {
  expect(run.stderr).toBe('');
  expect(run.stdout).toContain(importTotals(rows, counts, dryRun));
  expect(run.code).toBe(1);
}
