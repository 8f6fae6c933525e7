import type { DbCtx } from '../../db/client.ts';
import { notFound, validated } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import { readTemplate, type TemplateView, templateOfKind, writtenIn } from '../chart/index.ts';
import { findPatientById } from '../patients/index.ts';
import { recordChange } from '../record-change.ts';
import { type Appointment, appointmentOfPatient, type ConfirmationTarget } from '../scheduling/index.ts';
import type { FormsDeps } from './forms.deps.ts';
import { REMIND_FORMS } from './forms.jobs.ts';
import { formToFillMessage } from './forms.messages.ts';
import {
  countOpenFormsOfAppointment,
  type FormRow,
  insertForm,
  listServiceFormIds,
  listUnremindedOpenForms,
} from './forms.repo.ts';
import { sendFormInput } from './forms.schema.ts';

/** How long before its appointment an unfilled form is reminded of (once). */
export const REMIND_BEFORE_MS = 24 * 3_600_000;

/**
 * Staff send a form template (its latest version) to a patient from the chart, optionally for
 * one of the patient's appointments: the patient is told there is a form to fill in (never what
 * it asks), and reminded once a day before that appointment if it is still unfilled. Audited.
 */
export async function sendForm(
  deps: FormsDeps,
  actor: Actor,
  patientId: string,
  input: unknown,
): Promise<FormRow> {
  const who = await staffWhoCan(deps.db.reader, actor, 'patients.write');
  const data = validated(sendFormInput, input);
  if (!(await findPatientById(deps.db.reader, patientId))) throw notFound('that_patient');
  const template = await templateOfKind(deps, data.templateId, 'form');
  const appointment = data.appointmentId
    ? await appointmentOfPatient(deps.appointments, data.appointmentId, patientId)
    : null;
  return deps.db.tx(async (ctx) => {
    const form = await placeForm(deps, ctx, actor, patientId, template, appointment, who.actor.id);
    await tellPatient(deps, ctx, [form], appointment, `form-to-fill:${form.id}`);
    return form;
  });
}

/**
 * A booking of a service that has forms attached sends them, in the booking's transaction (the
 * scheduling area calls this after placing the appointment): one form per template, and the
 * reminder. The booking's confirmation says how many forms wait in the app (`confirmationLine`).
 */
export async function sendFormsForBooking(
  deps: FormsDeps,
  ctx: DbCtx,
  appointment: Appointment,
  actor: Actor,
): Promise<FormRow[]> {
  const templateIds = await listServiceFormIds(ctx, appointment.serviceId);
  if (templateIds.length === 0) return [];
  const forms: FormRow[] = [];
  // Read in the booking's transaction: PGlite has one connection, which the transaction holds.
  const inTx = { db: { ...deps.db, reader: ctx } };
  for (const templateId of templateIds) {
    const template = await readTemplate(inTx, templateId).catch(() => null);
    if (template?.kind !== 'form') continue;
    const sentBy = actor.type === 'staff' ? actor.id : null;
    forms.push(await placeForm(deps, ctx, actor, appointment.patientId, template, appointment, sentBy));
  }
  // The booking's confirmation says how many forms wait (confirmationLine); the reminder follows.
  if (forms.length) await scheduleReminder(deps, ctx, appointment);
  return forms;
}

async function placeForm(
  deps: FormsDeps,
  ctx: DbCtx,
  actor: Actor,
  patientId: string,
  template: TemplateView,
  appointment: Appointment | null,
  sentBy: string | null,
): Promise<FormRow> {
  const now = deps.clock.now();
  const form = await insertForm(ctx, {
    id: newId(),
    patientId,
    ...writtenIn(template),
    appointmentId: appointment?.id ?? null,
    status: 'sent',
    answers: '{}',
    version: 1,
    sentBy,
    sentAt: now,
    updatedAt: now,
  });
  await recordChange(deps.audit, ctx, actor, 'form.send', form, {
    ...writtenIn(template),
    appointmentId: appointment?.id ?? null,
  });
  return form;
}

/**
 * The line a booking's confirmation gets when forms of its appointment wait in the app (said at
 * send time: none once they are all submitted); never what they ask.
 */
export async function confirmationLine(
  deps: FormsDeps,
  appointment: Appointment,
  target: ConfirmationTarget,
): Promise<string> {
  const n = await countOpenFormsOfAppointment(deps.db.reader, appointment.id);
  if (n === 0) return '';
  const link = target.channel === 'push' ? '' : ` ${deps.baseUrl}/app/#/forms`;
  return target.language === 'fr'
    ? `Avant votre visite, merci de remplir ${n === 1 ? 'un formulaire' : `${n} formulaires`} dans l’application patient.${link}`
    : `Before your visit, please fill in ${n === 1 ? 'a form' : `${n} forms`} in the patient app.${link}`;
}

/** The message that forms wait in the app, and the reminder a day before their appointment. */
async function tellPatient(
  deps: FormsDeps,
  ctx: DbCtx,
  forms: FormRow[],
  appointment: Appointment | null,
  key: string,
): Promise<void> {
  const patientId = forms[0]!.patientId;
  await deps.notify.dispatch(ctx, {
    type: formToFillMessage.type,
    to: { patientId },
    params: { formIds: forms.map((f) => f.id), appointmentId: appointment?.id ?? null },
    key,
    ...(appointment ? { deadline: appointment.startAt } : {}),
  });
  if (appointment) await scheduleReminder(deps, ctx, appointment);
}

/**
 * A moved appointment whose forms are still open and not yet reminded of gets its reminder for
 * the new time (the job of the old time finds them reminded, or waits for the new time).
 */
export async function rescheduleReminder(
  deps: FormsDeps,
  ctx: DbCtx,
  appointment: Appointment,
): Promise<void> {
  if ((await listUnremindedOpenForms(ctx, appointment.id)).length)
    await scheduleReminder(deps, ctx, appointment);
}

/** The reminder of an appointment's forms, a day before it (once per start time). */
async function scheduleReminder(deps: FormsDeps, ctx: DbCtx, appointment: Appointment): Promise<void> {
  const remindAt = new Date(appointment.startAt.getTime() - REMIND_BEFORE_MS);
  if (remindAt.getTime() <= deps.clock.now().getTime()) return;
  await deps.queue.enqueue(
    ctx,
    REMIND_FORMS,
    { appointmentId: appointment.id },
    { runAt: remindAt, uniqueKey: `forms-reminder:${appointment.id}:${appointment.startAt.toISOString()}` },
  );
}
