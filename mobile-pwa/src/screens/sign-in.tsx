/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useApp } from '../context.ts';
import { navigate } from '../router.ts';
import { ActionButton, ActionForm, Alert, Field, fieldErrors, Screen, useErrorText } from '../ui.tsx';

/** After signing in: where the patient was going (a waitlist offer's booking link), else home. */
function continueTo(params: URLSearchParams) {
  const next = params.get('next');
  if (next?.startsWith('/') && !next.startsWith('/sign-in')) {
    const [path, query = ''] = next.split('?', 2) as [string, string?];
    navigate(path, Object.fromEntries(new URLSearchParams(query)));
  } else navigate('/');
}

export function SignInScreen(props: { params: URLSearchParams }) {
  const app = useApp();
  const { t } = app.i18n;
  const errorText = useErrorText();
  const [channel, setChannel] = useState<'email' | 'phone'>('email');
  const [address, setAddress] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [linking, setLinking] = useState(false);

  // The emailed link: signs in at once, in the browser that asked for the code.
  const linkEmail = props.params.get('email');
  const linkToken = props.params.get('link');
  useEffect(() => {
    if (!linkEmail || !linkToken) return;
    setLinking(true);
    api
      .post('/api/v1/auth/verify-link', { email: linkEmail, token: linkToken })
      .then(async () => {
        await app.refreshMe();
        continueTo(props.params);
      })
      .catch(() => {
        setLinking(false);
        setAddress(linkEmail);
        setError(new Error(t('linkFailed')));
      });
  }, [linkEmail, linkToken]);

  const body = () => (channel === 'email' ? { email: address.trim() } : { phone: address.trim() });
  const send = async () => {
    setError(null);
    try {
      await api.post('/api/v1/auth/start', body());
      setSentTo(address.trim());
      setCode('');
    } catch (e) {
      setError(e);
    }
  };
  const verify = async () => {
    setError(null);
    try {
      await api.post('/api/v1/auth/verify', { ...body(), code: code.trim() });
      await app.refreshMe();
      continueTo(props.params);
    } catch (e) {
      setError(e);
    }
  };
  const passkey = async () => {
    setError(null);
    try {
      const { startAuthentication } = await import('@simplewebauthn/browser');
      const { data: optionsJSON } = await api.post<Parameters<typeof startAuthentication>[0]['optionsJSON']>(
        '/api/v1/auth/passkey/options',
      );
      const assertion = await startAuthentication({ optionsJSON });
      await api.post('/api/v1/auth/passkey', assertion);
      await app.refreshMe();
      continueTo(props.params);
    } catch {
      setError(new Error(t('passkeyFailed')));
    }
  };

  const issues = fieldErrors(error);
  const message = error && Object.keys(issues).length === 0 ? messageOf(error, errorText) : null;

  if (linking)
    return (
      <Screen title={t('signInTitle')}>
        <p role="status">{t('signingIn')}</p>
      </Screen>
    );

  return (
    <Screen title={t('signInTitle')}>
      {sentTo === null ? (
        <ActionForm onSubmit={send} submit={t('sendCode')}>
          <p>{t('signInIntro')}</p>
          <fieldset class="segmented">
            <legend class="visually-hidden">{t('signInTitle')}</legend>
            {(['email', 'phone'] as const).map((c) => (
              <label key={c} class={channel === c ? 'on' : ''}>
                <input
                  type="radio"
                  name="channel"
                  value={c}
                  checked={channel === c}
                  onChange={() => {
                    setChannel(c);
                    setError(null);
                  }}
                />
                {c === 'email' ? t('byEmail') : t('byPhone')}
              </label>
            ))}
          </fieldset>
          {channel === 'email' ? (
            <Field
              label={t('email')}
              type="email"
              name="email"
              autocomplete="email"
              required
              value={address}
              error={issues.email}
              onInput={(e) => setAddress(e.currentTarget.value)}
            />
          ) : (
            <Field
              label={t('phone')}
              hint={t('phoneHint')}
              type="tel"
              name="phone"
              autocomplete="tel"
              required
              value={address}
              error={issues.phone}
              onInput={(e) => setAddress(e.currentTarget.value)}
            />
          )}
          <Alert>{message}</Alert>
        </ActionForm>
      ) : (
        <ActionForm onSubmit={verify} submit={t('signIn')}>
          <p role="status">{t(channel === 'email' ? 'codeSentEmail' : 'codeSentPhone', { to: sentTo })}</p>
          <Field
            label={t('code')}
            name="code"
            inputMode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            required
            value={code}
            error={issues.code}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
          <Alert>{message}</Alert>
        </ActionForm>
      )}
      {sentTo === null && 'PublicKeyCredential' in window && (
        <p class="or">
          <ActionButton kind="plain" onClick={passkey}>
            {t('withPasskey')}
          </ActionButton>
        </p>
      )}
      {sentTo !== null && (
        <p>
          <button
            type="button"
            class="link"
            onClick={() => {
              setSentTo(null);
              setError(null);
            }}
          >
            {t('useOther')}
          </button>
        </p>
      )}
    </Screen>
  );
}

const messageOf = (error: unknown, errorText: (e: unknown) => string) =>
  error instanceof Error && !('status' in error) ? error.message : errorText(error);

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
