import type { DbCtx } from '../../db/client.ts';
import {
  findPatientContacts,
  findPatientNames,
  type PatientContact,
  type PatientName,
} from '../patients/index.ts';

/**
 * `rows`, in the same order, each with its patient's name (read through the patients area in one
 * by-id query); a row whose patient is missing is dropped, as an inner join would.
 */
export async function withPatientNames<R>(
  ctx: DbCtx,
  rows: R[],
  patientIdOf: (row: R) => string,
): Promise<(R & { patient: PatientName })[]> {
  const names = await findPatientNames(ctx, rows.map(patientIdOf));
  return rows.flatMap((row) => {
    const patient = names.get(patientIdOf(row));
    return patient ? [{ ...row, patient }] : [];
  });
}

/** As `withPatientNames`, with what a message to the patient needs. */
export async function withPatientContacts<R>(
  ctx: DbCtx,
  rows: R[],
  patientIdOf: (row: R) => string,
): Promise<(R & { patient: PatientContact })[]> {
  const contacts = await findPatientContacts(ctx, rows.map(patientIdOf));
  return rows.flatMap((row) => {
    const patient = contacts.get(patientIdOf(row));
    return patient ? [{ ...row, patient }] : [];
  });
}
