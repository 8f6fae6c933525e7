/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useApp } from '../context.ts';
import { navigate } from '../router.ts';
import { ActionForm, Alert, Field, fieldErrors, Screen, useErrorText } from '../ui.tsx';

/** A staff invitation: the link's token and the date of birth on record. */
export function InviteScreen(props: { params: URLSearchParams }) {
  const app = useApp();
  const { t } = app.i18n;
  const errorText = useErrorText();
  const [dateOfBirth, setDateOfBirth] = useState('');
  const [error, setError] = useState<unknown>(null);
  const accept = async () => {
    setError(null);
    try {
      await api.post('/api/v1/auth/invite', { token: props.params.get('token') ?? '', dateOfBirth });
      await app.refreshMe();
      navigate('/');
    } catch (e) {
      setError(e);
    }
  };
  const issues = fieldErrors(error);
  return (
    <Screen title={t('inviteTitle')}>
      <ActionForm onSubmit={accept} submit={t('accept')}>
        <p>{t('inviteIntro')}</p>
        <Field
          label={t('dateOfBirth')}
          type="date"
          name="dateOfBirth"
          autocomplete="bday"
          required
          value={dateOfBirth}
          error={issues.dateOfBirth}
          onInput={(e) => setDateOfBirth(e.currentTarget.value)}
        />
        <Alert>{error && !issues.dateOfBirth ? errorText(error) : null}</Alert>
      </ActionForm>
    </Screen>
  );
}
