/** @jsxImportSource preact */
import { useMemo } from 'preact/hooks';
import { api, type SlotJson } from '../api.ts';
import { useApp } from '../context.ts';
import { addDays, localDate } from '../i18n.ts';
import { navigate } from '../router.ts';
import { LoadState, Screen, useLoad } from '../ui.tsx';
import { Confirm, Done } from './book-confirm.tsx';
import { ANY, usePractitioners, useServices } from './booking-data.ts';

/** How many days one page of the day step shows (the slot API allows up to 31). */
const WINDOW_DAYS = 14;

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
  const { t, day, time, count } = app.i18n;
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
  // The waitlist form starts from what was chosen here: the service and the practitioner.
  const wanted = new URLSearchParams({
    serviceId: p.serviceId!,
    ...(practitionerId ? { practitionerId } : {}),
  });
  const waitlist = (
    <p>
      <a class="link" href={`#/waitlist?${wanted}`}>
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
                {count('slotsOnDay', slots.length)} · {time(slots[0]!.start)}
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
