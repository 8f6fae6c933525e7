/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import { api, type PractitionerJson, type WaitlistEntryJson } from '../api.ts';
import { useApp } from '../context.ts';
import { Field, SelectField } from '../fields.tsx';
import { addDays, localDate, type MessageKey } from '../i18n.ts';
import { ActionButton, ActionForm, Alert, LoadState, Screen, useLoad } from '../ui.tsx';
import { useForm } from '../use-form.ts';
import { useServices } from './booking-data.ts';

/** The waitlist: join for a service and dates; a freed time sends a booking link. */
export function WaitlistScreen(props: { params: URLSearchParams }) {
  const app = useApp();
  const { t, day } = app.i18n;
  const entries = useLoad(() => api.get<{ entries: WaitlistEntryJson[] }>('/api/v1/me/waitlist'), 'waitlist');
  const services = useServices();
  const practitioners = useLoad(
    () => api.get<{ practitioners: PractitionerJson[] }>('/api/v1/practitioners'),
    'practitioners',
  );
  const today = localDate(new Date(), app.clinic.timeZone);
  const form = useForm({
    serviceId: props.params.get('serviceId') ?? '',
    practitionerId: props.params.get('practitionerId') ?? '',
    from: today,
    to: addDays(today, 14),
  });
  const [joined, setJoined] = useState(false);
  const serviceName = (id: string) => services.data?.services.find((s) => s.id === id)?.name ?? '';
  const practitionerName = (id: string | null) =>
    id
      ? t('withPractitioner', {
          name: practitioners.data?.practitioners.find((p) => p.id === id)?.displayName ?? '…',
        })
      : t('anyone');
  const mine = (entries.data?.entries ?? []).filter(
    (e) => e.patientId === app.actingFor?.id && e.status === 'waiting',
  );

  const join = form.submit(async () => {
    setJoined(false);
    const { practitionerId, ...wanted } = form.values;
    await api.post('/api/v1/waitlist', {
      ...wanted,
      ...(practitionerId ? { practitionerId } : {}),
      ...(app.actingFor && app.actingFor.id !== app.me?.patient?.id ? { patientId: app.actingFor.id } : {}),
    });
    setJoined(true);
    entries.reload();
  });
  const selectable = (practitioners.data?.practitioners ?? []).filter(
    (p) => !form.values.serviceId || p.serviceIds.includes(form.values.serviceId),
  );

  return (
    <Screen title={t('waitlistTitle')}>
      <p>{t('waitlistIntro')}</p>
      <LoadState loaded={entries} />
      {entries.data && mine.length === 0 && <p class="muted">{t('noWaitlist')}</p>}
      <ul class="list">
        {mine.map((e) => (
          <li key={e.id} class="card">
            <p>
              <strong>{serviceName(e.serviceId)}</strong> · {practitionerName(e.practitionerId)}
            </p>
            <p>
              {day(e.fromDate)} – {day(e.toDate)}
            </p>
            <p class="muted small">{t(`waitlistStatus_${e.status}` as MessageKey)}</p>
            <ActionButton
              kind="plain"
              onClick={async () => {
                await api.delete(`/api/v1/waitlist/${e.id}`).catch(form.setError);
                entries.reload();
              }}
            >
              {t('leave')}
            </ActionButton>
          </li>
        ))}
      </ul>
      <h2>{t('join')}</h2>
      <ActionForm onSubmit={join} submit={t('join')}>
        <SelectField
          label={t('service')}
          name="serviceId"
          value={form.values.serviceId}
          error={form.issues.serviceId}
          onChange={form.set('serviceId')}
          options={[
            { value: '', label: '—' },
            ...(services.data?.services ?? []).map((x) => ({ value: x.id, label: x.name })),
          ]}
        />
        <SelectField
          label={t('practitioner')}
          name="practitionerId"
          value={form.values.practitionerId}
          onChange={form.set('practitionerId')}
          options={[
            { value: '', label: t('anyone') },
            ...selectable.map((x) => ({ value: x.id, label: x.displayName })),
          ]}
        />
        <Field label={t('fromDate')} type="date" min={today} {...form.field('from')} />
        <Field label={t('toDate')} type="date" min={form.values.from} {...form.field('to')} />
        {joined && <Alert kind="ok">{t('joined')}</Alert>}
        <Alert>{form.message}</Alert>
      </ActionForm>
    </Screen>
  );
}
