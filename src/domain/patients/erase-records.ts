import type { DbCtx } from '../../db/client.ts';
import { conflict, notFound, validated } from '../../lib/errors.ts';
import type { FileVault } from '../../storage/types.ts';
import type { AreaDeps } from '../area.ts';
import { type Actor, systemActor } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import {
  definePatientEraseStep,
  type EraseAfterCommit,
  type EraseCounts,
  type PatientEraseStep,
} from '../patient-erase.ts';
import { recordChange } from '../record-change.ts';
import {
  countClinicalAlerts,
  countErasedRows,
  deleteErasedRows,
  erasedTables,
  listPurgeDue,
  listRestrictedIds,
  listRetentionEnded,
  markErased,
  patientsKept,
  patientsWiped,
  setRestriction,
} from './erase.repo.ts';
import { restrictInput } from './erase.schema.ts';
import { recordPatientRead } from './find-patients.ts';
import { findPatientById, lockPatient, type Patient } from './patients.repo.ts';
import type { PatientSignIn } from './sign-in.ts';

/**
 * Erasure and restriction of a patient record (issue 18 item 6; GDPR art. 17 and 18 with the
 * clinical retention law).
 *
 * **Erase** (admins): only a record with no clinical content — no notes (signed or draft), no form
 * responses (a form started or submitted), no clinical document (anything on the chart but an ID
 * or insurance card copy), no allergy or medical alert; a billing area adds its invoices through
 * its step's `clinical` (the hook). Each area deletes or clears its rows through the step it gives
 * (`patientErase` in its index.ts, patient-erase.ts); the record stays as a tombstone (personal
 * fields cleared, archived, `erased_at`), its appointments stay with time, service, practitioner
 * and status. One transaction; stored objects are removed after it commits (the sweepers are the
 * backstop). Refused with 409 has_clinical_records naming the counts: restrict instead.
 *
 * **Restrict**: the record is hidden from patient lists, search, the Inbox and messages, and its
 * sign-in is refused (sessions end now); admins still open it by its link and export it. It is
 * kept until `retain_until` = the last visit (else today) + the clinic's retention period.
 * **Unrestrict** lifts it. A daily job lists the records whose retention has ended in the Inbox;
 * an admin confirms the **purge**: the same erasure, clinical content included.
 *
 * Audited as `patient.erase`, `patient.restrict`, `patient.unrestrict`, `patient.purge` with
 * counts and dates only — never a name, an address or the restriction's reason.
 */

export interface ErasureDeps extends AreaDeps<'log'> {
  clinic: ClinicService;
  files: Pick<FileVault, 'remove'>;
  signIn: Pick<PatientSignIn, 'endSessions'>;
}

/** What an erasure removed (or would remove), and the clinical content that refuses a plain one. */
export interface ErasePreview {
  patient: Patient;
  counts: EraseCounts;
  clinical: EraseCounts;
  /** Whether a plain erase is allowed (no clinical content). */
  erasable: boolean;
  /** Why not, in words (`This record has 3 signed notes: restrict it instead.`). */
  refusal: string | null;
  /** Whether the purge is allowed now (restricted, retention ended). */
  purgeable: boolean;
}

export interface EraseResult {
  patient: Patient;
  counts: EraseCounts;
}

const clinicalWords: Record<string, [string, string]> = {
  signedNotes: ['signed note', 'signed notes'],
  draftNotes: ['draft note', 'draft notes'],
  formResponses: ['form response', 'form responses'],
  clinicalDocuments: ['clinical document', 'clinical documents'],
  clinicalAlerts: ['allergy or medical alert', 'allergy or medical alerts'],
  issuedInvoices: ['issued invoice', 'issued invoices'],
  creditNotes: ['credit note', 'credit notes'],
  payments: ['payment', 'payments'],
};

/** `3 signed notes and 1 form response` (kinds with none left out). */
export function describeClinical(clinical: EraseCounts): string {
  const parts = Object.entries(clinical)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => {
      const [one, many] = clinicalWords[kind] ?? [kind, kind];
      return `${n} ${n === 1 ? one : many}`;
    });
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '');
}

