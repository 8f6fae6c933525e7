import type { Db } from '../../db/client.ts';
import { type AuditService, systemActor } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import { listPatientSearchFields, replaceSearchFields } from './patients.repo.ts';
import { searchNameOf } from './patients.schema.ts';
import { clinicCountry, toE164 } from './phone-numbers.ts';

/**
 * At start: records kept by an older version get what new ones get — the phone in E.164 (read in
 * the clinic's country; a number that cannot be one is left as it is, for staff to correct) and
 * the search name as searchNameOf makes it now. Each row is changed only if still as read; one
 * audit row says how many changed (never which values).
 */
export async function tidyStoredRecords(deps: {
  db: Db;
  audit: AuditService;
  clinic: Pick<ClinicService, 'get'>;
}): Promise<{ phones: number; searchNames: number }> {
  const country = clinicCountry(await deps.clinic.get());
  const changed = { phones: 0, searchNames: 0 };
  for (const row of await listPatientSearchFields(deps.db.reader)) {
    const phone = row.phone === null ? null : (toE164(row.phone, country) ?? row.phone);
    const searchName = searchNameOf(row.firstName, row.lastName);
    if (phone === row.phone && searchName === row.searchName) continue;
    if (!(await deps.db.tx((ctx) => replaceSearchFields(ctx, row, { phone, searchName })))) continue;
    if (phone !== row.phone) changed.phones++;
    if (searchName !== row.searchName) changed.searchNames++;
  }
  if (changed.phones || changed.searchNames) {
    await deps.db.tx((ctx) =>
      deps.audit.record(ctx, systemActor, {
        action: 'patient.tidy-records',
        entity: 'patient',
        details: changed,
      }),
    );
  }
  return changed;
}
