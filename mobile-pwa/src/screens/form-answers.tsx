/** @jsxImportSource preact */
import { Fragment } from 'preact';
import { useApp } from '../context.ts';
import { isEmptyAnswer } from '../form-drafts.ts';
import { bmiOf, sectionsOf } from '../form-sections.ts';
import type { FormJson, TemplateField } from '../forms-api.ts';
import type { I18n } from '../i18n.ts';
import { localDate } from '../i18n.ts';
import { navigate } from '../router.ts';
import { Alert, Screen } from '../ui.tsx';

/**
 * A form once sent: thanks (just after sending), when it was sent and whether the clinic has seen
 * it, and the answers as the clinic received them, section by section.
 */
export function SentForm(props: { form: FormJson; justSent: boolean }) {
  const app = useApp();
  const { i18n } = app;
  const { t } = i18n;
  const { form } = props;
  const signed = form.fields.find((f) => f.type === 'signature' && !isEmptyAnswer(form.answers[f.id]));
  return (
    <Screen title={form.name} back={() => navigate('/forms')}>
      {props.justSent && <Alert kind="ok">{t('formThanks')}</Alert>}
      <p class={form.status === 'reviewed' ? 'status reviewed' : 'status waiting'}>
        {form.status === 'reviewed' ? t('formStatusReviewed') : t('formStatusSubmitted')}
        {form.submittedAt &&
          ` · ${t('formSentOn', { day: i18n.fullDate(localDate(form.submittedAt, app.clinic.timeZone)) })}`}
      </p>
      <h2>{t('formYourAnswers')}</h2>
      {sectionsOf(form.fields).map((s, i) => (
        <section key={s.title ?? i} class="answers">
          {s.title && <h3>{s.title}</h3>}
          <dl class="summary">
            {s.fields.map((f) => (
              <Fragment key={f.id}>
                <dt>{f.label}</dt>
                <dd class={isEmptyAnswer(form.answers[f.id]) ? 'muted' : undefined}>
                  {answerText(i18n, f, form.answers[f.id])}
                </dd>
              </Fragment>
            ))}
          </dl>
        </section>
      ))}
      {signed && <p class="status">{t('formSigned')}</p>}
      <p>
        <a class="btn plain" href="#/forms">
          {t('formBackToForms')}
        </a>
      </p>
    </Screen>
  );
}

/** An answer in words: choices by their labels, yes or no, a date in the app's language. */
export function answerText(i18n: I18n, field: TemplateField, value: unknown): string {
  const { t } = i18n;
  if (isEmptyAnswer(value)) return t('formNoAnswer');
  const label = (v: unknown) =>
    field.type === 'single-choice' || field.type === 'multiple-choice'
      ? (field.options.find((o) => o.value === v)?.label ?? String(v))
      : String(v);
  const number = (n: number) => new Intl.NumberFormat(i18n.lang).format(n);
  switch (field.type) {
    case 'number':
      return `${number(value as number)}${field.unit ? ` ${field.unit}` : ''}`;
    case 'single-choice':
      return label(value);
    case 'multiple-choice':
      return (value as unknown[]).map(label).join(', ');
    case 'date':
      return i18n.fullDate(String(value));
    case 'yes-no':
      return value ? t('formYes') : t('formNo');
    case 'scale':
      return `${value} / 10`;
    case 'vitals': {
      const v = value as Record<string, number>;
      const parts: string[] = [];
      if (v.systolic !== undefined || v.diastolic !== undefined)
        parts.push(`${v.systolic ?? '–'}/${v.diastolic ?? '–'} mmHg`);
      if (v.pulse !== undefined) parts.push(`${v.pulse}/min`);
      if (v.weightKg !== undefined) parts.push(`${number(v.weightKg)} kg`);
      if (v.heightCm !== undefined) parts.push(`${number(v.heightCm)} cm`);
      const bmi = v.bmi ?? bmiOf(v);
      if (bmi !== null && bmi !== undefined) parts.push(`${t('vitalsBmi')} ${number(bmi)}`);
      return parts.join(', ');
    }
    case 'table':
      return (value as Record<string, string>[])
        .map((row) =>
          field.columns
            .map((c) => row[c.id])
            .filter(Boolean)
            .join(' – '),
        )
        .filter(Boolean)
        .join('; ');
    case 'signature':
      return t('formSigned');
    default:
      return String(value);
  }
}
