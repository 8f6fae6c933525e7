import type { DbCtx } from '../../db/client.ts';
import type { Actor } from '../audit/index.ts';
import type { Appointment } from '../scheduling/index.ts';
import type { FormDetail, FormSummary } from './form-view.ts';
import type { FormsDeps } from './forms.deps.ts';
import type { FormRow } from './forms.repo.ts';
import { listOwnForms, type PatientActor, readOwnForm, saveOwnAnswers } from './patient-forms.ts';
import { sendForm, sendFormsForBooking } from './send-form.ts';
import { formsOfService, setFormsOfService } from './service-forms.ts';
import {
  type ChartForms,
  type FormToReview,
  listFormsOfPatient,
  listFormsToReview,
  markReviewed,
  readForm,
} from './staff-forms.ts';
import { submitOwnForm } from './submit-form.ts';

/**
 * Patients' forms for staff (the chart, the Inbox, the services' settings), for the patient app
 * (their own and their dependants', held to that scope here) and for bookings (a service's forms
 * are sent with it). Every read and change is audited with ids only; each use case is a file.
 */
export function formsService(deps: FormsDeps) {
  return {
    /** Staff send a form template to a patient ({templateId, appointmentId?}); patients.write. */
    send: (actor: Actor, patientId: string, input: unknown): Promise<FormRow> =>
      sendForm(deps, actor, patientId, input),
    /** A booking's forms (the service's), in the booking's transaction. */
    sendForBooking: (ctx: DbCtx, appointment: Appointment, actor: Actor): Promise<FormRow[]> =>
      sendFormsForBooking(deps, ctx, appointment, actor),
    /** A chart's forms with their status (patients.read); answers need clinical.read. */
    listOfPatient: (actor: Actor, patientId: string): Promise<ChartForms> =>
      listFormsOfPatient(deps, actor, patientId),
    /** One form with its answers (clinical.read); `scope` answers 404 for another patient's. */
    read: (actor: Actor, id: string, scope?: { patientId?: string }): Promise<FormDetail> =>
      readForm(deps, actor, id, scope),
    /** Submitted forms not yet reviewed (the Inbox; clinical.read). */
    toReview: (actor: Actor, limit?: number): Promise<FormToReview[]> =>
      listFormsToReview(deps, actor, limit),
    /** Marks a submitted form reviewed (clinical.read). */
    markReviewed: (actor: Actor, id: string, scope?: { patientId?: string }): Promise<FormSummary> =>
      markReviewed(deps, actor, id, scope),

    /** The form templates a service sends with each booking. */
    ofService: (actor: Actor, serviceId: string): Promise<string[]> => formsOfService(deps, actor, serviceId),
    /** Sets them ({templateIds}; settings.manage). */
    setOfService: (actor: Actor, serviceId: string, input: unknown): Promise<string[]> =>
      setFormsOfService(deps, actor, serviceId, input),

    /** The signed-in patient's forms and their dependants'. */
    listOwn: (actor: PatientActor): Promise<FormSummary[]> => listOwnForms(deps, actor),
    /** One of them, with its fields and answers. */
    readOwn: (actor: PatientActor, id: string): Promise<FormDetail> => readOwnForm(deps, actor, id),
    /** Saves answers ({version, answers}): 409 version_conflict / form_submitted. */
    saveOwn: (actor: PatientActor, id: string, input: unknown): Promise<FormDetail> =>
      saveOwnAnswers(deps, actor, id, input),
    /** Submits ({version, signature?}): locked, its PDF made into the patient's documents. */
    submitOwn: (actor: PatientActor, id: string, input: unknown): Promise<FormDetail> =>
      submitOwnForm(deps, actor, id, input),
  };
}

export type FormsService = ReturnType<typeof formsService>;
