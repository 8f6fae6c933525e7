/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import { api, type PatientJson } from '../api.ts';
import { useApp } from '../context.ts';
import { type Language, languages } from '../i18n.ts';
import { canAskForPush, disablePush, enablePush, hasPushSubscription } from '../push.ts';
import {
  ActionButton,
  ActionForm,
  Alert,
  Check,
  Field,
  fieldErrors,
  LoadState,
  Screen,
  SelectField,
  useErrorText,
  useLoad,
} from '../ui.tsx';

/** Details, language, messages, passkeys, family members, sign-out. */
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
          <dd>
            {patient.firstName} {patient.lastName}
          </dd>
          <dt>{t('dateOfBirth')}</dt>
          <dd>{app.i18n.day(patient.dateOfBirth)}</dd>
          {patient.email && (
            <>
              <dt>{t('emailLabel')}</dt>
              <dd>{patient.email}</dd>
            </>
          )}
          {patient.phone && (
            <>
              <dt>{t('phoneLabel')}</dt>
              <dd>{patient.phone}</dd>
            </>
          )}
        </dl>
      </section>
      <LanguageChoice />
      <Messages patient={patient} />
      <Family />
      <Passkeys />
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

function Messages(props: { patient: PatientJson }) {
  const app = useApp();
  const { t } = app.i18n;
  const errorText = useErrorText();
  const saved = props.patient.notifications;
  const [byEmail, setByEmail] = useState(saved?.email ?? props.patient.messagesByEmail ?? true);
  const [bySms, setBySms] = useState(saved?.sms ?? props.patient.messagesBySms ?? true);
  // "On this phone": the account's push preference and this device's subscription together.
  const [pushChoice, setPushChoice] = useState<boolean | null>(null);
  const [quiet, setQuietState] = useState(saved?.quietHours ?? null);
  // Sent only when changed here: otherwise the patient keeps following the clinic's default.
  const [quietEdited, setQuietEdited] = useState(false);
  const setQuiet = (q: typeof quiet) => {
    setQuietState(q);
    setQuietEdited(true);
  };
  const [hasDevice, setHasDevice] = useState(false);
  const [status, setStatus] = useState<{ ok?: string; error?: unknown }>({});
  const pushPossible = canAskForPush();
  useEffect(() => {
    hasPushSubscription().then(setHasDevice);
  }, []);
  const byPush = pushChoice ?? ((saved?.push ?? true) && hasDevice);
  const save = async () => {
    setStatus({});
    try {
      await api.patch('/api/v1/me', {
        notifications: {
          email: byEmail,
          sms: bySms,
          ...(quietEdited ? { quietHours: quiet } : {}),
          ...(pushChoice === null ? {} : { push: pushChoice }),
        },
      });
      await app.refreshMe();
    } catch (error) {
      setStatus({ error });
      return;
    }
    // The phone's subscription follows a changed choice; the browser may still say no.
    let ok = t('saved');
    if (pushChoice !== null && pushChoice !== hasDevice) {
      try {
        await (pushChoice ? enablePush() : disablePush());
        setHasDevice(pushChoice);
      } catch {
        ok = `${ok} ${t('pushFailed')}`;
      }
    }
    setStatus({ ok });
  };
  const issues = fieldErrors(status.error);
  return (
    <section aria-labelledby="messages">
      <h2 id="messages">{t('notifications')}</h2>
      <p class="muted small">{t('notificationsIntro')}</p>
      <ActionForm onSubmit={save} submit={t('save')}>
        <Check label={t('byEmail')} checked={byEmail} onChange={setByEmail} />
        <Check label={t('bySms')} checked={bySms} onChange={setBySms} />
        {(pushPossible || hasDevice) && (
          <Check label={t('byPush')} checked={byPush} onChange={setPushChoice} />
        )}
        <Check
          label={t('quietHours')}
          checked={quiet !== null}
          onChange={(on) => setQuiet(on ? { start: '21:00', end: '08:00' } : null)}
        />
        {quiet && (
          <div class="pair">
            <Field
              label={t('quietFrom')}
              type="time"
              value={quiet.start}
              error={issues['notifications.quietHours.start'] ?? issues['notifications.quietHours']}
              onInput={(e) => setQuiet({ ...quiet, start: e.currentTarget.value })}
            />
            <Field
              label={t('quietTo')}
              type="time"
              value={quiet.end}
              error={issues['notifications.quietHours.end']}
              onInput={(e) => setQuiet({ ...quiet, end: e.currentTarget.value })}
            />
          </div>
        )}
        {status.ok && <Alert kind="ok">{status.ok}</Alert>}
        <Alert>{status.error && Object.keys(issues).length === 0 ? errorText(status.error) : null}</Alert>
      </ActionForm>
    </section>
  );
}

