/** @jsxImportSource preact */
import { useId } from 'preact/hooks';
import type { PatientAppointmentJson } from '../api.ts';
import { useApp } from '../context.ts';
import { CardList, LoadState, Screen } from '../ui.tsx';
import { AppointmentCard } from './appointment-card.tsx';
import { useMyAppointments } from './my-appointments.ts';

/**
 * Upcoming, cancelled (while still to come) and past appointments of whoever the family switcher
 * shows: a cancelled appointment of next week is not "past".
 */
export function AppointmentsScreen() {
  const { t } = useApp().i18n;
  const { loaded, upcoming, cancelled, past } = useMyAppointments();
  return (
    <Screen title={t('appointmentsTitle')}>
      <LoadState loaded={loaded} />
      <AppointmentList title={t('upcoming')} none={t('noUpcoming')} list={upcoming} loaded={loaded} />
      {cancelled.length > 0 && (
        <AppointmentList title={t('cancelledList')} none="" list={cancelled} loaded={loaded} />
      )}
      <p>
        <a class="btn plain wide" href="#/waitlist">
          {t('waitlistTitle')}
        </a>
      </p>
      <AppointmentList title={t('past')} none={t('noPast')} list={past} loaded={loaded} />
    </Screen>
  );
}

/** A titled list of appointment cards (a region named by its title); `none` once loaded and empty. */
function AppointmentList(props: {
  title: string;
  none: string;
  list: PatientAppointmentJson[];
  loaded: ReturnType<typeof useMyAppointments>['loaded'];
}) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{props.title}</h2>
      {props.loaded.data && props.list.length === 0 && <p class="muted">{props.none}</p>}
      <CardList
        items={props.list}
        card={(a) => <AppointmentCard appointment={a} onChanged={props.loaded.reload} />}
      />
    </section>
  );
}
