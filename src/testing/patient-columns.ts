import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as schema from '../db/schema/sqlite.ts';

/**
 * Every column of the schema that points at a patient record, as `table.column`: a foreign key to
 * `patients`, or a column named `patient_id` / `*_patient_id` — and the two the patients table
 * keeps about other records (`possible_duplicate_of`, `merged_into`). A new table with a patient
 * column shows up here without anyone listing it: the merge tests compare this with the columns
 * the merge steps say they move.
 */
export function patientColumnsOfSchema(): string[] {
  const found = new Set<string>(['patients.possible_duplicate_of', 'patients.merged_into']);
  for (const value of Object.values(schema)) {
    if (!is(value, SQLiteTable)) continue;
    const table = getTableConfig(value);
    for (const column of table.columns) {
      if (/(^|_)patient_id$/.test(column.name)) found.add(`${table.name}.${column.name}`);
    }
    for (const fk of table.foreignKeys) {
      const ref = fk.reference();
      if (getTableConfig(ref.foreignTable).name !== 'patients') continue;
      for (const column of ref.columns) found.add(`${table.name}.${column.name}`);
    }
  }
  return [...found].sort();
}

/**
 * The patient columns whose rows stay with the record they name when two records merge, and why.
 * Nothing else may be left out of the merge steps.
 */
export const columnsThatStay: Record<string, string> = {
  'audit_log.patient_id': 'both records’ audit rows stay as written (the chain is append-only)',
};
