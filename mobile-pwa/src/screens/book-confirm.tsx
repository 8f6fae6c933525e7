/** @jsxImportSource preact */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, type AppointmentJson, api, type PatientAppointmentJson } from '../api.ts';
import { useApp } from '../context.ts';
import { FamilyField, TextAreaField } from '../fields.tsx';
import { canAskForPush, enablePush, hasPushSubscription } from '../push.ts';
import { navigate } from '../router.ts';
import { ActionButton, Alert, fieldErrors, LoadState, Screen, useErrorText, useLoad } from '../ui.tsx';
import { ANY, usePractitioners, useServices } from './booking-data.ts';

/** The longest reason for the visit the server keeps (422 reason_too_long beyond). */
const REASON_MAX = 500;

/** A random key for this one confirmation: a double tap or a retry books once (Idempotency-Key). */
const newKey = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Sends the confirmed booking (or the move, with the version the patient saw: a change made
 * meanwhile is refused); where the booking screen goes next.
 */
async function sendBooking(
  p: Record<string, string | undefined>,
  b: {
    practitionerId: string;
    patientId: string;
    version: number | null;
    key: string;
    self?: string | undefined;
  },
  reason: string,
): Promise<{ done: string; status: string }> {
  if (p.reschedule) {
    const { data } = await api.post<{ appointment: AppointmentJson }>(
      `/api/v1/appointments/${p.reschedule}/reschedule`,
      { start: p.start, practitionerId: b.practitionerId, version: b.version },
    );
    return { done: data.appointment.id, status: 'moved' };
  }
  const { data } = await api.post<{ appointment: AppointmentJson }>(
    '/api/v1/appointments',
    {
      serviceId: p.serviceId,
      practitionerId: b.practitionerId,
      start: p.start,
      ...(b.patientId && b.patientId !== b.self ? { patientId: b.patientId } : {}),
      ...(reason ? { reason } : {}),
    },
    { 'Idempotency-Key': b.key },
  );
  return { done: data.appointment.id, status: data.appointment.status };
}

/** What is about to be booked: the service and its length, with whom, when. */
function BookingSummary(props: {
  service: { name: string; durationMin: number } | undefined;
  practitioner: string | undefined;
  when: string;
}) {
  const { t } = useApp().i18n;
  const { service } = props;
  return (
    <dl class="summary">
      <dt>{t('service')}</dt>
      <dd>
        {service?.name ?? '…'}
        {service ? ` (${t('minutes', { n: service.durationMin })})` : ''}
      </dd>
      <dt>{t('practitioner')}</dt>
      <dd>{props.practitioner ?? '…'}</dd>
      <dt>{t('when')}</dt>
      <dd>{props.when}</dd>
    </dl>
  );
}

export function Confirm(props: {
  title: string;
  params: Record<string, string | undefined>;
  back: () => void;
}) {
  const app = useApp();
  const { t, dateTime } = app.i18n;
  const errorText = useErrorText();
  const p = props.params;
  const practitionerId = p.slotPractitionerId ?? (p.practitionerId === ANY ? '' : p.practitionerId!);
  const services = useServices();
  const practitioners = usePractitioners(p.serviceId!);
  const service = services.data?.services.find((s) => s.id === p.serviceId);
  const practitioner = practitioners.data?.practitioners.find((x) => x.id === practitionerId);
  // Whom it is for is decided when Book is pressed: the choice made here, else the deep link's
  // (a waitlist offer names the patient), else whoever the header shows now.
  const [chosen, setChosen] = useState<string | null>(p.patientId ?? null);
  const patientId = chosen ?? app.actingFor?.id ?? '';
  const [error, setError] = useState<unknown>(null);
  // Optional, asked only when the service wants it (health data: it goes to the clinic alone).
  const [reason, setReason] = useState('');
  const askReason = Boolean(service?.askReason) && !p.reschedule;
  const key = useMemo(newKey, [p.start, practitionerId, patientId, reason]);
  // Moving sends the version the patient saw on the card: a change made meanwhile is refused.
  const version = p.version ? Number(p.version) : null;

  const submit = async () => {
    setError(null);
    try {
      const booking = { practitionerId, patientId, version, key, self: app.me?.patient?.id };
      navigate('/book', await sendBooking(p, booking, askReason && reason.trim() ? reason.trim() : ''));
    } catch (e) {
      setError(e);
    }
  };
  const taken =
    error instanceof ApiError && (error.code === 'slot_taken' || error.code === 'slot_unavailable');
  const stale = error instanceof ApiError && error.code === 'stale';
  const reasonError = fieldErrors(error).reason;
  // A service the clinic approves is asked for, not booked: no "Book" until the clinic says yes.
  const request = Boolean(service?.requiresApproval) && !p.reschedule;
  // Until the family has loaded, "whom for" may not be known yet: wait rather than guess.
  const unsure = !p.reschedule && !app.familyLoaded;

  return (
    <Screen title={props.title} back={props.back}>
      <h2>{t('stepConfirm')}</h2>
      <LoadState loaded={services} />
      <BookingSummary service={service} practitioner={practitioner?.displayName} when={dateTime(p.start!)} />
      {!p.reschedule && <FamilyField label={t('whoFor')} value={patientId} onChange={setChosen} />}
      {askReason && (
        <TextAreaField
          label={t('visitReason')}
          hint={t('visitReasonHint')}
          name="reason"
          maxLength={REASON_MAX}
          value={reason}
          error={reasonError}
          onInput={setReason}
        />
      )}
      {service?.requiresApproval && <p class="muted">{t('needsApproval')}</p>}
      <Alert>
        {error && !reasonError ? (taken ? t('slotTaken') : stale ? t('stale') : errorText(error)) : null}
      </Alert>
      {stale ? (
        <a class="btn primary wide" href="#/appointments">
          {t('appointmentsTitle')}
        </a>
      ) : taken ? (
        <button type="button" class="btn primary wide" onClick={props.back}>
          {t('back')}
        </button>
      ) : (
        <ActionButton
          class="btn primary wide"
          onClick={submit}
          busyLabel={request ? t('sendingRequest') : t('booking')}
          // A new booking waits for the service: whether it is a request decides what is sent.
          disabled={unsure || (p.reschedule ? version === null : !service)}
        >
          {p.reschedule ? t('confirmMove') : request ? t('sendRequest') : t('confirmBook')}
        </ActionButton>
      )}
    </Screen>
  );
}

