import { z } from 'zod';
import { type AreaJobs, areaJobs, defineJob, jobType, upkeepJob, upkeepJobType } from '../../jobs/index.ts';
import type { FormsDeps } from './forms.deps.ts';
import { formReminderMessage } from './forms.messages.ts';
import { listFormsWithoutPdf, listUnremindedOpenForms, markFormsReminded } from './forms.repo.ts';
import { makeFormPdf } from './make-form-pdf.ts';

/** Makes a submitted form's PDF into the patient's documents (carries the form's id only). */
export const MAKE_FORM_PDF = jobType('forms.make-pdf', z.object({ formId: z.string() }));
/** Reminds the patient, once, of an appointment's forms still to fill in, a day before it. */
export const REMIND_FORMS = jobType('forms.remind', z.object({ appointmentId: z.string() }));
/** Hourly: makes the PDFs a crashed job left unmade. */
export const CATCH_UP_FORM_PDFS = upkeepJobType('forms.catch-up-pdfs', '29 * * * *');

const DAY_MS = 24 * 3_600_000;
/** A reminder that runs a little late still counts as "a day before". */
const SLACK_MS = 15 * 60_000;

export function formsJobs(deps: FormsDeps): AreaJobs {
  /* The PDF of one submitted form (skipped when it exists; see make-form-pdf.ts). */
  const pdf = defineJob(MAKE_FORM_PDF, {
    maxAttempts: 8,
    backoff: { baseMs: 30_000, capMs: 3_600_000 },
    handle: (p) => makeFormPdf(deps, p.formId),
  });

  /*
   * The reminder of an appointment's forms: re-reads the appointment (still booked, still ahead);
   * moved later, it waits for the new time; then the forms still open and never reminded are
   * marked reminded and one message goes, in one transaction — so each form is reminded once,
   * however often the job runs. The message says a form waits, never what it asks.
   */
  const remind = defineJob(REMIND_FORMS, {
    maxAttempts: 6,
    backoff: { baseMs: 60_000, capMs: 1_800_000 },
    async handle(p) {
      const found = await deps.appointments.forNotification(p.appointmentId);
      const a = found?.appointment;
      const now = deps.clock.now();
      if (!a || a.status !== 'booked' || a.startAt.getTime() <= now.getTime()) return;
      if (a.startAt.getTime() - now.getTime() > DAY_MS + SLACK_MS) {
        await deps.db.tx((ctx) =>
          deps.queue.enqueue(ctx, REMIND_FORMS, p, {
            runAt: new Date(a.startAt.getTime() - DAY_MS),
            uniqueKey: `forms-reminder:${a.id}:${a.startAt.toISOString()}`,
          }),
        );
        return;
      }
      await deps.db.tx(async (ctx) => {
        const open = await listUnremindedOpenForms(ctx, a.id);
        if (open.length === 0) return;
        if (
          (await markFormsReminded(
            ctx,
            open.map((f) => f.id),
            now,
          )) === 0
        )
          return;
        await deps.notify.dispatch(ctx, {
          type: formReminderMessage.type,
          to: { patientId: a.patientId },
          params: { appointmentId: a.id, formIds: open.map((f) => f.id) },
          key: `form-reminder:${a.id}`,
          deadline: a.startAt,
        });
      });
    },
  });

  /* The PDFs of forms submitted over ten minutes ago that have none (their job died). */
  const catchUp = upkeepJob(CATCH_UP_FORM_PDFS, async () => {
    const before = deps.clock.now().getTime() - 10 * 60_000;
    for (const form of await listFormsWithoutPdf(deps.db.reader, 50)) {
      if (form.submittedAt && form.submittedAt.getTime() < before) await makeFormPdf(deps, form.id);
    }
  });

  return areaJobs(pdf, remind, catchUp);
}
