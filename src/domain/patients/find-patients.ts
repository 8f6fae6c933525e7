import { notFound } from '../../lib/errors.ts';
import type { Actor, AuditEvent, AuditService } from '../audit/index.ts';
import { findPatientById, listActivePatients, type Patient, type PatientMatch } from './patients.repo.ts';
import { searchNameOf } from './patients.schema.ts';
import type { PatientsDeps } from './patients.service.ts';
import { phoneDigitsOf } from './phone-numbers.ts';

/*
 * Staff reading patient records. Every read of a record is audited; a search is audited once
 * with the number of matches, never the query text (it may be a name).
 */

/**
 * A search as typed, or null when it is too short to search: its words (in any order, commas
 * and accents aside: "Ahmed, Grace" and "grace ah" find Grace Ahmed), an exact email, and the
 * digits of a phone number in any format.
 */
function matchOf(query: string): PatientMatch | null {
  const words = searchNameOf(query, '').split(' ').filter(Boolean).slice(0, 6);
  const phoneDigits = phoneDigitsOf(query);
  if (words.join('').length < 2 && !phoneDigits) return null;
  return { words, email: query.trim().toLowerCase(), phoneDigits };
}

/** Audits a read about one record (`patient.read`, a preview…): the record is the entity and the patient. */
export const recordPatientRead = (
  audit: Pick<AuditService, 'recordRead'>,
  actor: Actor,
  action: `patient.${string}`,
  id: string,
  details?: AuditEvent['details'],
): Promise<void> =>
  audit.recordRead(actor, {
    action,
    entity: 'patient',
    entityId: id,
    patientId: id,
    ...(details === undefined ? {} : { details }),
  });

/** Opens one record (any status), audited as a read of it. */
export async function getPatient(deps: PatientsDeps, actor: Actor, id: string): Promise<Patient> {
  const row = await findPatientById(deps.db.reader, id);
  if (!row) throw notFound('that_patient');
  await recordPatientRead(deps.audit, actor, 'patient.read', id);
  return row;
}

/** Active patients whose name starts with (or has a word starting with) `query`, or whose email or phone matches. */
export async function searchPatients(
  deps: PatientsDeps,
  actor: Actor,
  query: string,
  limit: number,
): Promise<Patient[]> {
  const match = matchOf(query);
  if (!match) return [];
  const rows = await listActivePatients(deps.db.reader, { match, limit });
  await deps.audit.recordRead(actor, {
    action: 'patient.search',
    entity: 'patient',
    details: { matches: rows.length },
  });
  return rows;
}

/**
 * The staff patient list, a page at a time: every active patient (archived ones too with
 * `includeArchived`) by name, or those matching `query` as in `search`. Audited as one read (the page and count, never the query text).
 */
export async function browsePatients(
  deps: PatientsDeps,
  actor: Actor,
  options: { query?: string; page?: number; pageSize?: number; includeArchived?: boolean },
): Promise<{ rows: Patient[]; page: number; hasMore: boolean }> {
  const pageSize = Math.min(Math.max(options.pageSize ?? 25, 1), 100);
  const page = Math.max(Math.floor(options.page ?? 1), 1);
  const query = options.query?.trim() ?? '';
  const match = query ? matchOf(query) : undefined;
  const rows =
    match === null
      ? []
      : await listActivePatients(deps.db.reader, {
          match,
          limit: pageSize + 1,
          offset: (page - 1) * pageSize,
          includeArchived: options.includeArchived === true,
        });
  await deps.audit.recordRead(actor, {
    action: query ? 'patient.search' : 'patient.list',
    entity: 'patient',
    details: { matches: Math.min(rows.length, pageSize), page },
  });
  return { rows: rows.slice(0, pageSize), page, hasMore: rows.length > pageSize };
}
