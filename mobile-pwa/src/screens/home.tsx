/** @jsxImportSource preact */
import { useApp } from '../context.ts';
import { navigate } from '../router.ts';
import { LoadState, Screen } from '../ui.tsx';
import { AppointmentCard } from './appointment-card.tsx';
import { FormsToFillCard } from './forms.tsx';
import { useMyAppointments } from './my-appointments.ts';

/** The next appointment first, then booking: what a patient opens the app for. */
export function HomeScreen() {
  const app = useApp();
  const { t } = app.i18n;
  const { loaded, upcoming, past } = useMyAppointments();
  const next = upcoming[0];
  const last = past.find((a) => a.status === 'completed' || a.status === 'booked' || a.status === 'arrived');
  const who = app.actingFor;

  return (
    <Screen title={t('hello', { name: who?.firstName ?? '' })}>
      <h2>{t('nextAppointment')}</h2>
      <LoadState loaded={loaded} />
      {loaded.data &&
        (next ? (
          <AppointmentCard appointment={next} onChanged={loaded.reload} />
        ) : (
          <p class="muted">{t('noUpcoming')}</p>
        ))}
      <FormsToFillCard />
      <p>
        <a class="btn primary wide" href="#/book">
          {t('bookAppointment')}
        </a>
      </p>
      {last && (
        <p>
          <button
            type="button"
            class="btn plain wide"
            onClick={() =>
              navigate('/book', { serviceId: last.serviceId, practitionerId: last.practitionerId })
            }
          >
            {t('bookAgain', { service: last.service, practitioner: last.practitioner })}
          </button>
        </p>
      )}
      <p>
        <a class="btn plain wide" href="#/documents">
          {t('documentsTitle')}
        </a>
      </p>
      <p>
        <a class="btn plain wide" href="#/forms">
          {t('formsTitle')}
        </a>
      </p>
      <p>
        <a class="btn plain wide" href="#/invoices">
          {t('invoicesTitle')}
        </a>
      </p>
      <p class="muted small">{t('comingSoon')}</p>
    </Screen>
  );
}
