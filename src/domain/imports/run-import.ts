import type { DbCtx } from '../../db/client.ts';
import type { Actor } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { PatientsService } from '../patients/index.ts';
import type { AppointmentsService } from '../scheduling/index.ts';
import type { ImportKind, Mapping } from './columns.ts';
import type { CsvTable, RejectedRow } from './csv-table.ts';
import { appointmentRow, type DateFormat, dateOrderFor, patientRow } from './rows.ts';

/**
 * The loop both the CLI and the import job run: every row checked by its area's rules, the new
 * ones written in batches (one transaction each, with the caller's progress in it), the refused
 * ones gathered with their reasons. A run resumed after a stop re-checks the rows already done
 * (so later rows still meet their duplicates and clashes) without counting or writing them again.
 */

/** What became of a row: written (or would be), already on file, or refused with a reason. */
export type RowOutcome = { kind: 'new' } | { kind: 'on-file' } | { kind: 'rejected'; reason: string };

type Outcome<R> = { kind: 'new'; row: R } | { kind: 'on-file' } | { kind: 'rejected'; reason: string };

/** One file's rows as its area checks and writes them. */
export interface RowImport<R = unknown> {
  check(line: number, cells: string[]): Outcome<R>;
  write(
    rows: R[],
    inTx?: (ctx: DbCtx, refused: { line: number; reason: string }[]) => Promise<void>,
  ): Promise<{ line: number; reason: string }[]>;
}

export interface ImportDeps {
  clinic: Pick<ClinicService, 'get'>;
  patients: Pick<PatientsService, 'startImport'>;
  appointments: Pick<AppointmentsService, 'startImport'>;
}

/** Starts an import of `kind` as `actor`: the area's checks over the rows as the mapping reads them. */
export async function openRowImport(
  deps: ImportDeps,
  actor: Actor,
  kind: ImportKind,
  mapping: Mapping,
  options: { dateFormat: DateFormat; notify: boolean },
): Promise<RowImport> {
  const clinic = await deps.clinic.get();
  const order = dateOrderFor(options.dateFormat, clinic.locale);
  if (kind === 'patients') {
    const run = await deps.patients.startImport(actor);
    return {
      check: (line, cells) => run.check(line, patientRow(cells, mapping, order)),
      write: (rows, inTx) => run.write(rows as Parameters<typeof run.write>[0], inTx),
    };
  }
  const run = await deps.appointments.startImport(actor, { notify: options.notify });
  return {
    check: (line, cells) => run.check(line, appointmentRow(cells, mapping, order, clinic.timeZone)),
    write: (rows, inTx) => run.write(rows as Parameters<typeof run.write>[0], inTx),
  };
}

/** Where an import stands: data rows done (whole batches) and what became of them. */
export interface ImportProgress {
  nextRow: number;
  imported: number;
  onFile: number;
  rejected: number;
}

export interface ImportResult extends ImportProgress {
  total: number;
  /** Every refused row with its reason (those of a resumed run's earlier batches too). */
  rejectedRows: RejectedRow[];
}

export async function runImport(
  run: RowImport,
  table: CsvTable,
  options: {
    batchSize: number;
    dryRun: boolean;
    /** Where a stopped run got to (its rows are re-checked, not counted or written again). */
    resume?: ImportProgress;
    /** Runs in each batch's transaction with the progress after it (never in a dry run). */
    inTx?: (ctx: DbCtx, progress: ImportProgress) => Promise<void>;
    /** Each row's outcome as checked (the admin page's preview). */
    onRow?: (line: number, cells: string[], outcome: RowOutcome) => void;
    /** After each batch (the CLI's progress line). */
    onBatch?: (
      batch: { number: number; from: number; to: number; written: number },
      p: ImportProgress,
    ) => void;
  },
): Promise<ImportResult> {
  const total = table.rows.length;
  const p: ImportProgress = options.resume
    ? { ...options.resume }
    : { nextRow: 0, imported: 0, onFile: 0, rejected: 0 };
  const rejectedRows: RejectedRow[] = [];
  let number = 0;
  for (let start = 0; start < total; start += options.batchSize) {
    const slice = table.rows.slice(start, start + options.batchSize);
    const end = start + slice.length;
    const replay = end <= p.nextRow;
    const batch: unknown[] = [];
    const cellsOf = new Map<number, string[]>();
    let onFile = 0;
    const refusedHere: RejectedRow[] = [];
    for (const [i, cells] of slice.entries()) {
      const line = table.firstLine + start + i;
      const outcome = run.check(line, cells);
      options.onRow?.(line, cells, outcome.kind === 'rejected' ? outcome : { kind: outcome.kind });
      if (outcome.kind === 'new') {
        batch.push(outcome.row);
        cellsOf.set(line, cells);
      } else if (outcome.kind === 'on-file') onFile++;
      else refusedHere.push({ line, cells, reason: outcome.reason });
    }
    number++;
    rejectedRows.push(...refusedHere);
    if (replay) continue;
    const after = (refused: { line: number; reason: string }[]): ImportProgress => ({
      nextRow: end,
      imported: p.imported + batch.length - refused.length,
      onFile: p.onFile + onFile,
      rejected: p.rejected + refusedHere.length + refused.length,
    });
    let refused: { line: number; reason: string }[] = [];
    if (!options.dryRun) {
      refused = await run.write(batch, options.inTx ? (ctx, r) => options.inTx!(ctx, after(r)) : undefined);
      for (const r of refused)
        rejectedRows.push({ line: r.line, cells: cellsOf.get(r.line) ?? [], reason: r.reason });
    }
    Object.assign(p, after(refused));
    options.onBatch?.({ number, from: start + 1, to: end, written: batch.length - refused.length }, p);
  }
  rejectedRows.sort((a, b) => a.line - b.line);
  return { ...p, total, rejectedRows };
}
