import { raw } from 'hono/html';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';

/**
 * How patients get the app: the link to share, and a poster with its QR code for the waiting room
 * (the page prints as the poster alone). In English and French, like the app.
 */
export function PatientAppPage(props: {
  nav: StaffNavProps;
  clinicName: string;
  url: string;
  qrSvg: string;
  /** No --base-url: the link is the address this page was opened at. */
  guessed: boolean;
}) {
  return (
    <StaffLayout title="Patient app" nav={props.nav}>
      <section class="no-print">
        <p>
          Patients install the app from this link on their phone — no app store. They sign in with a code sent
          by email or SMS, book, move or cancel, and get reminders.
        </p>
        <p>
          <strong>Link:</strong> <a href={props.url}>{props.url}</a>
        </p>
        {props.guessed ? (
          <p class="notice" role="status">
            No public address is set (<code>--base-url</code>), so this is the address you opened this page
            at. Patients' phones must be able to reach it; set the public URL before printing.
          </p>
        ) : null}
        <p>Print this page for your waiting room (only the poster is printed).</p>
      </section>
      <section class="poster" aria-label="Poster">
        <h2>{props.clinicName}</h2>
        <p class="poster-lead">Book your appointments on your phone</p>
        <p class="poster-lead" lang="fr">
          Prenez rendez-vous sur votre téléphone
        </p>
        <div class="qr poster-qr" role="img" aria-label={`QR code for ${props.url}`}>
          {raw(props.qrSvg)}
        </div>
        <p class="poster-url">{props.url}</p>
      </section>
    </StaffLayout>
  );
}
