/** @jsxImportSource preact */
import { api } from '../api.ts';
import { useApp } from '../context.ts';
import { SelectField } from '../fields.tsx';
import { type Language, languages } from '../i18n.ts';
import { disablePush } from '../push.ts';
import { ActionButton, Screen } from '../ui.tsx';
import { WhoCanSignIn } from './profile-access.tsx';
import { ContactDetails } from './profile-contact.tsx';
import { DownloadMyData } from './profile-export.tsx';
import { Family } from './profile-family.tsx';
import { MessageSettings } from './profile-messages.tsx';
import { Passkeys } from './profile-passkeys.tsx';

/** Details, email and phone, language, messages, family members, passkeys, who can sign in, sign-out. */
export function ProfileScreen() {
  const app = useApp();
  const { t } = app.i18n;
  const patient = app.me?.patient;
  if (!patient) return null;
  // A shared phone stops getting this patient's notifications, then forgets their data.
  const signOut = async (path: string) => {
    await disablePush().catch(() => {});
    await api.post(path).catch(() => {});
    await app.signedOut();
  };
  return (
    <Screen title={t('profileTitle')}>
      <section aria-labelledby="details">
        <h2 id="details">{t('details')}</h2>
        <dl class="summary">
          <dt>{t('firstName')}</dt>
          <dd>{patient.firstName}</dd>
          <dt>{t('lastName')}</dt>
          <dd>{patient.lastName}</dd>
          <dt>{t('dateOfBirth')}</dt>
          <dd>{app.i18n.fullDate(patient.dateOfBirth)}</dd>
        </dl>
      </section>
      <ContactDetails patient={patient} />
      <LanguageChoice />
      <MessageSettings patient={patient} />
      <Family />
      <Passkeys />
      <WhoCanSignIn />
      <DownloadMyData />
      <section aria-labelledby="sign-out">
        <h2 id="sign-out" class="visually-hidden">
          {t('signOut')}
        </h2>
        {/* Works offline too: what this phone saved is forgotten at once; the server is told when it can be. */}
        <button type="button" class="btn plain" onClick={() => signOut('/api/v1/auth/sign-out')}>
          {t('signOut')}
        </button>{' '}
        <ActionButton kind="plain" onClick={() => signOut('/api/v1/auth/sign-out-everywhere')}>
          {t('signOutEverywhere')}
        </ActionButton>
      </section>
    </Screen>
  );
}

function LanguageChoice() {
  const app = useApp();
  const { t, lang } = app.i18n;
  return (
    <section aria-labelledby="language">
      <h2 id="language">{t('language')}</h2>
      <SelectField
        label={t('language')}
        hideLabel
        value={lang}
        onChange={async (next) => {
          app.setLanguage(next as Language);
          // Messages from the clinic follow the same choice.
          await api.patch('/api/v1/me', { preferredLanguage: next }).catch(() => {});
        }}
        options={Object.entries(languages).map(([value, label]) => ({ value, label }))}
      />
    </section>
  );
}
