import type { Channel, DeliveryState } from '../../src/domain/notifications/index.ts';
import { type Column, DataTable } from './table.tsx';

/** The delivery log as a table (on a patient's chart, in the inbox and for admins). No bodies: the log never has one. */
export interface DeliveryRowView {
  id: string;
  createdAt: string;
  sentAt: string;
  channel: Channel;
  type: string;
  language: string;
  recipient: string;
  status: DeliveryState;
  /** The status as read: "sent", or "not sent (no SMS provider)" when no provider took it. */
  statusText: string;
  attempts: number;
  providerId: string;
  lastError: string;
  /** Admin view: the patient's chart, when the message concerns one. */
  patientHref?: string | undefined;
}

const deliveryColumns = (showPatient = false): (Column<DeliveryRowView> | false)[] => [
  { head: 'Queued', cell: (r) => r.createdAt },
  {
    head: 'Message',
    cell: (r) => (
      <>
        {r.type} <small class="muted">({r.language})</small>
      </>
    ),
  },
  { head: 'Channel', cell: (r) => r.channel },
  { head: 'To', cell: (r) => r.recipient, class: () => 'address' },
  { head: 'Status', cell: (r) => r.statusText, class: (r) => `status-${r.status}` },
  { head: 'Tries', cell: (r) => r.attempts },
  { head: 'Sent', cell: (r) => r.sentAt },
  { head: 'Provider id', cell: (r) => r.providerId, class: () => 'address' },
  { head: 'Last error', cell: (r) => r.lastError, class: () => 'reason' },
  showPatient && { head: 'Patient', cell: (r) => (r.patientHref ? <a href={r.patientHref}>chart</a> : '—') },
];

/**
 * The log is wider than a phone: it scrolls sideways inside its own box (a named region that takes
 * focus, so the keyboard can scroll it too) instead of pushing the page wider.
 */
export function DeliveryTable(props: { rows: DeliveryRowView[]; showPatient?: boolean; caption: string }) {
  if (props.rows.length === 0) return <p class="muted">No messages yet.</p>;
  return (
    <section class="table-scroll" aria-label={props.caption} tabindex={0}>
      <DataTable
        class="deliveries"
        caption={props.caption}
        showCaption
        rows={props.rows}
        columns={deliveryColumns(props.showPatient)}
        rowAttributes={(r) => ({ 'data-status': r.status })}
      />
    </section>
  );
}
