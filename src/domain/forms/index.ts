import { type BuildDeps, defineArea } from '../area.ts';
import type { TemplatesService } from '../chart/index.ts';
import type { DocumentsService } from '../documents/index.ts';
import type { Notifier } from '../notifications/index.ts';
import type { AppointmentsService } from '../scheduling/index.ts';
import type { FormsDeps } from './forms.deps.ts';
import { formsJobs } from './forms.jobs.ts';
import { formsMessages } from './forms.messages.ts';
import { formsService } from './forms.service.ts';
import { formsEraseStep } from './patient-erase.repo.ts';
import { formsMergeStep } from './patient-merge.repo.ts';
import { confirmationLine, rescheduleReminder } from './send-form.ts';

export { FormVersionConflict } from './form-errors.ts';
export type { FormDetail, FormSummary, SignatureView } from './form-view.ts';
export { CATCH_UP_FORM_PDFS, MAKE_FORM_PDF, REMIND_FORMS } from './forms.jobs.ts';
export { formReminderMessage, formToFillMessage } from './forms.messages.ts';
export type { FormRow } from './forms.repo.ts';
export { type FormStatus, formStatuses, openStatuses } from './forms.schema.ts';
export { type FormsService, formsService } from './forms.service.ts';
export { REMIND_BEFORE_MS } from './send-form.ts';
export type { ChartForms, FormToReview } from './staff-forms.ts';

/**
 * Patients' forms (issue 17): form templates of the chart area sent to patients — from the chart,
 * or with a booking of a service they are attached to — filled in the patient app with a version
 * check on every save, submitted with a drawn or typed signature (its time and address kept),
 * kept as answers and as a PDF in the patient's documents, reviewed by clinical staff from the
 * Inbox, and reminded once a day before their appointment. Answers never reach logs, jobs,
 * messages or audit details.
 */
export const formsArea = defineArea({
  name: 'forms',
  build(
    deps: BuildDeps<{
      notifications: { notifier: Notifier };
      appointments: Pick<
        AppointmentsService,
        'forNotification' | 'patientForNotification' | 'onBooked' | 'addConfirmationLine'
      >;
      templates: Pick<TemplatesService, 'list'>;
      documents: Pick<DocumentsService, 'upload' | 'remove'>;
    }>,
  ) {
    const formsDeps: FormsDeps = {
      db: deps.db,
      clock: deps.clock,
      audit: deps.audit,
      queue: deps.queue,
      clinic: deps.clinic,
      notify: deps.notifications.notifier,
      appointments: deps.appointments,
      templates: deps.templates,
      documents: deps.documents,
      baseUrl: deps.publicUrl,
    };
    const forms = formsService(formsDeps);
    deps.appointments.onBooked((ctx, appointment, actor, event) =>
      event === 'booked'
        ? forms.sendForBooking(ctx, appointment, actor)
        : rescheduleReminder(formsDeps, ctx, appointment),
    );
    deps.appointments.addConfirmationLine((appointment, target) =>
      confirmationLine(formsDeps, appointment, target),
    );
    const jobs = formsJobs(formsDeps);
    return {
      services: { forms },
      jobs,
      patientMerge: [formsMergeStep],
      patientErase: [formsEraseStep],
      messages: [
        formsMessages({
          db: deps.db,
          clock: deps.clock,
          clinic: deps.clinic,
          appointments: deps.appointments,
          baseUrl: deps.publicUrl,
        }),
      ],
    };
  },
});
