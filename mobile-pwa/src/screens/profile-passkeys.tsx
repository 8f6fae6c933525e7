/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useApp } from '../context.ts';
import { ActionButton, Alert, useErrorText, useLoad } from '../ui.tsx';
import { ProfileSection } from './profile-section.tsx';

interface Passkey {
  id: string;
  name: string;
}

/** The patient's passkeys: add one on this phone, remove any. */
export function Passkeys() {
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
    <ProfileSection id="passkeys" title={t('passkeys')} intro={t('passkeysIntro')} loaded={loaded}>
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
    </ProfileSection>
  );
}
