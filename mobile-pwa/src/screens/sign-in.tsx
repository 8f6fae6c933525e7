/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useApp } from '../context.ts';
import { navigate } from '../router.ts';
import { ActionButton, ActionForm, Alert, Field, fieldErrors, Screen, useErrorText } from '../ui.tsx';

type Channel = 'email' | 'phone';

/** After signing in: where the patient was going (a waitlist offer's booking link), else home. */
function continueTo(params: URLSearchParams) {
  const next = params.get('next');
  if (next?.startsWith('/') && !next.startsWith('/sign-in')) {
    const [path, query = ''] = next.split('?', 2) as [string, string?];
    navigate(path, Object.fromEntries(new URLSearchParams(query)));
  } else navigate('/');
}

const messageOf = (error: unknown, errorText: (e: unknown) => string) =>
  error instanceof Error && !('status' in error) ? error.message : errorText(error);

/**
 * The emailed link (`?email=&link=`): signs in at once, in the browser that asked for the code.
 * True while it does; on failure the address is kept and the error shown.
 */
function useLinkSignIn(params: URLSearchParams, failed: (email: string) => void): boolean {
  const app = useApp();
  const [linking, setLinking] = useState(false);
  const email = params.get('email');
  const token = params.get('link');
  useEffect(() => {
    if (!email || !token) return;
    setLinking(true);
    api
      .post('/api/v1/auth/verify-link', { email, token })
      .then(async () => {
        await app.refreshMe();
        continueTo(params);
      })
      .catch(() => {
        setLinking(false);
        failed(email);
      });
  }, [email, token]);
  return linking;
}

/** Sign in: a code by email or SMS (or the emailed link), or a passkey. */
export function SignInScreen(props: { params: URLSearchParams }) {
  const app = useApp();
  const { t } = app.i18n;
  const errorText = useErrorText();
  const [channel, setChannel] = useState<Channel>('email');
  const [address, setAddress] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const linking = useLinkSignIn(props.params, (email) => {
    setAddress(email);
    setError(new Error(t('linkFailed')));
  });

  const body = () => (channel === 'email' ? { email: address.trim() } : { phone: address.trim() });
  const attempt = async (step: () => Promise<void>) => {
    setError(null);
    try {
      await step();
    } catch (e) {
      setError(e);
    }
  };
  const send = () =>
    attempt(async () => {
      await api.post('/api/v1/auth/start', body());
      setSentTo(address.trim());
      setCode('');
    });
  const verify = () =>
    attempt(async () => {
      await api.post('/api/v1/auth/verify', { ...body(), code: code.trim() });
      await app.refreshMe();
      continueTo(props.params);
    });
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
        <AddressForm
          channel={channel}
          address={address}
          issues={issues}
          message={message}
          onChannel={(c) => {
            setChannel(c);
            setError(null);
          }}
          onAddress={setAddress}
          onSubmit={send}
        />
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

/** The first step: by email or by SMS, and the address to send the code to. */
function AddressForm(props: {
  channel: Channel;
  address: string;
  issues: Record<string, string>;
  message: string | null;
  onChannel(channel: Channel): void;
  onAddress(address: string): void;
  onSubmit(): Promise<void>;
}) {
  const { t } = useApp().i18n;
  const { channel } = props;
  return (
    <ActionForm onSubmit={props.onSubmit} submit={t('sendCode')}>
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
              onChange={() => props.onChannel(c)}
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
          value={props.address}
          error={props.issues.email}
          onInput={(e) => props.onAddress(e.currentTarget.value)}
        />
      ) : (
        <Field
          label={t('phone')}
          hint={t('phoneHint')}
          type="tel"
          name="phone"
          autocomplete="tel"
          required
          value={props.address}
          error={props.issues.phone}
          onInput={(e) => props.onAddress(e.currentTarget.value)}
        />
      )}
      <Alert>{props.message}</Alert>
    </ActionForm>
  );
}
