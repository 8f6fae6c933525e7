/** @jsxImportSource preact */
import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  ApiError,
  type AppointmentJson,
  api,
  type PractitionerJson,
  type ServiceJson,
  type SlotJson,
} from '../api.ts';
import { useApp } from '../context.ts';
import { addDays, localDate } from '../i18n.ts';
import { canAskForPush, enablePush, hasPushSubscription } from '../push.ts';
import { navigate } from '../router.ts';
import { ActionButton, Alert, LoadState, Screen, SelectField, useErrorText, useLoad } from '../ui.tsx';

/** How many days one page of the day step shows (the slot API allows up to 31). */
const WINDOW_DAYS = 14;
const ANY = 'any';

/**
 * Booking in steps — service → practitioner (or first available) → day → time → confirm → done —
 * each step in the URL, so Back works and a waitlist offer's link lands on the confirm step.
 * With `reschedule=<id>` the same steps move an appointment instead.
 */
export function BookScreen(props: { params: URLSearchParams }) {
  const p = Object.fromEntries(props.params) as Record<string, string | undefined>;
  const { t } = useApp().i18n;
  const go = (changes: Record<string, string | undefined>) => navigate('/book', { ...p, ...changes });
  const title = p.reschedule ? t('rescheduleTitle') : t('bookTitle');

  if (p.done) return <Done params={p} />;
  if (!p.serviceId) return <ChooseService title={title} choose={(serviceId) => go({ serviceId })} />;
  if (!p.practitionerId)
    return (
      <ChoosePractitioner
        title={title}
        serviceId={p.serviceId}
        choose={(practitionerId) => go({ practitionerId })}
        back={p.reschedule ? undefined : () => go({ serviceId: undefined })}
      />
    );
  if (!p.start)
    return (
      <ChooseTime
        title={title}
        params={p}
        go={go}
        back={() => (p.day ? go({ day: undefined }) : go({ practitionerId: undefined, from: undefined }))}
      />
    );
  return (
    <Confirm title={title} params={p} back={() => go({ start: undefined, slotPractitionerId: undefined })} />
  );
}

function useServices() {
  return useLoad(() => api.get<{ services: ServiceJson[] }>('/api/v1/services'), 'services');
}

function ChooseService(props: { title: string; choose: (id: string) => void }) {
  const { t } = useApp().i18n;
  const loaded = useServices();
  const services = loaded.data?.services;
  return (
    <Screen title={props.title}>
      <h2>{t('stepService')}</h2>
      <LoadState loaded={loaded} />
      {services?.length === 0 && <p>{t('noServices')}</p>}
      <ul class="choices">
        {services?.map((s) => (
          <li key={s.id}>
            <button type="button" class="choice" onClick={() => props.choose(s.id)}>
              <span class="choice-title">{s.name}</span>
              <span class="muted small">
                {t('minutes', { n: s.durationMin })}
                {s.requiresApproval ? ` · ${t('needsApproval')}` : ''}
              </span>
              {s.description && <span class="small">{s.description}</span>}
            </button>
          </li>
        ))}
      </ul>
    </Screen>
  );
}

function usePractitioners(serviceId: string) {
  return useLoad(
    () =>
      api.get<{ practitioners: PractitionerJson[] }>(
        `/api/v1/practitioners?serviceId=${encodeURIComponent(serviceId)}`,
      ),
    `practitioners:${serviceId}`,
  );
}

