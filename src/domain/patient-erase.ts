import type { DbCtx } from '../db/client.ts';

/**
 * Erasing a patient's personal data (issue 18 item 6, GDPR art. 17), shaped like a merge
 * (patient-merge.ts): no area names another's tables, so each area that keeps rows about a patient
 * gives its own step (its `patientErase` part; areas.ts hands them to the patients area, which runs
 * them all in the erasure's one transaction).
 *
 * A step says, for every column of every table it owns that has a patient column, what happens to
 * it: the table's rows of the patient are deleted (`deletes`), or the column is cleared (`wipes`),
 * or it is kept because it says nothing about the person once the record is a tombstone (`keeps`:
 * ids, times, statuses — an appointment's time, service and practitioner, so reports still count
 * it). A test walks the schema and fails when a column of such a table is in none of the three.
 *
 * A plain erase is for a record with no clinical content: a step with clinical rows (notes, form
 * responses, clinical documents) answers them in `clinical`, and the erase is refused — the record
 * is restricted instead, and purged (the same steps, clinical rows included) when its retention
 * period has ended.
 */

/** How many rows of each kind (`appointments: 3`, `logins: 1`…). */
export type EraseCounts = Record<string, number>;

/** What an erase leaves for after its commit: stored objects to delete (the sweeper is the backstop). */
export interface EraseAfterCommit {
  objects: string[];
}

export interface PatientEraseStep {
  /** The area that owns the tables. */
  readonly area: string;
  /** Tables whose rows of the patient it deletes (all their columns are covered). */
  readonly deletes: readonly string[];
  /** Per table, the columns it clears on the patient's rows that it keeps. */
  readonly wipes: Readonly<Record<string, readonly string[]>>;
  /** Per table, the columns it keeps as they are (anonymous without the person: ids, times, statuses). */
  readonly keeps: Readonly<Record<string, readonly string[]>>;
  /**
   * The clinical content it holds for the patient, per kind (`signedNotes: 3`): any above zero
   * refuses a plain erase (restrict instead). Optional: most areas hold none.
   */
  clinical?(ctx: DbCtx, patientId: string): Promise<EraseCounts>;
  /** How many rows of each kind `erase` would delete or clear now (the confirmation screen). */
  count(ctx: DbCtx, patientId: string): Promise<EraseCounts>;
  /**
   * Deletes or clears its rows of the patient in the caller's transaction (clinical ones too: a
   * purge; a plain erase has none), answering the counts `count` gave; names the stored objects to
   * delete once the transaction has committed in `after`.
   */
  erase(ctx: DbCtx, patientId: string, after: EraseAfterCommit): Promise<EraseCounts>;
  /**
   * The patient's last visit as this area knows it (scheduling: the last appointment attended),
   * from which a restriction's retention period runs. Optional.
   */
  lastVisit?(ctx: DbCtx, patientId: string, now: Date): Promise<Date | null>;
}

/**
 * Defines an area's erase step: typed, with `wipes` and `keeps` empty unless given (an area that
 * only deletes its rows of the patient names no column).
 */
export const definePatientEraseStep = (
  step: Omit<PatientEraseStep, 'wipes' | 'keeps'> & Partial<Pick<PatientEraseStep, 'wipes' | 'keeps'>>,
): PatientEraseStep => ({ ...step, wipes: step.wipes ?? {}, keeps: step.keeps ?? {} });
