import { getTableConfig, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { DbCtx, Schema } from '../db/client.ts';
import { countPointingAt, reassignColumn } from '../db/reassign.ts';
import * as sqliteSchema from '../db/schema/sqlite.ts';

/**
 * Merging two patient records (issue 17): everything that points at the record `from` moves to
 * the record `to`. No area names another's tables, so each area that keeps rows pointing at a
 * patient gives its own step (its `patientMerge` part, areas.ts hands them to the patients area,
 * which runs them all in the merge's one transaction). A test walks every table's columns that
 * point at a patient and fails when one is not in some step's `columns` (or in the list of those
 * that stay on purpose, like the audit log's).
 */

/** How many rows of each kind move (`appointments: 3`, `notes: 2`…). */
export type MergeCounts = Record<string, number>;

export interface PatientMergeStep {
  /** The area that owns the tables, as the counts are grouped. */
  readonly area: string;
  /** The columns it moves, as `table.column` in SQL (`appointments.patient_id`). */
  readonly columns: readonly string[];
  /**
   * Refuses (throws an AppError) when its rows cannot move, before anything moves: run for every
   * step first. Optional.
   */
  check?(ctx: DbCtx, fromId: string, toId: string): Promise<void>;
  /** How many rows of each kind `move` would move now (the confirmation screen's dry run). */
  count(ctx: DbCtx, fromId: string, toId: string): Promise<MergeCounts>;
  /**
   * Moves its rows from `fromId` to `toId` in the caller's transaction; answers the same counts
   * `count` gave just before (a row that would duplicate one `to` has is folded into it, and counted).
   */
  move(ctx: DbCtx, fromId: string, toId: string): Promise<MergeCounts>;
}

/** Defines an area's merge step (typed; nothing else). */
export const definePatientMergeStep = (step: PatientMergeStep): PatientMergeStep => step;

/**
 * The step of an area whose rows each name the patient in one column: per kind (`appointments`),
 * the column, picked from the schema `t`; `count` counts the rows naming the merged record
 * and `move` sets the column to the kept one. Its `columns` come from the columns themselves.
 */
export function columnsMergeStep(
  area: string,
  kinds: Record<string, (t: Schema) => SQLiteColumn>,
): PatientMergeStep {
  const picks = Object.entries(kinds);
  const each = async (ctx: DbCtx, run: (column: SQLiteColumn) => Promise<number>): Promise<MergeCounts> => {
    const counts: MergeCounts = {};
    for (const [kind, pick] of picks) counts[kind] = await run(pick(ctx.t));
    return counts;
  };
  return definePatientMergeStep({
    area,
    columns: picks.map(([, pick]) => {
      const column = pick(sqliteSchema);
      return `${getTableConfig(column.table).name}.${column.name}`;
    }),
    count: (ctx, fromId) => each(ctx, (column) => countPointingAt(ctx, column.table, column, fromId)),
    move: (ctx, fromId, toId) =>
      each(ctx, (column) => reassignColumn(ctx, column.table, column, fromId, toId)),
  });
}
