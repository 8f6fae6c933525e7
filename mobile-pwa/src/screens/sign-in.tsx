/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useApp } from '../context.ts';
import { CodeField, Field, Segmented } from '../fields.tsx';
import { navigate } from '../router.ts';
import { ActionButton, ActionForm, Alert, Screen, useErrorText } from '../ui.tsx';
import { useForm } from '../use-form.ts';
import { ResendCode } from './resend-code.tsx';

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
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm({ address: '', code: '' });
  const address = form.values.address.trim();
  const linking = useLinkSignIn(props.params, (email) => {
    form.set('address')(email);
    form.setError(new Error(t('linkFailed')));
  });

  const body = () => (channel === 'email' ? { email: address } : { phone: address });
  const send = form.submit(async () => {
    await api.post('/api/v1/auth/start', body());
    setSentTo(address);
    form.set('code')('');
  });
  const verify = form.submit(async () => {
    await api.post('/api/v1/auth/verify', { ...body(), code: form.values.code.trim() });
    await app.refreshMe();
    continueTo(props.params);
  });
  const passkey = async () => {
    form.setError(null);
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
      form.setError(new Error(t('passkeyFailed')));
    }
  };

  const { issues, error } = form;
  // The link's and the passkey's failures are the app's own words.
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
          address={form.values.address}
          issues={issues}
          message={message}
          onChannel={(c) => {
            setChannel(c);
            form.setError(null);
          }}
          onAddress={form.set('address')}
          onSubmit={send}
        />
      ) : (
        <ActionForm onSubmit={verify} submit={t('signIn')}>
          <p role="status">{t(channel === 'email' ? 'codeSentEmail' : 'codeSentPhone', { to: sentTo })}</p>
          <CodeField label={t('code')} {...form.field('code')} />
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
      {sentTo !== null && <ResendCode channel={channel} to={sentTo} />}
      {sentTo !== null && (
        <p>
          <button
            type="button"
            class="link"
            onClick={() => {
              setSentTo(null);
              form.setError(null);
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
      <Segmented
        name="channel"
        legend={t('signInTitle')}
        hideLegend
        options={['email', 'phone'] as const}
        value={channel}
        label={(c) => (c === 'email' ? t('byEmail') : t('byPhone'))}
        onChange={props.onChannel}
      />
      <Field
        {...(channel === 'email'
          ? { label: t('email'), type: 'email', name: 'email', autocomplete: 'email' }
          : { label: t('phone'), hint: t('phoneHint'), type: 'tel', name: 'phone', autocomplete: 'tel' })}
        required
        value={props.address}
        error={props.issues[channel]}
        onInput={(e) => props.onAddress(e.currentTarget.value)}
      />
      <Alert>{props.message}</Alert>
    </ActionForm>
  );
}
