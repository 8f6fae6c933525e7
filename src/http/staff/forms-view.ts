import type { Context } from 'hono';
import type { ChartFormRow, FormsSectionView } from '../../../views/pages/staff/forms/forms-section.tsx';
import type { FormToReviewRow } from '../../../views/partials/forms-review.tsx';
import { can } from '../../domain/accounts/index.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { clinicDateTime } from './clinic-time.ts';

/** What the chart's forms section and a form's page say after an action. */
export const formNotices: Record<string, string> = {
  sent: 'The form was sent. The patient is told it waits in the patient app.',
  reviewed: 'The form is marked reviewed.',
};

/**
 * The chart's forms section: every form sent (status for all who see the chart; clinical roles
 * open the answers of a submitted one), and — for members who may change the record — the form
 * to send one, for an upcoming appointment or none. Null for a member who may not read the chart.
 */
export async function formsSection(
  deps: HttpDeps,
  c: Context<AppEnv>,
  patientId: string,
  extra: { notice?: string | undefined; error?: string | undefined } = {},
): Promise<FormsSectionView | undefined> {
  const role = c.get('staff')!.account.role;
  if (!can(role, 'patients.read')) return undefined;
  const actor = actorOf(c);
  const clinic = await deps.clinic.get();
  const local = (d: Date | null) => clinicDateTime(d, clinic.timeZone);
  const { forms, answersReadable } = await deps.forms.listOfPatient(actor, patientId);
  const mayWrite = can(role, 'patients.write');
  const [templates, appointments] = mayWrite
    ? await Promise.all([
        deps.templates.list(actor, 'form'),
        deps.appointments.listOfPatient(actor, patientId),
      ])
    : [[], []];
  const now = deps.clock.now().getTime();
  const rows: ChartFormRow[] = forms.map((f) => ({
    id: f.id,
    name: f.name,
    version: f.templateVersion,
    status: f.status,
    sent: local(f.sentAt),
    submitted: local(f.submittedAt),
  }));
  return {
    patientId,
    rows,
    answersReadable,
    templates: templates.map((t) => ({ id: t.id, name: t.name })),
    appointments: appointments
      .filter((a) => (a.status === 'booked' || a.status === 'requested') && new Date(a.start).getTime() > now)
      .map((a) => ({ id: a.id, name: `${local(new Date(a.start))} — ${a.service}` })),
    notice: extra.notice,
    error: extra.error,
  };
}

/** The Inbox's forms to review (clinical roles; undefined for others, so the section is absent). */
export async function formsToReview(
  deps: HttpDeps,
  c: Context<AppEnv>,
  timeZone: string,
): Promise<FormToReviewRow[] | undefined> {
  if (!can(c.get('staff')!.account.role, 'clinical.read')) return undefined;
  const rows = await deps.forms.toReview(actorOf(c));
  return rows.map((f) => ({
    id: f.id,
    patientId: f.patientId,
    patient: `${f.patient.firstName} ${f.patient.lastName}`,
    name: f.name,
    submitted: clinicDateTime(f.submittedAt, timeZone),
  }));
}
