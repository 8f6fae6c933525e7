/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useApp } from '../context.ts';
import { ActionButton, Alert, useErrorText, useLoad } from '../ui.tsx';
import { PeopleList, ProfileSection } from './profile-section.tsx';

/** `/api/v1/me/access` as this screen reads it. */
interface Access {
  logins: { address: string; value: string; current: boolean }[];
  guardians: { id: string; firstName: string; lastName: string }[];
}

/**
 * Who can get into the patient's record: the addresses that sign in to it (any but the one in use
 * can be removed: it is signed out at once) and the guardians who book for them (an adult can end
 * a guardian's access; the server refuses a child and says why). The clinic tells every address
 * when a new one is added, pointing here.
 */
export function WhoCanSignIn() {
  const app = useApp();
  const { t } = app.i18n;
  const errorText = useErrorText();
  const loaded = useLoad(() => api.get<Access>('/api/v1/me/access'), 'access');
  const [error, setError] = useState<unknown>(null);
  const take = (path: string) => async () => {
    setError(null);
    try {
      await api.delete(path);
      loaded.reload();
    } catch (e) {
      setError(e);
    }
  };
  const guardians = loaded.data?.guardians ?? [];
  return (
    <ProfileSection id="access" title={t('accessTitle')} intro={t('accessIntro')} loaded={loaded}>
      <ul class="list">
        {loaded.data?.logins.map((l) => (
          <li key={l.address} class="row">
            <span>
              {l.value}
              {l.current && <span class="muted small"> · {t('signedInHere')}</span>}
            </span>
            {!l.current && (
              <ActionButton
                kind="plain"
                aria-label={`${t('remove')} ${l.value}`}
                onClick={take(`/api/v1/me/access/logins/${encodeURIComponent(l.address)}`)}
              >
                {t('remove')}
              </ActionButton>
            )}
          </li>
        ))}
      </ul>
      {guardians.length > 0 && (
        <>
          <h3>{t('guardiansTitle')}</h3>
          <p class="muted small">{t('guardiansIntro')}</p>
          <PeopleList
            people={guardians}
            action={t('endAccess')}
            onAction={(id) => take(`/api/v1/me/access/guardians/${id}`)}
          />
        </>
      )}
      <Alert>{error ? errorText(error) : null}</Alert>
    </ProfileSection>
  );
}