function ChoosePractitioner(props: {
  title: string;
  serviceId: string;
  choose: (id: string) => void;
  back: (() => void) | undefined;
}) {
  const { t } = useApp().i18n;
  const loaded = usePractitioners(props.serviceId);
  const practitioners = loaded.data?.practitioners;
  return (
    <Screen title={props.title} back={props.back}>
      <h2>{t('stepPractitioner')}</h2>
      <LoadState loaded={loaded} />
      <ul class="choices">
        {practitioners && practitioners.length > 1 && (
          <li>
            <button type="button" class="choice" onClick={() => props.choose(ANY)}>
              <span class="choice-title">{t('firstAvailable')}</span>
              <span class="muted small">{t('firstAvailableHint')}</span>
            </button>
          </li>
        )}
        {practitioners?.map((p) => (
          <li key={p.id}>
            <button type="button" class="choice" onClick={() => props.choose(p.id)}>
              <span class="choice-title">{p.displayName}</span>
              {p.title && <span class="muted small">{p.title}</span>}
            </button>
          </li>
        ))}
      </ul>
    </Screen>
  );
}

/** The day step and then the time step, over one window of slots. */
function ChooseTime(props: {
  title: string;
  params: Record<string, string | undefined>;
  go: (changes: Record<string, string | undefined>) => void;
  back: () => void;
}) {
  const app = useApp();
  const { t, day, time } = app.i18n;
  const { params: p, go } = props;
  const zone = app.clinic.timeZone;
  const today = localDate(new Date(), zone);
  const lastDay = addDays(today, app.clinic.horizonDays);
  const from = p.from && p.from >= today ? p.from : today;
  const to = addDays(from, WINDOW_DAYS - 1);
  const practitionerId = p.practitionerId === ANY ? undefined : p.practitionerId;
  const query = new URLSearchParams({
    serviceId: p.serviceId!,
    from,
    to: to > lastDay ? lastDay : to,
    ...(practitionerId ? { practitionerId } : {}),
  });
  const loaded = useLoad(() => api.get<{ slots: SlotJson[] }>(`/api/v1/slots?${query}`), query.toString());
  const practitioners = usePractitioners(p.serviceId!);

  // Slots by clinic-local day; with "first available" one entry per start time.
  const byDay = useMemo(() => {
    const days = new Map<string, SlotJson[]>();
    for (const s of loaded.data?.slots ?? []) {
      const d = localDate(s.start, zone);
      const list = days.get(d) ?? [];
      if (!list.some((x) => x.start === s.start)) list.push(s);
      days.set(d, list);
    }
    return days;
  }, [loaded.data, zone]);

  const nameOf = (id: string) =>
    practitioners.data?.practitioners.find((x) => x.id === id)?.displayName ?? '';
  const waitlist = (
    <p>
      <a class="link" href={`#/waitlist?serviceId=${encodeURIComponent(p.serviceId!)}`}>
        {t('joinWaitlist')}
      </a>
    </p>
  );

  if (p.day) {
    const slots = byDay.get(p.day) ?? [];
    return (
      <Screen title={props.title} back={props.back}>
        <h2>
          {t('stepTime')} <span class="muted">— {day(p.day)}</span>
        </h2>
        <LoadState loaded={loaded} />
        {loaded.data && slots.length === 0 && <p>{t('noSlots')}</p>}
        <ul class="times">
          {slots.map((s) => (
            <li key={s.start}>
              <button
                type="button"
                class="time"
                onClick={() => go({ start: s.start, slotPractitionerId: s.practitionerId })}
                aria-label={`${day(p.day!)} ${time(s.start)}${practitionerId ? '' : `, ${nameOf(s.practitionerId)}`}`}
              >
                {time(s.start)}
              </button>
            </li>
          ))}
        </ul>
        {waitlist}
      </Screen>
    );
  }

  return (
    <Screen title={props.title} back={props.back}>
      <h2>{t('stepDay')}</h2>
      <LoadState loaded={loaded} />
      {loaded.data && byDay.size === 0 && <p>{t('noSlots')}</p>}
      <ul class="days">
        {[...byDay].map(([d, slots]) => (
          <li key={d}>
            <button type="button" class="choice day" onClick={() => go({ day: d, from })}>
              <span class="choice-title">{day(d)}</span>
              <span class="muted small">
                {t('slotsOnDay', { n: slots.length })} · {time(slots[0]!.start)}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div class="pager">
        {from > today && (
          <button type="button" class="btn plain" onClick={() => go({ from: addDays(from, -WINDOW_DAYS) })}>
            ← {t('earlierDates')}
          </button>
        )}
        {to < lastDay && (
          <button type="button" class="btn plain" onClick={() => go({ from: addDays(from, WINDOW_DAYS) })}>
            {t('laterDates')} →
          </button>
        )}
      </div>
      {waitlist}
    </Screen>
  );
}

/** A random key for this one confirmation: a double tap or a retry books once (Idempotency-Key). */
const newKey = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

function Confirm(props: { title: string; params: Record<string, string | undefined>; back: () => void }) {
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
  const key = useMemo(newKey, [p.start, practitionerId, patientId]);
  // Moving sends the version the patient saw on the card: a change made meanwhile is refused.
  const version = p.version ? Number(p.version) : null;

  const submit = async () => {
    setError(null);
    try {
      if (p.reschedule) {
        const { data } = await api.post<{ appointment: AppointmentJson }>(
          `/api/v1/appointments/${p.reschedule}/reschedule`,
          { start: p.start, practitionerId, version },
        );
        navigate('/book', { done: data.appointment.id, status: 'moved' });
        return;
      }
      const { data } = await api.post<{ appointment: AppointmentJson }>(
        '/api/v1/appointments',
        {
          serviceId: p.serviceId,
          practitionerId,
          start: p.start,
          ...(patientId && patientId !== app.me?.patient?.id ? { patientId } : {}),
        },
        { 'Idempotency-Key': key },
      );
      navigate('/book', { done: data.appointment.id, status: data.appointment.status });
    } catch (e) {
      setError(e);
    }
  };
  const taken =
    error instanceof ApiError && (error.code === 'slot_taken' || error.code === 'slot_unavailable');
  const stale = error instanceof ApiError && error.code === 'stale';
  // Until the family has loaded, "whom for" may not be known yet: wait rather than guess.
  const unsure = !p.reschedule && !app.familyLoaded;

  return (
    <Screen title={props.title} back={props.back}>
      <h2>{t('stepConfirm')}</h2>
      <LoadState loaded={services} />
      <dl class="summary">
        <dt>{t('service')}</dt>
        <dd>
          {service?.name ?? '…'}
          {service ? ` (${t('minutes', { n: service.durationMin })})` : ''}
        </dd>
        <dt>{t('practitioner')}</dt>
        <dd>{practitioner?.displayName ?? '…'}</dd>
        <dt>{t('when')}</dt>
        <dd>{dateTime(p.start!)}</dd>
      </dl>
      {!p.reschedule && app.family.length > 1 && (
        <SelectField
          label={t('whoFor')}
          value={patientId}
          onChange={setChosen}
          options={app.family.map((f, i) => ({
            value: f.id,
            label: i === 0 ? `${t('me')} (${f.firstName})` : `${f.firstName} ${f.lastName}`,
          }))}
        />
      )}
      {service?.requiresApproval && <p class="muted">{t('needsApproval')}</p>}
      <Alert>{error ? (taken ? t('slotTaken') : stale ? t('stale') : errorText(error)) : null}</Alert>
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
          busyLabel={t('booking')}
          disabled={unsure || (Boolean(p.reschedule) && version === null)}
        >
          {p.reschedule ? t('confirmMove') : t('confirmBook')}
        </ActionButton>
      )}
    </Screen>
  );
}

/** Booked: add to calendar, and — after the first booking only — offer reminders by push. */
function Done(props: { params: Record<string, string | undefined> }) {
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
      <p>
        <a class="btn plain wide" href={`/api/v1/appointments/${p.done}/calendar.ics`} download>
          {t('addToCalendar')}
        </a>
      </p>
      <PushOffer />
      <p>
        <a class="btn primary wide" href="#/">
          {t('done')}
        </a>
      </p>
    </Screen>
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
