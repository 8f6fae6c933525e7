/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import { api, type PatientJson } from '../api.ts';
import { useApp } from '../context.ts';
import { Check, Field } from '../fields.tsx';
import { canAskForPush, disablePush, enablePush, hasPushSubscription } from '../push.ts';
import { ActionForm, Alert } from '../ui.tsx';
import { useAttempt } from '../use-form.ts';
import { ProfileSection } from './profile-section.tsx';

/** Which channels the clinic may use, and SMS quiet hours; push follows this phone's subscription. */
export function MessageSettings(props: { patient: PatientJson }) {
  const app = useApp();
  const { t } = app.i18n;
  const saved = props.patient.notifications;
  const [byEmail, setByEmail] = useState(saved?.email ?? props.patient.messagesByEmail ?? true);
  const [bySms, setBySms] = useState(saved?.sms ?? props.patient.messagesBySms ?? true);
  // "On this phone": the account's push preference and this device's subscription together.
  const [pushChoice, setPushChoice] = useState<boolean | null>(null);
  const [quiet, setQuietState] = useState(saved?.quietHours ?? null);
  // Sent only when changed here: otherwise the patient keeps following the clinic's default.
  const [quietEdited, setQuietEdited] = useState(false);
  const setQuiet = (q: typeof quiet) => {
    setQuietState(q);
    setQuietEdited(true);
  };
  const [hasDevice, setHasDevice] = useState(false);
  const attempt = useAttempt();
  const [ok, setOk] = useState<string | null>(null);
  const pushPossible = canAskForPush();
  useEffect(() => {
    hasPushSubscription().then(setHasDevice);
  }, []);
  const byPush = pushChoice ?? ((saved?.push ?? true) && hasDevice);
  const save = attempt.submit(async () => {
    setOk(null);
    await api.patch('/api/v1/me', {
      notifications: {
        email: byEmail,
        sms: bySms,
        ...(quietEdited ? { quietHours: quiet } : {}),
        ...(pushChoice === null ? {} : { push: pushChoice }),
      },
    });
    await app.refreshMe();
    // The phone's subscription follows a changed choice; the browser may still say no.
    let saved = t('saved');
    if (pushChoice !== null && pushChoice !== hasDevice) {
      try {
        await (pushChoice ? enablePush() : disablePush());
        setHasDevice(pushChoice);
      } catch {
        saved = `${saved} ${t('pushFailed')}`;
      }
    }
    setOk(saved);
  });
  const { issues } = attempt;
  return (
    <ProfileSection id="messages" title={t('notifications')} intro={t('notificationsIntro')}>
      <ActionForm onSubmit={save} submit={t('save')}>
        <Check label={t('byEmail')} checked={byEmail} onChange={setByEmail} />
        <Check label={t('bySms')} checked={bySms} onChange={setBySms} />
        {(pushPossible || hasDevice) && (
          <Check label={t('byPush')} checked={byPush} onChange={setPushChoice} />
        )}
        <Check
          label={t('quietHours')}
          checked={quiet !== null}
          onChange={(on) => setQuiet(on ? { start: '21:00', end: '08:00' } : null)}
        />
        {quiet && (
          <div class="pair">
            <Field
              label={t('quietFrom')}
              type="time"
              value={quiet.start}
              error={issues['notifications.quietHours.start'] ?? issues['notifications.quietHours']}
              onInput={(e) => setQuiet({ ...quiet, start: e.currentTarget.value })}
            />
            <Field
              label={t('quietTo')}
              type="time"
              value={quiet.end}
              error={issues['notifications.quietHours.end']}
              onInput={(e) => setQuiet({ ...quiet, end: e.currentTarget.value })}
            />
          </div>
        )}
        {ok && <Alert kind="ok">{ok}</Alert>}
        <Alert>{attempt.message}</Alert>
      </ActionForm>
    </ProfileSection>
  );
}
