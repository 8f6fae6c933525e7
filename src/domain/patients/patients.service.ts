import type { AreaDeps } from '../area.ts';
import type { Actor } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import { addAlert, listAlerts, resolveAlert } from './alerts.ts';
import type { PatientContactChanges } from './contact-changes.ts';
import { createPatient, createPatientOnce } from './create-patient.ts';
import { browsePatients, getPatient, searchPatients } from './find-patients.ts';
import { type PatientImport, startPatientImport } from './import-patients.ts';
import type { Patient } from './patients.repo.ts';
import {
  clearPossibleDuplicate,
  listPossibleDuplicates,
  type PossibleDuplicate,
} from './possible-duplicates.ts';
import type { PatientAlert, PatientChange } from './record.repo.ts';
import { listRecordHistory } from './record-history.ts';
import { updateOwnProfile } from './update-own-profile.ts';
import { setPatientArchived, updatePatientRecord } from './update-record.ts';

export type { Patient } from './patients.repo.ts';
export type { PatientAlert, PatientChange } from './record.repo.ts';

export interface PatientsDeps extends AreaDeps {
  /** The clinic's country reads the phone numbers staff type without one. */
  clinic: Pick<ClinicService, 'get'>;
  /** A patient's own new email or phone waits here for its code. */
  contacts: PatientContactChanges;
}

/**
 * Patient records for staff: create, find as you type, open — and a patient's own profile. Every
 * read of a record is audited; a search is audited once with the number of matches, never the
 * query text (it may be a name). Each use case is a file of its own.
 */
export function patientsService(deps: PatientsDeps) {
  return {
    create: (actor: Actor, input: unknown): Promise<Patient> => createPatient(deps, actor, input),

    /** Creates once per key: sent again, the same patient (`replayed`); other details, refused. */
    createOnce: (actor: Actor, input: unknown, idempotencyKey: string) =>
      createPatientOnce(deps, actor, input, idempotencyKey),

    /** Starts an import of records from another system (import-patients.ts): check rows, write batches. */
    startImport: (actor: Actor): Promise<PatientImport> => startPatientImport(deps, actor),

    /**
     * A patient changes their own details: language any time; email and phone (where messages go)
     * only within 15 minutes of signing in, so a borrowed unlocked phone cannot redirect messages.
     */
    updateOwn: (
      actor: Actor & { id: string },
      input: unknown,
      session: { createdAt: Date },
    ): Promise<Patient> => updateOwnProfile(deps, actor, input, session),

    get: (actor: Actor, id: string): Promise<Patient> => getPatient(deps, actor, id),

    /**
     * Staff change a record (record.schema.ts's recordChangeInput): `version` must be the one
     * read (else PatientVersionConflict, nothing saved); each field changed is kept in the history.
     */
    update: (actor: Actor, id: string, input: unknown): Promise<Patient> =>
      updatePatientRecord(deps, actor, id, input),

    /** Archives a record (out of search and booking; everything kept), or brings it back. */
    archive: (actor: Actor, id: string, input?: unknown): Promise<Patient> =>
      setPatientArchived(deps, actor, id, true, input),
    unarchive: (actor: Actor, id: string, input?: unknown): Promise<Patient> =>
      setPatientArchived(deps, actor, id, false, input),

    /** Every change of the record, newest first (audited). */
    history: (actor: Actor, id: string): Promise<PatientChange[]> => listRecordHistory(deps, actor, id),

    /** The chart's alerts (alerts.ts says who sees and writes which). */
    alerts: (actor: Actor, id: string, options?: { all?: boolean }): Promise<PatientAlert[]> =>
      listAlerts(deps, actor, id, options),
    addAlert: (actor: Actor, id: string, input: unknown): Promise<PatientAlert> =>
      addAlert(deps, actor, id, input),
    resolveAlert: (actor: Actor, id: string, alertId: string, input: unknown): Promise<PatientAlert> =>
      resolveAlert(deps, actor, id, alertId, input),

    /** Active patients whose name starts with (or has a word starting with) `query`, or whose email or phone matches. */
    search: (actor: Actor, query: string, limit = 10): Promise<Patient[]> =>
      searchPatients(deps, actor, query, limit),

    /**
     * The staff patient list, a page at a time: every active patient by name, or those matching
     * `query` as in `search`. Audited as one read (the page and count, never the query text).
     */
    /** Records flagged at registration as maybe someone's already on file, with that record (audited). */
    possibleDuplicates: (actor: Actor): Promise<PossibleDuplicate[]> => listPossibleDuplicates(deps, actor),

    /** Staff say a flagged record is not the one it resembles (audited). */
    notDuplicate: (actor: Actor, id: string): Promise<void> => clearPossibleDuplicate(deps, actor, id),

    browse: (
      actor: Actor,
      options: { query?: string; page?: number; pageSize?: number; includeArchived?: boolean },
    ): Promise<{ rows: Patient[]; page: number; hasMore: boolean }> => browsePatients(deps, actor, options),
  };
}

export type PatientsService = ReturnType<typeof patientsService>;
