import { BaseLayout } from '../layouts/base.tsx';

/**
 * The unsubscribe link's pages: opening the link only asks (mail scanners follow links); the
 * button, or a mail client's one-click POST, turns the emails off at once.
 */
export function UnsubscribePage(props: {
  state: 'confirm' | 'done' | 'invalid';
  clinicName: string;
  token: string;
}) {
  const title =
    props.state === 'done'
      ? 'You are unsubscribed'
      : props.state === 'invalid'
        ? 'This link does not work'
        : 'Stop these emails?';
  return (
    <BaseLayout title={title}>
      <main class="narrow">
        <h1>{title}</h1>
        {props.state === 'confirm' ? (
          <form method="post" action={`/unsubscribe?token=${encodeURIComponent(props.token)}`} class="stack">
            <p>
              {props.clinicName} will no longer send you appointment emails and reminders. Sign-in codes still
              come when you ask for one. You can turn emails back on in the patient app.
            </p>
            <button type="submit">Unsubscribe</button>
          </form>
        ) : props.state === 'done' ? (
          <p>
            {props.clinicName} will no longer send you appointment emails and reminders. You can turn them
            back on in the patient app.
          </p>
        ) : (
          <p>The link is incomplete or was changed. Copy the whole link from the email, or ask the clinic.</p>
        )}
      </main>
    </BaseLayout>
  );
}
