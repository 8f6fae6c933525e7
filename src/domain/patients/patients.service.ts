import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { PatientContactChanges } from './contact-changes.ts';
import { createPatient } from './create-patient.ts';
import { browsePatients, getPatient, searchPatients } from './find-patients.ts';
import type { Patient } from './patients.repo.ts';
import {
  clearPossibleDuplicate,
  listPossibleDuplicates,
  type PossibleDuplicate,
} from './possible-duplicates.ts';
import { updateOwnProfile } from './update-own-profile.ts';

export type { Patient } from './patients.repo.ts';

export interface PatientsDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
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
      options: { query?: string; page?: number; pageSize?: number },
    ): Promise<{ rows: Patient[]; page: number; hasMore: boolean }> => browsePatients(deps, actor, options),
  };
}

export type PatientsService = ReturnType<typeof patientsService>;