/**
 * Booked (or moved, or requested): what, with whom, when and where; add to calendar once the
 * clinic holds the time (not for a request); and — after the first booking only — reminders by push.
 */
export function Done(props: { params: Record<string, string | undefined> }) {
  const { t } = useApp().i18n;
  const p = props.params;
  const title =
    p.status === 'moved'
      ? t('movedTitle')
      : p.status === 'requested'
        ? t('requestedTitle')
        : t('bookedTitle');
  return (
    <Screen title={title}>
      {p.status === 'requested' && <p>{t('requestedIntro')}</p>}
      <BookedSummary id={p.done!} />
      {p.status !== 'requested' && (
        <p>
          <a class="btn plain wide" href={`/api/v1/appointments/${p.done}/calendar.ics`} download>
            {t('addToCalendar')}
          </a>
        </p>
      )}
      <PushOffer />
      <p>
        <a class="btn primary wide" href="#/">
          {t('done')}
        </a>
      </p>
    </Screen>
  );
}

/** The appointment just booked, read back (also from the phone's saved copy when offline). */
function BookedSummary(props: { id: string }) {
  const app = useApp();
  const { t, dateTime } = app.i18n;
  const loaded = useLoad(
    () => api.get<{ appointments: PatientAppointmentJson[] }>('/api/v1/me/appointments'),
    `appointments:${props.id}`,
  );
  const a = loaded.data?.appointments.find((x) => x.id === props.id);
  if (!a) return <LoadState loaded={loaded} />;
  const minutes = Math.round((Date.parse(a.end) - Date.parse(a.start)) / 60_000);
  return (
    <dl class="summary">
      <dt>{t('service')}</dt>
      <dd>{`${a.service} (${t('minutes', { n: minutes })})`}</dd>
      <dt>{t('practitioner')}</dt>
      <dd>{a.practitioner}</dd>
      <dt>{t('when')}</dt>
      <dd>{dateTime(a.start)}</dd>
      {app.clinic.address && (
        <>
          <dt>{t('where')}</dt>
          <dd class="address">{app.clinic.address}</dd>
        </>
      )}
      {a.reason && (
        <>
          <dt>{t('reason')}</dt>
          <dd>{a.reason}</dd>
        </>
      )}
    </dl>
  );
}

function PushOffer() {
  const { t } = useApp().i18n;
  const [state, setState] = useState<'hidden' | 'ask' | 'on' | 'failed'>('hidden');
  useEffect(() => {
    if (!canAskForPush() || localStorage.getItem('cb.pushAsked')) return;
    hasPushSubscription().then((has) => !has && setState('ask'));
  }, []);
  if (state === 'hidden') return null;
  const dismiss = () => {
    localStorage.setItem('cb.pushAsked', '1');
    setState('hidden');
  };
  return (
    <section class="card push-offer" aria-labelledby="push-title">
      <h2 id="push-title">{t('pushTitle')}</h2>
      {state === 'ask' && (
        <>
          <p>{t('pushIntro')}</p>
          <ActionButton
            onClick={async () => {
              localStorage.setItem('cb.pushAsked', '1');
              try {
                await enablePush();
                setState('on');
              } catch {
                setState('failed');
              }
            }}
          >
            {t('pushOn')}
          </ActionButton>{' '}
          <button type="button" class="btn plain" onClick={dismiss}>
            {t('pushNotNow')}
          </button>
        </>
      )}
      {state === 'on' && <p role="status">{t('pushEnabled')}</p>}
      {state === 'failed' && <p role="status">{t('pushFailed')}</p>}
    </section>
  );
}
