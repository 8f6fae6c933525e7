import type { Context } from 'hono';
import { DateTime } from 'luxon';
import type { NoteToFinish } from '../../../views/pages/staff/today.tsx';
import { can } from '../../domain/accounts/index.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

/**
 * The signed-in practitioner's notes to finish (drafts begun before today), for Today and the
 * Inbox; undefined for members who do not write notes. The chart service audits the read; each
 * patient's name is read once through the patients service.
 */
export async function notesToFinishView(
  deps: HttpDeps,
  c: Context<AppEnv>,
  clinic: { timeZone: string; locale: string },
): Promise<NoteToFinish[] | undefined> {
  const account = c.get('staff')!.account;
  if (!can(account.role, 'clinical.write')) return undefined;
  const actor = actorOf(c);
  const notes = await deps.notes.toFinish(actor);
  const ids = [...new Set(notes.map((n) => n.patientId))];
  const patients = await Promise.all(ids.map((id) => deps.patients.get(actor, id)));
  const nameOf = new Map(patients.map((p) => [p.id, `${p.firstName} ${p.lastName}`]));
  return notes.map((n) => ({
    id: n.id,
    patient: nameOf.get(n.patientId) ?? '—',
    template: n.templateName ?? 'Note',
    begun: DateTime.fromJSDate(n.createdAt, { zone: clinic.timeZone })
      .setLocale(clinic.locale)
      .toFormat('d LLL yyyy'),
    href: `/staff/patients/${n.patientId}/notes/${n.id}`,
  }));
}
