/** @jsxImportSource preact */
import type { PatientAppointmentJson } from '../api.ts';
import { useApp } from '../context.ts';
import { LoadState, Screen } from '../ui.tsx';
import { AppointmentCard } from './appointment-card.tsx';
import { useMyAppointments } from './my-appointments.ts';

/** Upcoming and past appointments of whoever the family switcher shows. */
export function AppointmentsScreen() {
  const { t } = useApp().i18n;
  const { loaded, upcoming, past } = useMyAppointments();
  return (
    <Screen title={t('appointmentsTitle')}>
      <LoadState loaded={loaded} />
      <AppointmentList title={t('upcoming')} none={t('noUpcoming')} list={upcoming} loaded={loaded} />
      <p>
        <a class="btn plain wide" href="#/waitlist">
          {t('waitlistTitle')}
        </a>
      </p>
      <AppointmentList title={t('past')} none={t('noPast')} list={past} loaded={loaded} />
    </Screen>
  );
}

/** A titled list of appointment cards; `none` once loaded and empty. */
function AppointmentList(props: {
  title: string;
  none: string;
  list: PatientAppointmentJson[];
  loaded: ReturnType<typeof useMyAppointments>['loaded'];
}) {
  return (
    <>
      <h2>{props.title}</h2>
      {props.loaded.data && props.list.length === 0 && <p class="muted">{props.none}</p>}
      <ul class="list">
        {props.list.map((a) => (
          <li key={a.id}>
            <AppointmentCard appointment={a} onChanged={props.loaded.reload} />
          </li>
        ))}
      </ul>
    </>
  );
}
