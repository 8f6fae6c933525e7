/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useApp } from '../context.ts';
import { Field } from '../fields.tsx';
import { ActionForm, Alert, useErrorText } from '../ui.tsx';
import { useForm } from '../use-form.ts';
import { PeopleList, ProfileSection } from './profile-section.tsx';

/**
 * The family members the patient books for: adding one (up to the clinic's number: past it the
 * server's refusal says so) and removing one (the patient's access to their record ends).
 */
export function Family() {
  const app = useApp();
  const { t } = app.i18n;
  const errorText = useErrorText();
  const blank = { firstName: '', lastName: '', dateOfBirth: '' };
  const form = useForm(blank);
  const [error, setError] = useState<unknown>(null);
  const dependents = app.family.slice(1);
  const add = form.submit(async () => {
    await api.post('/api/v1/me/dependents', form.values);
    form.setValues(blank);
    await app.refreshMe();
  });
  const remove = (id: string) => async () => {
    setError(null);
    try {
      await api.delete(`/api/v1/me/access/dependents/${id}`);
      await app.refreshMe();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <ProfileSection id="family" title={t('family')} intro={t('familyIntro')}>
      <PeopleList people={dependents} action={t('remove')} onAction={remove} />
      <Alert>{error ? errorText(error) : null}</Alert>
      <details>
        <summary>{t('addFamily')}</summary>
        <ActionForm onSubmit={add} submit={t('add')}>
          <Field label={t('firstName')} {...form.field('firstName')} />
          <Field label={t('lastName')} {...form.field('lastName')} />
          <Field label={t('dateOfBirth')} type="date" {...form.field('dateOfBirth')} />
          <Alert>{form.message}</Alert>
        </ActionForm>
      </details>
    </ProfileSection>
  );
}
