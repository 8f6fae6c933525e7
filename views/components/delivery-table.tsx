import type { Channel, DeliveryStatus } from '../../src/domain/notifications/index.ts';

/** The delivery log as a table (on a patient's chart, in the inbox and for admins). No bodies: the log never has one. */
export interface DeliveryRowView {
  id: string;
  createdAt: string;
  sentAt: string;
  channel: Channel;
  type: string;
  language: string;
  recipient: string;
  status: DeliveryStatus;
  attempts: number;
  providerId: string;
  lastError: string;
  /** Admin view: the patient's chart, when the message concerns one. */
  patientHref?: string | undefined;
}

export function DeliveryTable(props: { rows: DeliveryRowView[]; showPatient?: boolean; caption: string }) {
  if (props.rows.length === 0) return <p class="muted">No messages yet.</p>;
  return (
    <table class="deliveries">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Queued</th>
          <th scope="col">Message</th>
          <th scope="col">Channel</th>
          <th scope="col">To</th>
          <th scope="col">Status</th>
          <th scope="col">Tries</th>
          <th scope="col">Sent</th>
          <th scope="col">Provider id</th>
          <th scope="col">Last error</th>
          {props.showPatient ? <th scope="col">Patient</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr data-status={r.status}>
            <td>{r.createdAt}</td>
            <td>
              {r.type} <small class="muted">({r.language})</small>
            </td>
            <td>{r.channel}</td>
            <td>{r.recipient}</td>
            <td class={`status-${r.status}`}>{r.status}</td>
            <td>{r.attempts}</td>
            <td>{r.sentAt}</td>
            <td>{r.providerId}</td>
            <td>{r.lastError}</td>
            {props.showPatient ? <td>{r.patientHref ? <a href={r.patientHref}>chart</a> : '—'}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
