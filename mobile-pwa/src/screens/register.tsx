/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useApp } from '../context.ts';
import { navigate } from '../router.ts';
import { ActionForm, Alert, Check, Field, fieldErrors, Screen, useErrorText } from '../ui.tsx';

/** First visit with an unknown address: the few details the clinic needs, and the consents. */
export function RegisterScreen() {
  const app = useApp();
  const { t } = app.i18n;
  const errorText = useErrorText();
  const [form, setForm] = useState({ firstName: '', lastName: '', dateOfBirth: '', phone: '' });
  const [consents, setConsents] = useState({ email: true, sms: true, terms: false });
  const [error, setError] = useState<unknown>(null);
  const set = (key: keyof typeof form) => (e: Event) =>
    setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });

  if (!app.clinic.selfRegistration)
    return (
      <Screen title={t('registerTitle')}>
        <p>{t('registrationClosed')}</p>
      </Screen>
    );

  const register = async () => {
    setError(null);
    try {
      await api.post('/api/v1/me/registration', {
        firstName: form.firstName,
        lastName: form.lastName,
        dateOfBirth: form.dateOfBirth,
        ...(form.phone.trim() ? { phone: form.phone.trim() } : {}),
        messagesByEmail: consents.email,
        messagesBySms: consents.sms,
        acceptTerms: consents.terms,
      });
      await app.refreshMe();
      navigate('/');
    } catch (e) {
      setError(e);
    }
  };
  const issues = fieldErrors(error);
  return (
    <Screen title={t('registerTitle')}>
      <ActionForm onSubmit={register} submit={t('register')}>
        <p>{t('registerIntro')}</p>
        <Field
          label={t('firstName')}
          name="firstName"
          autocomplete="given-name"
          required
          value={form.firstName}
          error={issues.firstName}
          onInput={set('firstName')}
        />
        <Field
          label={t('lastName')}
          name="lastName"
          autocomplete="family-name"
          required
          value={form.lastName}
          error={issues.lastName}
          onInput={set('lastName')}
        />
        <Field
          label={t('dateOfBirth')}
          type="date"
          name="dateOfBirth"
          autocomplete="bday"
          required
          value={form.dateOfBirth}
          error={issues.dateOfBirth}
          onInput={set('dateOfBirth')}
        />
        <Field
          label={t('phoneOptional')}
          hint={t('phoneHint')}
          type="tel"
          name="phone"
          autocomplete="tel"
          value={form.phone}
          error={issues.phone}
          onInput={set('phone')}
        />
        <Check
          label={t('consentEmail')}
          checked={consents.email}
          onChange={(v) => setConsents({ ...consents, email: v })}
        />
        <Check
          label={t('consentSms')}
          checked={consents.sms}
          onChange={(v) => setConsents({ ...consents, sms: v })}
        />
        <Check
          name="acceptTerms"
          label={t('acceptTerms')}
          checked={consents.terms}
          onChange={(v) => setConsents({ ...consents, terms: v })}
        />
        {issues.acceptTerms && <p class="error">{issues.acceptTerms}</p>}
        <Alert>{error && Object.keys(issues).length === 0 ? errorText(error) : null}</Alert>
      </ActionForm>
    </Screen>
  );
}
