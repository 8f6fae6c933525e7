/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useApp } from '../context.ts';
import { navigate } from '../router.ts';
import { ActionForm, Alert, BirthDateField, Check, Field, Screen } from '../ui.tsx';
import { useForm } from '../use-form.ts';

/** First visit with an unknown address: the few details the clinic needs, and the consents. */
export function RegisterScreen() {
  const app = useApp();
  const { t } = app.i18n;
  const form = useForm({ firstName: '', lastName: '', dateOfBirth: '', phone: '' });
  const [consents, setConsents] = useState({ email: true, sms: true, terms: false });

  if (!app.clinic.selfRegistration)
    return (
      <Screen title={t('registerTitle')}>
        <p>{t('registrationClosed')}</p>
      </Screen>
    );

  const register = form.submit(async () => {
    const { phone, ...names } = form.values;
    await api.post('/api/v1/me/registration', {
      ...names,
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      messagesByEmail: consents.email,
      messagesBySms: consents.sms,
      acceptTerms: consents.terms,
    });
    await app.refreshMe();
    navigate('/');
  });
  const consent = (key: keyof typeof consents) => ({
    checked: consents[key],
    onChange: (v: boolean) => setConsents({ ...consents, [key]: v }),
  });
  return (
    <Screen title={t('registerTitle')}>
      <ActionForm onSubmit={register} submit={t('register')}>
        <p>{t('registerIntro')}</p>
        <Field label={t('firstName')} autocomplete="given-name" required {...form.field('firstName')} />
        <Field label={t('lastName')} autocomplete="family-name" required {...form.field('lastName')} />
        <BirthDateField {...form.field('dateOfBirth')} />
        <Field
          label={t('phoneOptional')}
          hint={t('phoneHint')}
          type="tel"
          autocomplete="tel"
          {...form.field('phone')}
        />
        <Check label={t('consentEmail')} {...consent('email')} />
        <Check label={t('consentSms')} {...consent('sms')} />
        <Check name="acceptTerms" label={t('acceptTerms')} {...consent('terms')} />
        {form.issues.acceptTerms && <p class="error">{form.issues.acceptTerms}</p>}
        <Alert>{form.message}</Alert>
      </ActionForm>
    </Screen>
  );
}
