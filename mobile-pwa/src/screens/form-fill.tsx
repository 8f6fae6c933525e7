/** @jsxImportSource preact */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { type FormSection, resumeStep, sectionsOf, stepOf, unanswered } from '../form-sections.ts';
import { type SaveState, useFormDraft } from '../form-sync.ts';
import { type FormJson, isOpenForm, needsSignature } from '../forms-api.ts';
import { navigate } from '../router.ts';
import { fieldErrors, LoadState, Screen, useErrorText } from '../ui.tsx';
import { SentForm } from './form-answers.tsx';
import { Question, questionId } from './form-fields.tsx';
import { type Missing, SignStep } from './form-sign.tsx';

/**
 * A form from the clinic (`#/form?id=…`), a section at a time with Back and Next and the step
 * shown ("Step 2 of 4" and a progress bar); the last step signs and sends it. Answers are kept on
 * the phone as they are given and saved to the clinic a moment later (form-sync.ts), offline too;
 * the status line says where they are. Opened again, the form resumes where the answers stop.
 * Next checks the section first: each problem is said by its question, and a summary (read out
 * at once) leads to them.
 */
export function FormScreen(props: { params: URLSearchParams }) {
  const app = useApp();
  const { t } = app.i18n;
  const id = props.params.get('id') ?? '';
  const f = useFormDraft(id);
  const form = f.loaded.data?.form;
  const [sent, setSent] = useState<FormJson | null>(null);
  const [step, setStep] = useState<number | null>(null);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [checked, setChecked] = useState(false);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const summary = useRef<HTMLDivElement>(null);
  const moved = useRef(false);
  const sections = form ? sectionsOf(form.fields) : [];

  useEffect(() => {
    if (step === null && f.draft && form) setStep(resumeStep(sectionsOf(form.fields), f.draft.answers));
  }, [f.draft, form]);
  // A new step: its heading takes the focus (not at opening: the screen's title has it then).
  useEffect(() => {
    if (moved.current) stepHeading.current?.focus();
  }, [step]);

  if (sent) return <SentForm form={sent} justSent />;
  if (form && !isOpenForm(form)) return <SentForm form={form} justSent={false} />;
  if (!form || !f.draft || step === null)
    return (
      <Screen title={t('formsTitle')} back={() => navigate('/forms')}>
        <LoadState loaded={f.loaded} />
      </Screen>
    );

  const answers = f.draft.answers;
  const total = sections.length + 1;
  const signing = step >= sections.length;
  const section: FormSection | undefined = sections[step];
  const sign = needsSignature(form);
  const saveIssues = f.save.state === 'failed' ? fieldErrors(f.save.error) : {};
  const errorOf = (fieldId: string): string | undefined => {
    const refused = Object.entries(saveIssues).find(
      ([path]) => path === `answers.${fieldId}` || path.startsWith(`answers.${fieldId}.`),
    );
    if (invalid[fieldId]) return invalid[fieldId];
    if (refused) return refused[1];
    if (checked && section && unanswered(section, answers).some((q) => q.id === fieldId))
      return t('formAnswerThis');
    return undefined;
  };
  const problems = section ? section.fields.filter((q) => errorOf(q.id)) : [];
  const sectionName = (s: FormSection) => s.title ?? form.name;
  const goTo = (next: number) => {
    moved.current = true;
    setChecked(false);
    setStep(Math.max(0, Math.min(next, sections.length)));
    window.scrollTo(0, 0);
  };
  const next = () => {
    if (!section) return;
    const blocked = unanswered(section, answers).length > 0 || section.fields.some((q) => invalid[q.id]);
    if (blocked) {
      setChecked(true);
      setTimeout(() => summary.current?.focus());
      return;
    }
    f.sync();
    goTo(step + 1);
  };
  const missing: Missing[] = sections.flatMap((s, i) =>
    unanswered(s, answers).map((q) => ({ fieldId: q.id, label: q.label, step: i, section: sectionName(s) })),
  );

  return (
    <Screen title={form.name} back={() => navigate('/forms')}>
      <div class="form-progress">
        <p id="form-step" class="step">
          {t('formStep', { n: step + 1, total })}
        </p>
        <progress max={total} value={step + 1} aria-labelledby="form-step" />
        <SaveLine save={f.save} stored={f.stored} />
      </div>
      <h2 ref={stepHeading} tabIndex={-1} class="section-title">
        {signing || !section ? t(sign ? 'signTitle' : 'sendTitle') : sectionName(section)}
      </h2>
      {section && !signing ? (
        <form
          class="form-section"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            next();
          }}
        >
          {section.help && <p class="section-help">{section.help}</p>}
          {checked && problems.length > 0 && (
            <div class="alert" role="alert" tabIndex={-1} ref={summary}>
              <p>{app.i18n.count('formErrors', problems.length)}</p>
              <ul>
                {problems.map((q) => (
                  <li key={q.id}>
                    <button
                      type="button"
                      class="link"
                      onClick={() => document.getElementById(questionId(q.id))?.focus()}
                    >
                      {q.label}: {errorOf(q.id)}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
          {section.fields.map((q) => (
            <Question
              key={q.id}
              field={q}
              value={answers[q.id]}
              error={errorOf(q.id)}
              onChange={(value) => f.change(q.id, value)}
              onInvalid={(message) =>
                setInvalid((all) => {
                  const { [q.id]: _old, ...rest } = all;
                  return message ? { ...rest, [q.id]: message } : rest;
                })
              }
            />
          ))}
          <div class="pager form-nav">
            {step > 0 ? (
              <button key="back" type="button" class="btn plain" onClick={() => goTo(step - 1)}>
                {t('back')}
              </button>
            ) : (
              <span key="back" />
            )}
            <button key="next" type="submit" class="btn primary">
              {step < sections.length - 1 ? t('formNext') : sign ? t('formToSign') : t('formToSend')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <SignStep
            sign={sign}
            missing={missing}
            goTo={goTo}
            refused={(issues) =>
              issues.flatMap((i) => {
                const fieldId = i.path.replace(/^answers\./, '').split('.')[0] ?? '';
                const at = stepOf(sections, fieldId);
                const s = sections[at];
                return s?.fields.some((q) => q.id === fieldId)
                  ? [{ fieldId, label: i.message, step: at, section: sectionName(s) }]
                  : [];
              })
            }
            submit={async (signature) => setSent(await f.submit(signature))}
          />
          {sections.length > 0 && (
            <div class="pager form-nav">
              <button type="button" class="btn plain" onClick={() => goTo(step - 1)}>
                {t('back')}
              </button>
            </div>
          )}
        </>
      )}
    </Screen>
  );
}

/** Where the answers are: saved, saving, waiting on the phone for the network, or refused (why). */
function SaveLine(props: { save: SaveState; stored: boolean }) {
  const { t } = useApp().i18n;
  const errorText = useErrorText();
  const { save } = props;
  let text = '';
  if (save.state === 'saved') text = t('formSaved');
  if (save.state === 'waiting' || save.state === 'saving') text = t('formSaving');
  if (save.state === 'offline') text = t('formSavedOffline');
  if (save.state === 'failed') text = t('formNotSaved', { reason: errorText(save.error) });
  if (!props.stored) text = `${text} ${t('formNotKept')}`.trim();
  return (
    <p class={`save-state small ${save.state}`} role="status">
      {text}
    </p>
  );
}
