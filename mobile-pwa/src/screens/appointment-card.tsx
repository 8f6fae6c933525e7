/** @jsxImportSource preact */
import { api, type PatientAppointmentJson } from '../api.ts';
import { useApp } from '../context.ts';
import type { MessageKey } from '../i18n.ts';
import { navigate } from '../router.ts';
import { ActionButton, Alert, useErrorText } from '../ui.tsx';
import { ConfirmChoice, useConfirmed } from './confirm-choice.tsx';
import { isUpcoming } from './my-appointments.ts';

/** One appointment, with change, cancel and add-to-calendar while the clinic's window allows. */
export function AppointmentCard(props: { appointment: PatientAppointmentJson; onChanged: () => void }) {
  const app = useApp();
  const { t, dateTime } = app.i18n;
  const errorText = useErrorText();
  const a = props.appointment;
  const upcoming = isUpcoming(a);
  const changeable =
    upcoming && Date.parse(a.start) - Date.now() > app.clinic.cancellationWindowHours * 3_600_000;
  const phone = app.clinic.phone ? ` (${app.clinic.phone})` : '';

  const cancel = useConfirmed(
    () => api.post(`/api/v1/appointments/${a.id}/cancel`, { by: 'patient', version: a.version }),
    props.onChanged,
  );

  return (
    <article class={`card appointment ${a.status}`} aria-label={dateTime(a.start)}>
      <p class="when">{dateTime(a.start)}</p>
      <p>
        <strong>{a.service}</strong> · {t('withPractitioner', { name: a.practitioner })}
      </p>
      {a.reason && <p class="small reason">{t('reasonOnCard', { reason: a.reason })}</p>}
      <p class={`status ${a.status}`}>{t(`status_${a.status}` as MessageKey)}</p>
      {upcoming && !changeable && <p class="muted small">{t('tooLate', { phone })}</p>}
      {upcoming && (
        <div class="actions">
          {changeable && !cancel.confirming && (
            <>
              <ActionButton
                kind="plain"
                onClick={() =>
                  navigate('/book', {
                    reschedule: a.id,
                    version: String(a.version),
                    serviceId: a.serviceId,
                    practitionerId: a.practitionerId,
                  })
                }
              >
                {t('reschedule')}
              </ActionButton>
              <ActionButton kind="plain" onClick={cancel.ask}>
                {t('cancel')}
              </ActionButton>
            </>
          )}
          {/* A request may yet be declined: into the calendar once the clinic approves it. */}
          {a.status !== 'requested' && (
            <a class="btn plain" href={`/api/v1/appointments/${a.id}/calendar.ics`} download>
              {t('addToCalendar')}
            </a>
          )}
        </div>
      )}
      <ConfirmChoice confirm={cancel} question={t('cancelConfirm')} yes={t('cancelYes')} no={t('cancelNo')} />
      <Alert>
        {cancel.error ? (isTooLate(cancel.error) ? t('tooLate', { phone }) : errorText(cancel.error)) : null}
      </Alert>
    </article>
  );
}

const isTooLate = (e: unknown) => typeof e === 'object' && e !== null && 'code' in e && e.code === 'too_late';
