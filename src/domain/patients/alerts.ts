import { conflict, notFound, validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { actingStaff, type Permission, refuseUnlessCan, roleRefusal } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import { recordChange } from '../record-change.ts';
import { findPatientById } from './patients.repo.ts';
import type { PatientsDeps } from './patients.service.ts';
import {
  findPatientAlert,
  insertPatientAlert,
  listPatientAlerts,
  type PatientAlert,
  resolvePatientAlert,
} from './record.repo.ts';
import { type AlertKind, alertChangeInput, alertInput } from './record.schema.ts';

/**
 * Alerts on a chart: allergies, medical alerts, admin notes.
 *
 * Who sees what: every staff member who may read patient records (`patients.read`: reception
 * too) sees every active alert, allergies and medical alerts included. An alert is a short
 * warning written to be seen by whoever handles the patient — the receptionist who books the
 * latex-allergic patient into the room just cleaned with latex gloves, or who reads "needs a
 * wheelchair-accessible room" — and safety outweighs the little it tells. Anything longer or more
 * sensitive belongs in a treatment note, which reception never reads. Who writes what:
 * allergies and medical alerts are clinical statements, added and resolved by clinical roles
 * (`clinical.write`); admin notes by anyone who may change records (`patients.write`).
 * Every list is audited as a read of the chart; additions and resolutions are audited (kind
 * only, never the text).
 */

const writes: Record<AlertKind, Permission> = {
  allergy: 'clinical.write',
  medical: 'clinical.write',
  admin: 'patients.write',
};

/** Refuses unless the acting staff member's role (read now, from the database) has `permission`. */
async function assertStaffCan(deps: PatientsDeps, actor: Actor, permission: Permission): Promise<string> {
  const member = await actingStaff(deps.db.reader, actor);
  refuseUnlessCan(
    member.role,
    permission,
    permission === 'clinical.write'
      ? 'Allergies and medical alerts are added and resolved by clinical staff.'
      : roleRefusal,
  );
  return member.actor.id;
}

async function assertPatient(deps: PatientsDeps, patientId: string): Promise<void> {
  if (!(await findPatientById(deps.db.reader, patientId))) throw notFound('that_patient');
}

/** The patient's active alerts (`all`: resolved ones too): allergies, medical, admin, each oldest first; audited as a read. */
export async function listAlerts(
  deps: PatientsDeps,
  actor: Actor,
  patientId: string,
  options: { all?: boolean } = {},
): Promise<PatientAlert[]> {
  await assertStaffCan(deps, actor, 'patients.read');
  await assertPatient(deps, patientId);
  const order: Record<AlertKind, number> = { allergy: 0, medical: 1, admin: 2 };
  const rows = (await listPatientAlerts(deps.db.reader, patientId, options.all)).sort(
    (a, b) => order[a.kind] - order[b.kind],
  );
  return deps.audit.recordListRead(
    actor,
    { action: 'patient_alert.list', entity: 'patient', entityId: patientId, patientId },
    rows,
  );
}

/** Adds an alert (audited with its kind). */
export async function addAlert(
  deps: PatientsDeps,
  actor: Actor,
  patientId: string,
  input: unknown,
): Promise<PatientAlert> {
  const data = validated(alertInput, input);
  const by = await assertStaffCan(deps, actor, writes[data.kind]);
  return deps.db.tx(async (ctx) => {
    if (!(await findPatientById(ctx, patientId))) throw notFound('that_patient');
    const row = await insertPatientAlert(ctx, {
      id: newId(),
      patientId,
      kind: data.kind,
      text: data.text,
      severity: data.severity ?? null,
      createdBy: by,
      createdAt: deps.clock.now(),
      resolvedAt: null,
      resolvedBy: null,
    });
    await recordChange(deps.audit, ctx, actor, 'patient_alert.add', row, { kind: row.kind });
    return row;
  });
}

/** Resolves an active alert (it leaves the banner and stays in the list of all); audited. */
export async function resolveAlert(
  deps: PatientsDeps,
  actor: Actor,
  patientId: string,
  alertId: string,
  input: unknown,
): Promise<PatientAlert> {
  validated(alertChangeInput, input);
  const alert = await findPatientAlert(deps.db.reader, patientId, alertId);
  if (!alert) throw notFound('The alert');
  const by = await assertStaffCan(deps, actor, writes[alert.kind]);
  return deps.db.tx(async (ctx) => {
    const row = await resolvePatientAlert(ctx, alert.id, by, deps.clock.now());
    if (!row) throw conflict('This alert was resolved already.', 'already_resolved');
    await recordChange(deps.audit, ctx, actor, 'patient_alert.resolve', row, { kind: row.kind });
    return row;
  });
}
