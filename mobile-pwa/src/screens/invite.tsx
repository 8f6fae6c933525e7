/** @jsxImportSource preact */
import { api } from '../api.ts';
import { useApp } from '../context.ts';
import { BirthDateField } from '../fields.tsx';
import { navigate } from '../router.ts';
import { ActionForm, Alert, Screen, useErrorText } from '../ui.tsx';
import { useForm } from '../use-form.ts';

/** A staff invitation: the link's token and the date of birth on record. */
export function InviteScreen(props: { params: URLSearchParams }) {
  const app = useApp();
  const { t } = app.i18n;
  const errorText = useErrorText();
  const form = useForm({ dateOfBirth: '' });
  const accept = form.submit(async () => {
    await api.post('/api/v1/auth/invite', { token: props.params.get('token') ?? '', ...form.values });
    await app.refreshMe();
    navigate('/');
  });
  // The token has no field here: a problem with it is said in words.
  const message = form.error && !form.issues.dateOfBirth ? errorText(form.error) : null;
  return (
    <Screen title={t('inviteTitle')}>
      <ActionForm onSubmit={accept} submit={t('accept')}>
        <p>{t('inviteIntro')}</p>
        <BirthDateField {...form.field('dateOfBirth')} />
        <Alert>{message}</Alert>
      </ActionForm>
    </Screen>
  );
}
