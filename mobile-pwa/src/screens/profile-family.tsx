/** @jsxImportSource preact */
import { api } from '../api.ts';
import { useApp } from '../context.ts';
import { ActionForm, Alert, Field } from '../ui.tsx';
import { useForm } from '../use-form.ts';

/** The family members the patient books for, and adding one. */
export function Family() {
  const app = useApp();
  const { t } = app.i18n;
  const blank = { firstName: '', lastName: '', dateOfBirth: '' };
  const form = useForm(blank);
  const dependents = app.family.slice(1);
  const add = form.submit(async () => {
    await api.post('/api/v1/me/dependents', form.values);
    form.setValues(blank);
    await app.refreshMe();
  });
  return (
    <section aria-labelledby="family">
      <h2 id="family">{t('family')}</h2>
      <p class="muted small">{t('familyIntro')}</p>
      <ul class="list">
        {dependents.map((d) => (
          <li key={d.id}>
            {d.firstName} {d.lastName}
          </li>
        ))}
      </ul>
      <details>
        <summary>{t('addFamily')}</summary>
        <ActionForm onSubmit={add} submit={t('add')}>
          <Field label={t('firstName')} {...form.field('firstName')} />
          <Field label={t('lastName')} {...form.field('lastName')} />
          <Field label={t('dateOfBirth')} type="date" {...form.field('dateOfBirth')} />
          <Alert>{form.message}</Alert>
        </ActionForm>
      </details>
    </section>
  );
}
