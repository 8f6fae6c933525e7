/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useApp } from '../context.ts';
import { ActionButton, Alert, useErrorText } from '../ui.tsx';
import { ProfileSection } from './profile-section.tsx';

/** `/api/v1/me/exports/{id}` as this screen reads it. */
interface ExportJson {
  id: string;
  patientId: string;
  status: 'queued' | 'ready' | 'failed' | 'expired';
  expiresAt: string | null;
  downloadUrl: string | null;
}

/** How often the screen asks whether the zip is built. */
const POLL_MS = 2000;

/**
 * "Download my data" (GDPR articles 15 and 20): the clinic builds a zip of the record — a FHIR R4
 * file, a readable summary and the documents — in the background; the screen asks every two seconds
 * until it is ready, then links it (the link works for 24 hours; a later visit finds it again). A
 * guardian does the same for each dependant.
 */
export function DownloadMyData() {
  const app = useApp();
  const { t } = app.i18n;
  const errorText = useErrorText();
  const [exports, setExports] = useState<Record<string, ExportJson>>({});
  const [error, setError] = useState<unknown>(null);
  const building = Object.values(exports).filter((e) => e.status === 'queued');

  // What was asked before (this visit or another): the newest export of each person.
  useEffect(() => {
    api
      .get<{ exports: ExportJson[] }>('/api/v1/me/exports')
      .then(({ data }) => {
        const newest: Record<string, ExportJson> = {};
        for (const e of data.exports) newest[e.patientId] ??= e;
        setExports((all) => ({ ...newest, ...all }));
      })
      .catch(() => {});
  }, []);

  useEffect(() => {
    if (building.length === 0) return;
    const timer = setTimeout(async () => {
      try {
        const next = await Promise.all(
          building.map(
            async (e) => (await api.get<{ export: ExportJson }>(`/api/v1/me/exports/${e.id}`)).data.export,
          ),
        );
        setExports((all) => ({ ...all, ...Object.fromEntries(next.map((e) => [e.patientId, e])) }));
      } catch (e) {
        setError(e);
      }
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [exports]);

  const ask = (patientId: string) => async () => {
    setError(null);
    try {
      const body = patientId === app.family[0]?.id ? {} : { patientId };
      const { data } = await api.post<{ export: ExportJson }>('/api/v1/me/export', body);
      setExports((all) => ({ ...all, [patientId]: data.export }));
    } catch (e) {
      setError(e);
    }
  };

  return (
    <ProfileSection id="my-data" title={t('myDataTitle')} intro={t('myDataIntro')}>
      <ul class="list">
        {app.family.map((person, i) => {
          const e = exports[person.id];
          const name = i === 0 ? t('myDataMe') : `${person.firstName} ${person.lastName}`;
          return (
            <li key={person.id} class="my-data">
              {app.family.length > 1 && <h3>{name}</h3>}
              {e?.status === 'ready' && e.downloadUrl ? (
                <>
                  <a
                    class="btn primary"
                    href={e.downloadUrl}
                    download
                    aria-label={i === 0 ? undefined : `${t('myDataDownload')}: ${name}`}
                  >
                    {t('myDataDownload')}
                  </a>
                  {e.expiresAt && (
                    <p class="muted small">{t('myDataUntil', { time: app.i18n.dateTime(e.expiresAt) })}</p>
                  )}
                </>
              ) : e?.status === 'queued' ? (
                <p class="muted" aria-live="polite">
                  {t('myDataBuilding')}
                </p>
              ) : (
                <ActionButton
                  kind="plain"
                  aria-label={i === 0 ? undefined : `${t('myDataAsk')}: ${name}`}
                  onClick={ask(person.id)}
                >
                  {e?.status === 'failed' ? t('retry') : t('myDataAsk')}
                </ActionButton>
              )}
            </li>
          );
        })}
      </ul>
      <Alert>{error ? errorText(error) : null}</Alert>
    </ProfileSection>
  );
}
