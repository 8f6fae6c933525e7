import type { DbCtx } from '../../db/client.ts';
import { findPatientContacts, findPatientNames } from '../patients/index.ts';

/**
 * `rows`, in the same order, each with its patient as `read` answers them (through the patients
 * area, in one by-id query); a row whose patient is missing is dropped, as an inner join would.
 */
async function withPatients<R, P>(
  ctx: DbCtx,
  rows: R[],
  patientIdOf: (row: R) => string,
  read: (ctx: DbCtx, ids: readonly string[]) => Promise<Map<string, P>>,
): Promise<(R & { patient: P })[]> {
  const byId = await read(ctx, rows.map(patientIdOf)); // the patients area reads each id once
  return rows.flatMap((row) => {
    const patient = byId.get(patientIdOf(row));
    return patient ? [{ ...row, patient }] : [];
  });
}

/** Each row with its patient's name (see `withPatients`). */
export const withPatientNames = <R>(ctx: DbCtx, rows: R[], patientIdOf: (row: R) => string) =>
  withPatients(ctx, rows, patientIdOf, findPatientNames);

/** Each row with what a message to its patient needs (see `withPatients`). */
export const withPatientContacts = <R>(ctx: DbCtx, rows: R[], patientIdOf: (row: R) => string) =>
  withPatients(ctx, rows, patientIdOf, findPatientContacts);
