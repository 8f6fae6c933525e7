/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api.ts';
import { useApp } from '../context.ts';
import { BirthDateField, Check, Field, PhoneField } from '../fields.tsx';
import { navigate } from '../router.ts';
import { ActionForm, Alert, Screen } from '../ui.tsx';
import { useForm } from '../use-form.ts';

/**
 * Whether the address just signed in with is on a record at the clinic (then its date of birth
 * opens it, rather than a second record): null while asking, false when not or when the patient
 * says it is not theirs.
 */
function useRecordOnFile(): [boolean | null, () => void] {
  const [onFile, setOnFile] = useState<boolean | null>(null);
  useEffect(() => {
    api.get<{ recordOnFile: boolean }>('/api/v1/auth/record').then(
      (a) => setOnFile(a.data.recordOnFile),
      () => setOnFile(false),
    );
  }, []);
  return [onFile, () => setOnFile(false)];
}

/**
 * First visit with an address the app does not know: when it is on a record at the clinic, the
 * date of birth on it opens that record; else (or when it is not theirs) the few details the
 * clinic needs, and the consents.
 */
export function RegisterScreen() {
  const { t } = useApp().i18n;
  const [onFile, notMine] = useRecordOnFile();
  if (onFile === null)
    return (
      <Screen title={t('registerTitle')}>
        <p role="status">{t('loading')}</p>
      </Screen>
    );
  return onFile ? <OpenRecord notMine={notMine} /> : <NewProfile />;
}

/** The record on file, opened with the date of birth on it (5 wrong ones close this way). */
function OpenRecord(props: { notMine: () => void }) {
  const app = useApp();
  const { t } = app.i18n;
  const form = useForm({ dateOfBirth: '' });
  const open = form.submit(async () => {
    try {
      await api.post('/api/v1/auth/record', form.values);
    } catch (error) {
      // No longer open to linking: making a profile is what is left.
      if (error instanceof ApiError && error.status === 404) return props.notMine();
      throw error;
    }
    await app.refreshMe();
    navigate('/');
  });
  return (
    <Screen title={t('recordTitle')}>
      <ActionForm onSubmit={open} submit={t('openRecord')}>
        <p>{t('recordIntro')}</p>
        <BirthDateField {...form.field('dateOfBirth')} />
        <Alert>{form.message}</Alert>
      </ActionForm>
      <p>
        <button type="button" class="link" onClick={props.notMine}>
          {t('notMyRecord')}
        </button>
      </p>
    </Screen>
  );
}

/** A new profile: the few details the clinic needs, and the consents. */
function NewProfile() {
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
        <PhoneField label={t('phoneOptional')} {...form.field('phone')} />
        <Check label={t('consentEmail')} {...consent('email')} />
        <Check label={t('consentSms')} {...consent('sms')} />
        <Check name="acceptTerms" label={t('acceptTerms')} {...consent('terms')} />
        {form.issues.acceptTerms && <p class="error">{form.issues.acceptTerms}</p>}
        <Alert>{form.message}</Alert>
      </ActionForm>
    </Screen>
  );
}