/** The patients area's own step: its tables (sessions leave the cache) — the record's tombstone is the service's. */
export function patientsEraseStep(deps: Pick<ErasureDeps, 'signIn'>): PatientEraseStep {
  return definePatientEraseStep({
    area: 'patients',
    deletes: erasedTables,
    wipes: { patients: patientsWiped },
    keeps: { patients: patientsKept },
    async clinical(ctx, patientId) {
      return { clinicalAlerts: await countClinicalAlerts(ctx, patientId) };
    },
    count: (ctx, patientId) => countErasedRows(ctx, patientId),
    async erase(ctx, patientId) {
      const patient = await findPatientById(ctx, patientId);
      if (!patient) throw notFound('that_patient');
      const before = await countErasedRows(ctx, patientId);
      await deps.signIn.endSessions(ctx, { patientId });
      await deleteErasedRows(ctx, patient);
      return before;
    },
  });
}

export function patientErasure(deps: ErasureDeps) {
  const steps: PatientEraseStep[] = [];

  async function sum(ctx: DbCtx, patientId: string, how: 'count' | 'clinical'): Promise<EraseCounts> {
    const counts: EraseCounts = {};
    for (const step of steps) Object.assign(counts, await step[how]?.(ctx, patientId));
    return counts;
  }

  async function existing(ctx: DbCtx, id: string): Promise<Patient> {
    const patient = await findPatientById(ctx, id);
    if (!patient) throw notFound('that_patient');
    if (patient.erasedAt) throw conflict('This record was already erased.', 'already_erased');
    return patient;
  }

  const purgeable = (p: Patient, now: Date) =>
    !!p.restrictedAt && !!p.retainUntil && p.retainUntil.getTime() <= now.getTime();

  async function previewIn(ctx: DbCtx, patient: Patient): Promise<ErasePreview> {
    const clinical = await sum(ctx, patient.id, 'clinical');
    const described = describeClinical(clinical);
    return {
      patient,
      counts: await sum(ctx, patient.id, 'count'),
      clinical,
      erasable: described === '',
      refusal: described ? `This record has ${described}: restrict it instead.` : null,
      purgeable: purgeable(patient, deps.clock.now()),
    };
  }

  /**
   * The erasure itself, in the caller's transaction: every step (the areas listed last first, so a
   * row is deleted before the rows it points at), then the tombstone and one audit row.
   */
  async function eraseIn(
    ctx: DbCtx,
    actor: Actor,
    id: string,
    action: 'patient.erase' | 'patient.purge',
  ): Promise<EraseResult> {
    const after: EraseAfterCommit = { objects: [] };
    const counts: EraseCounts = {};
    for (const step of [...steps].reverse()) Object.assign(counts, await step.erase(ctx, id, after));
    const patient = await markErased(ctx, id, deps.clock.now());
    if (!patient) throw notFound('that_patient');
    await recordChange(deps.audit, ctx, actor, action, { id, patientId: id }, { ...counts });
    ctx.afterCommit(() => {
      void removeObjects(after.objects);
    });
    return { patient, counts };
  }

  async function removeObjects(keys: string[]): Promise<void> {
    for (const key of keys) {
      try {
        await deps.files.remove(key);
      } catch (error) {
        // The sweepers remove it later (documents' orphans, exports past their link's end).
        deps.log.warn('erased file not removed yet', { error: String(error) });
      }
    }
  }

  return {
    /** Another area's step (added once, when the areas are built). */
    add(step: PatientEraseStep): void {
      steps.push(step);
    },

    /** The steps, in the order the areas were built (the coverage test reads their columns). */
    steps: (): readonly PatientEraseStep[] => [...steps],

    /** What erasing the record would remove now, and whether it may (the confirmation screen); audited as a read. */
    async preview(actor: Actor, id: string): Promise<ErasePreview> {
      const ctx = deps.db.reader;
      const result = await previewIn(ctx, await existing(ctx, id));
      await recordPatientRead(deps.audit, actor, 'patient.erase-preview', id);
      return result;
    },

    /** Erases a record with no clinical content (else 409 has_clinical_records), in one transaction. */
    erase(actor: Actor, id: string): Promise<EraseResult> {
      return deps.db.tx(async (ctx) => {
        await lockPatient(ctx, id);
        const preview = await previewIn(ctx, await existing(ctx, id));
        if (!preview.erasable)
          throw conflict(
            { text: preview.refusal ?? 'This record has clinical content.' },
            'has_clinical_records',
          );
        return eraseIn(ctx, actor, id, 'patient.erase');
      });
    },

    /** Erases a restricted record whose retention has ended, clinical content included (else 409 retention_not_ended). */
    purge(actor: Actor, id: string): Promise<EraseResult> {
      return deps.db.tx(async (ctx) => {
        await lockPatient(ctx, id);
        const patient = await existing(ctx, id);
        if (!purgeable(patient, deps.clock.now()))
          throw conflict(
            'Only a restricted record whose retention period has ended can be purged.',
            'retention_not_ended',
          );
        return eraseIn(ctx, actor, id, 'patient.purge');
      });
    },

    /** Restricts the record until its retention ends (last visit + the clinic's period); ends its sessions. */
    async restrict(actor: Actor, id: string, input: unknown): Promise<Patient> {
      const { reason } = validated(restrictInput, input);
      const settings = await deps.clinic.get();
      return deps.db.tx(async (ctx) => {
        await lockPatient(ctx, id);
        const patient = await existing(ctx, id);
        if (patient.restrictedAt) throw conflict('This record is already restricted.', 'already_restricted');
        const now = deps.clock.now();
        let last: Date | null = null;
        for (const step of steps) {
          const seen = await step.lastVisit?.(ctx, id, now);
          if (seen && (!last || seen > last)) last = seen;
        }
        const from = last ?? now;
        const retainUntil = new Date(from.getTime());
        retainUntil.setUTCFullYear(retainUntil.getUTCFullYear() + settings.retentionYears);
        const row = await setRestriction(
          ctx,
          id,
          { restrictedAt: now, restrictReason: reason, retainUntil },
          now,
        );
        if (!row) throw notFound('that_patient');
        const sessions = await deps.signIn.endSessions(ctx, { patientId: id });
        await recordChange(
          deps.audit,
          ctx,
          actor,
          'patient.restrict',
          { id, patientId: id },
          {
            retainUntil: retainUntil.toISOString().slice(0, 10),
            lastVisit: last ? last.toISOString().slice(0, 10) : null,
            retentionYears: settings.retentionYears,
            sessionsEnded: sessions,
          },
        );
        return row;
      });
    },

    /** Lifts a restriction (409 not_restricted when there is none). */
    unrestrict(actor: Actor, id: string): Promise<Patient> {
      return deps.db.tx(async (ctx) => {
        await lockPatient(ctx, id);
        const patient = await existing(ctx, id);
        if (!patient.restrictedAt) throw conflict('This record is not restricted.', 'not_restricted');
        const now = deps.clock.now();
        const row = await setRestriction(
          ctx,
          id,
          { restrictedAt: null, restrictReason: null, retainUntil: null },
          now,
        );
        if (!row) throw notFound('that_patient');
        await recordChange(deps.audit, ctx, actor, 'patient.unrestrict', { id, patientId: id });
        return row;
      });
    },

    /** The restricted records the retention job listed for an admin to confirm the purge. */
    listPurgeDue: (): Promise<Patient[]> => listPurgeDue(deps.db.reader),

    /** The ids of restricted records (hidden from the Inbox's lists). */
    restrictedIds: (): Promise<Set<string>> => listRestrictedIds(deps.db.reader),

    /** The daily job's work: lists the records whose retention ended today (audited, ids only). */
    listRetentionEnded(): Promise<string[]> {
      return deps.db.tx(async (ctx) => {
        const ids = await listRetentionEnded(ctx, deps.clock.now());
        for (const id of ids)
          await recordChange(deps.audit, ctx, systemActor, 'patient.retention-ended', {
            id,
            patientId: id,
          });
        return ids;
      });
    },
  };
}

export type PatientErasure = ReturnType<typeof patientErasure>;
