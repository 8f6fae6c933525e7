import { type DeliveryRowView, DeliveryTable } from '../../components/delivery-table.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';

export interface InboxRequest {
  id: string;
  when: string;
  patient: string;
  practitioner: string;
  service: string;
}

export interface InboxWaiting {
  patientId: string;
  patient: string;
  service: string;
  practitioner: string;
  dates: string;
  since: string;
  /** The calendar at the start of the wanted dates, to find a time. */
  calendarHref: string;
}

/**
 * Inbox: what waits for someone at the clinic today, each item linking to where it is handled.
 * A section is absent (not empty) when the member's role may not see it.
 */
export function InboxPage(props: {
  nav: StaffNavProps;
  requests?: InboxRequest[] | undefined;
  waiting?: InboxWaiting[] | undefined;
  failed?: { rows: DeliveryRowView[]; total: number } | undefined;
}) {
  return (
    <StaffLayout title="Inbox" nav={props.nav}>
      {props.requests ? (
        <section aria-labelledby="h-requests">
          <h2 id="h-requests">Appointment requests to approve ({props.requests.length})</h2>
          {props.requests.length ? (
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Patient</th>
                  <th scope="col">With</th>
                  <th scope="col">Service</th>
                </tr>
              </thead>
              <tbody>
                {props.requests.map((r) => (
                  <tr>
                    <td>{r.when}</td>
                    <td>
                      <a href={`/staff/appointments/${r.id}`}>{r.patient}</a>
                    </td>
                    <td>{r.practitioner}</td>
                    <td>{r.service}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">No requests are waiting.</p>
          )}
        </section>
      ) : null}
      {props.waiting ? (
        <section aria-labelledby="h-waiting">
          <h2 id="h-waiting">Waiting list ({props.waiting.length})</h2>
          {props.waiting.length ? (
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">Patient</th>
                  <th scope="col">Service</th>
                  <th scope="col">With</th>
                  <th scope="col">Dates wanted</th>
                  <th scope="col">Waiting since</th>
                  <th scope="col">
                    <span class="visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.waiting.map((w) => (
                  <tr>
                    <td>
                      <a href={`/staff/patients/${w.patientId}`}>{w.patient}</a>
                    </td>
                    <td>{w.service}</td>
                    <td>{w.practitioner}</td>
                    <td>{w.dates}</td>
                    <td>{w.since}</td>
                    <td>
                      <a href={w.calendarHref}>Find a time</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">Nobody is waiting.</p>
          )}
        </section>
      ) : null}
      {props.failed ? (
        <section aria-labelledby="h-failed">
          <h2 id="h-failed">Messages that failed ({props.failed.total})</h2>
          {props.failed.total ? (
            <>
              <DeliveryTable rows={props.failed.rows} showPatient caption="Failed messages, newest first" />
              <p>
                <a href="/staff/admin/messages?status=failed">All failed messages</a>
              </p>
            </>
          ) : (
            <p class="muted">No message has failed.</p>
          )}
        </section>
      ) : null}
    </StaffLayout>
  );
}