function Family() {
  const app = useApp();
  const { t } = app.i18n;
  const errorText = useErrorText();
  const [form, setForm] = useState({ firstName: '', lastName: '', dateOfBirth: '' });
  const [error, setError] = useState<unknown>(null);
  const dependents = app.family.slice(1);
  const add = async () => {
    setError(null);
    try {
      await api.post('/api/v1/me/dependents', form);
      setForm({ firstName: '', lastName: '', dateOfBirth: '' });
      await app.refreshMe();
    } catch (e) {
      setError(e);
    }
  };
  const issues = fieldErrors(error);
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
          <Field
            label={t('firstName')}
            value={form.firstName}
            error={issues.firstName}
            onInput={(e) => setForm({ ...form, firstName: e.currentTarget.value })}
          />
          <Field
            label={t('lastName')}
            value={form.lastName}
            error={issues.lastName}
            onInput={(e) => setForm({ ...form, lastName: e.currentTarget.value })}
          />
          <Field
            label={t('dateOfBirth')}
            type="date"
            value={form.dateOfBirth}
            error={issues.dateOfBirth}
            onInput={(e) => setForm({ ...form, dateOfBirth: e.currentTarget.value })}
          />
          <Alert>{error && Object.keys(issues).length === 0 ? errorText(error) : null}</Alert>
        </ActionForm>
      </details>
    </section>
  );
}

interface Passkey {
  id: string;
  name: string;
}

function Passkeys() {
  const { t } = useApp().i18n;
  const errorText = useErrorText();
  const loaded = useLoad(() => api.get<{ passkeys: Passkey[] }>('/api/v1/me/passkeys'), 'passkeys');
  const [status, setStatus] = useState<{ ok?: string; error?: unknown }>({});
  if (!('PublicKeyCredential' in window)) return null;
  const add = async () => {
    setStatus({});
    try {
      const { startRegistration } = await import('@simplewebauthn/browser');
      const { data: optionsJSON } = await api.post<Parameters<typeof startRegistration>[0]['optionsJSON']>(
        '/api/v1/me/passkeys/options',
      );
      const response = await startRegistration({ optionsJSON });
      await api.post('/api/v1/me/passkeys', { name: t('passkeyName'), response });
      setStatus({ ok: t('passkeyAdded') });
      loaded.reload();
    } catch (error) {
      setStatus({ error });
    }
  };
  return (
    <section aria-labelledby="passkeys">
      <h2 id="passkeys">{t('passkeys')}</h2>
      <p class="muted small">{t('passkeysIntro')}</p>
      <LoadState loaded={loaded} />
      <ul class="list">
        {loaded.data?.passkeys.map((k) => (
          <li key={k.id} class="row">
            <span>{k.name}</span>
            <ActionButton
              kind="plain"
              onClick={async () => {
                await api.delete(`/api/v1/me/passkeys/${k.id}`).catch((error) => setStatus({ error }));
                loaded.reload();
              }}
            >
              {t('remove')}
            </ActionButton>
          </li>
        ))}
      </ul>
      <ActionButton kind="plain" onClick={add}>
        {t('addPasskey')}
      </ActionButton>
      {status.ok && <Alert kind="ok">{status.ok}</Alert>}
      <Alert>{status.error ? errorText(status.error) : null}</Alert>
    </section>
  );
}
