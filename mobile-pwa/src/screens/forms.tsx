/** @jsxImportSource preact */
import { useEffect, useId } from 'preact/hooks';
import { useApp } from '../context.ts';
import { loadDraft, removeDraft } from '../form-drafts.ts';
import { KEPT_ANSWERS_SENT } from '../form-sync.ts';
import { type FormSummaryJson, isOpenForm, keepFormsForOffline, listMyForms } from '../forms-api.ts';
import type { MessageKey } from '../i18n.ts';
import { localDate } from '../i18n.ts';
import { CardList, LoadState, Screen, useLoad } from '../ui.tsx';

/**
 * The forms the clinic sent: those to fill in first (new, or started — and whether answers wait
 * on this phone to be sent), then those sent back, with whether the clinic has seen them. Seen
 * online, the forms still to fill in are kept for offline use by the service worker.
 */
export function FormsScreen() {
  const { t } = useApp().i18n;
  const { loaded, forms = [] } = useMyForms();
  const open = forms.filter(isOpenForm);
  const done = forms.filter((f) => !isOpenForm(f));
  return (
    <Screen title={t('formsTitle')}>
      <p>{t('formsIntro')}</p>
      <LoadState loaded={loaded} />
      {loaded.data && forms.length === 0 && <p class="muted">{t('formsNone')}</p>}
      <FormGroup heading={t('formsOpenHeading')} forms={open} />
      <FormGroup heading={t('formsDoneHeading')} forms={done} />
    </Screen>
  );
}

const statusKey: Record<FormSummaryJson['status'], MessageKey> = {
  sent: 'formStatusSent',
  in_progress: 'formStatusInProgress',
  submitted: 'formStatusSubmitted',
  reviewed: 'formStatusReviewed',
};

/** One group of forms under its heading; nothing when it has none. */
function FormGroup(props: { heading: string; forms: FormSummaryJson[] }) {
  const id = useId();
  if (!props.forms.length) return null;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{props.heading}</h2>
      <CardList items={props.forms} card={(f) => <FormCard form={f} />} />
    </section>
  );
}

function FormCard(props: { form: FormSummaryJson }) {
  const app = useApp();
  const { i18n } = app;
  const { t } = i18n;
  const f = props.form;
  const day = (iso: string) => i18n.fullDate(localDate(iso, app.clinic.timeZone));
  const open = isOpenForm(f);
  const kept = open && (loadDraft(localStorage, f.id)?.pending.length ?? 0) > 0;
  const started = f.status === 'in_progress' || kept;
  return (
    <article class={`card form-card ${f.status}`}>
      <h3 class="document-title">{f.name}</h3>
      <p class="muted small">
        {open || !f.submittedAt
          ? t('formReceivedOn', { day: day(f.sentAt) })
          : t('formSentOn', { day: day(f.submittedAt) })}
      </p>
      <p class={`status ${f.status === 'reviewed' ? 'reviewed' : open ? '' : 'waiting'}`.trim()}>
        {t(started && f.status === 'sent' ? 'formStatusInProgress' : statusKey[f.status])}
      </p>
      {kept && <p class="small kept">{t('formKeptOnPhone')}</p>}
      <div class="actions">
        <a class={open ? 'btn primary' : 'btn plain'} href={`#/form?id=${encodeURIComponent(f.id)}`}>
          {open ? (started ? t('formContinue') : t('formFill')) : t('formYourAnswers')}
          <span class="visually-hidden"> {f.name}</span>
        </a>
      </div>
    </article>
  );
}

/**
 * The forms of whoever the family switcher shows (the patient's own, or a dependant's); once read
 * from the clinic, every open one (the family's) kept for offline use, and the drafts of those
 * sent meanwhile forgotten.
 */
function useMyForms() {
  const loaded = useLoad(listMyForms, 'forms');
  const who = useApp().actingFor;
  useEffect(() => {
    if (!loaded.data || loaded.offline) return;
    keepFormsForOffline(loaded.data.forms.filter(isOpenForm));
    // Sent meanwhile (from another device): what this phone kept of it is not needed any more.
    for (const f of loaded.data.forms) if (!isOpenForm(f)) removeDraft(localStorage, f.id);
  }, [loaded.data]);
  // Answers kept on the phone reached the clinic: the forms' status changed.
  useEffect(() => {
    window.addEventListener(KEPT_ANSWERS_SENT, loaded.reload);
    return () => window.removeEventListener(KEPT_ANSWERS_SENT, loaded.reload);
  }, [loaded.reload]);
  const forms = loaded.data?.forms.filter((f) => !f.patientId || !who || f.patientId === who.id);
  return { loaded, forms };
}

/** On the home screen, when the clinic is waiting for forms: how many, and the way to them. */
export function FormsToFillCard() {
  const { t, count } = useApp().i18n;
  const { forms = [] } = useMyForms();
  const id = useId();
  const open = forms.filter(isOpenForm);
  if (open.length === 0) return null;
  return (
    <section class="card forms-to-fill" aria-labelledby={id}>
      <h2 id={id}>{t('formsToFill')}</h2>
      <p>{count('formsWaiting', open.length)}</p>
      <a
        class="btn primary"
        href={open.length === 1 ? `#/form?id=${encodeURIComponent(open[0]!.id)}` : '#/forms'}
      >
        {open.length === 1 ? `${t('formFill')}: ${open[0]!.name}` : t('formsSeeAll')}
      </a>
    </section>
  );
}
