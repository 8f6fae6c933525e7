/** @jsxImportSource preact */
import { api, type PatientAppointmentJson } from '../api.ts';
import { useApp } from '../context.ts';
import { LoadState, Screen, useLoad } from '../ui.tsx';
import { AppointmentCard, splitAppointments } from './appointment-card.tsx';

/** Upcoming and past appointments of whoever the family switcher shows. */
export function AppointmentsScreen() {
  const app = useApp();
  const { t } = app.i18n;
  const loaded = useLoad(
    () => api.get<{ appointments: PatientAppointmentJson[] }>('/api/v1/me/appointments'),
    'appointments',
  );
  const { upcoming, past } = splitAppointments(loaded.data?.appointments ?? [], app.actingFor?.id);
  return (
    <Screen title={t('appointmentsTitle')}>
      <LoadState loaded={loaded} />
      <h2>{t('upcoming')}</h2>
      {loaded.data && upcoming.length === 0 && <p class="muted">{t('noUpcoming')}</p>}
      <ul class="list">
        {upcoming.map((a) => (
          <li key={a.id}>
            <AppointmentCard appointment={a} onChanged={loaded.reload} />
          </li>
        ))}
      </ul>
      <p>
        <a class="btn plain wide" href="#/waitlist">
          {t('waitlistTitle')}
        </a>
      </p>
      <h2>{t('past')}</h2>
      {loaded.data && past.length === 0 && <p class="muted">{t('noPast')}</p>}
      <ul class="list">
        {past.map((a) => (
          <li key={a.id}>
            <AppointmentCard appointment={a} onChanged={loaded.reload} />
          </li>
        ))}
      </ul>
    </Screen>
  );
}
