import { Hono } from 'hono';
import { DateTime } from 'luxon';
import { type FormAnswerRow, FormPage } from '../../../views/pages/staff/forms/form-page.tsx';
import { answerText } from '../../domain/chart/index.ts';
import type { FormDetail } from '../../domain/forms/index.ts';
import { readForm as readPostedForm } from '../kit/form.ts';
import { orRerender } from '../kit/refusal.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { formNotices } from './forms-view.ts';
import { chartPage } from './patients-view.tsx';

/** A form's answers as lines of text, in the template's order. */
function answerRows(form: FormDetail): FormAnswerRow[] {
  return form.fields
    .filter((f) => f.type !== 'signature')
    .map((f) =>
      f.type === 'heading'
        ? { heading: f.label }
        : { label: f.label, answer: answerText(f, form.answers[f.id]) },
    );
}

/**
 * `/staff/patients/:id/forms…`: send a form from the chart (patients.write), a form's answers
 * (clinical.read; audited) and marking it reviewed (clinical.read).
 */
export function staffFormsRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const chartOf = (id: string) => `/staff/patients/${encodeURIComponent(id)}`;

  app.post('/:id/forms', authorize('patients.write'), async (c) => {
    const id = c.req.param('id');
    const posted = await readPostedForm(c);
    return orRerender(
      async () => {
        await deps.forms.send(actorOf(c), id, {
          templateId: posted.text('templateId'),
          appointmentId: posted.text('appointmentId') || null,
        });
        return redirect(c, `${chartOf(id)}?forms=sent#forms`);
      },
      (refusal) =>
        chartPage(deps, kit, c, id, {
          status: refusal.status,
          forms: { error: refusal.message },
        }),
    );
  });

  app.get('/:id/forms/:formId', authorize('clinical.read'), async (c) => {
    const { id, formId } = c.req.param();
    const actor = actorOf(c);
    const form = await deps.forms.read(actor, formId, { patientId: id });
    const [patient, clinic] = await Promise.all([deps.patients.get(actor, id), deps.clinic.get()]);
    const local = (d: Date | null) =>
      d ? DateTime.fromJSDate(d, { zone: clinic.timeZone }).toFormat('d LLL yyyy, HH:mm ZZZZ') : '';
    return c.html(
      FormPage({
        nav: kit.nav(c),
        notice: formNotices[c.req.query('notice') ?? ''],
        form: {
          id: form.id,
          patientId: id,
          patientName: `${patient.firstName} ${patient.lastName}`,
          name: form.name,
          version: form.templateVersion,
          status: form.status,
          sent: local(form.sentAt),
          submitted: local(form.submittedAt),
          reviewed: local(form.reviewedAt),
          rows: answerRows(form),
          signature: form.signature
            ? {
                kind: form.signature.kind,
                name: form.signature.name ?? '',
                image: form.signature.image,
                signed: local(form.signature.signedAt),
                ip: form.signature.ip ?? '',
              }
            : null,
          documentId: form.documentId ?? '',
          canReview: form.status === 'submitted',
        },
      }),
    );
  });

  app.post('/:id/forms/:formId/review', authorize('clinical.read'), async (c) => {
    const { id, formId } = c.req.param();
    const back = (await readPostedForm(c)).text('back');
    await deps.forms.markReviewed(actorOf(c), formId, { patientId: id });
    return redirect(
      c,
      back === 'inbox'
        ? '/staff/inbox?notice=form-reviewed#h-forms-review'
        : `${chartOf(id)}/forms/${encodeURIComponent(formId)}?notice=reviewed`,
    );
  });

  return app;
}
