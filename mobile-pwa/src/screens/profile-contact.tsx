/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import { api, type PatientJson } from '../api.ts';
import { useApp } from '../context.ts';
import { CodeField, Field, PhoneField } from '../fields.tsx';
import { ActionButton, ActionForm, Alert, LoadState, useLoad } from '../ui.tsx';
import { useForm } from '../use-form.ts';

/** A new email or phone waiting for the code sent to it (GET /api/v1/auth/contact). */
interface PendingContact {
  channel: 'email' | 'phone';
  value: string;
  expiresAt: string;
}

/**
 * Where messages go: the verified email and phone, each new one "pending — enter the code we
 * sent" with its code field (until then messages keep going to the verified one), and a form to
 * give a new one (allowed within 15 minutes of signing in; the server says so otherwise).
 */
export function ContactDetails(props: { patient: PatientJson }) {
  const { t } = useApp().i18n;
  const { patient } = props;
  const loaded = useLoad(() => api.get<{ pending: PendingContact[] }>('/api/v1/auth/contact'), 'contact');
  return (
    <section aria-labelledby="contact">
      <h2 id="contact">{t('contactTitle')}</h2>
      <dl class="summary">
        <dt>{t('emailLabel')}</dt>
        <dd>{patient.email ?? t('notGiven')}</dd>
        <dt>{t('phoneLabel')}</dt>
        <dd>{patient.phone ?? t('notGiven')}</dd>
      </dl>
      <LoadState loaded={loaded} />
      {loaded.data?.pending.map((change) => (
        <PendingChange key={`${change.channel}:${change.value}`} change={change} onDone={loaded.reload} />
      ))}
      <ChangeContact patient={patient} onSent={loaded.reload} />
    </section>
  );
}

function PendingChange(props: { change: PendingContact; onDone: () => void }) {
  const app = useApp();
  const { t } = app.i18n;
  const { channel, value } = props.change;
  const form = useForm({ code: '' });
  const [resent, setResent] = useState(false);
  const confirm = form.submit(async () => {
    await api.post('/api/v1/auth/contact/verify', { channel, code: form.values.code.trim() });
    await app.refreshMe();
    props.onDone();
  });
  const resend = form.submit(async () => {
    setResent(false);
    await api.post('/api/v1/auth/contact/resend', { channel });
    setResent(true);
  });
  return (
    <div class="pending">
      <p>
        <strong>{value}</strong> — {t('contactPending')}
      </p>
      <p class="muted small">{t('contactPendingNote')}</p>
      <ActionForm onSubmit={confirm} submit={t('confirmCode')}>
        <CodeField label={t('codeSentTo', { to: value })} {...form.field('code')} />
        <Alert>{form.message}</Alert>
      </ActionForm>
      <ActionButton kind="plain" onClick={resend}>
        {t('sendNewCode')}
      </ActionButton>
      {resent && <Alert kind="ok">{t('codeResent')}</Alert>}
    </div>
  );
}

/** A new email or phone: sent only when changed; an emptied field takes the contact away. */
function ChangeContact(props: { patient: PatientJson; onSent: () => void }) {
  const app = useApp();
  const { t } = app.i18n;
  const { patient } = props;
  const form = useForm({ email: patient.email ?? '', phone: patient.phone ?? '' });
  const [open, setOpen] = useState(false);
  const [sent, setSent] = useState(false);
  const save = form.submit(async () => {
    const email = form.values.email.trim();
    const phone = form.values.phone.trim();
    const changes = {
      ...(email !== (patient.email ?? '') ? { email: email || null } : {}),
      ...(phone !== (patient.phone ?? '') ? { phone: phone || null } : {}),
    };
    if (Object.keys(changes).length === 0) return;
    await api.patch('/api/v1/me', changes);
    await app.refreshMe();
    props.onSent();
    setOpen(false);
    setSent(true);
  });
  if (!open) {
    return (
      <>
        {sent && <Alert kind="ok">{t('contactCodeSent')}</Alert>}
        <button type="button" class="btn plain" onClick={() => setOpen(true)}>
          {t('changeContact')}
        </button>
      </>
    );
  }
  return (
    <ActionForm onSubmit={save} submit={t('save')}>
      <Field label={t('email')} type="email" autocomplete="email" {...form.field('email')} />
      <PhoneField label={t('phone')} {...form.field('phone')} />
      <Alert>{form.message}</Alert>
    </ActionForm>
  );
}
