import type { InvoiceStatus, RegisterRow } from '../../../../src/domain/billing/index.ts';
import { PostButton } from '../../../components/form.tsx';

/** Shared pieces of the invoice pages: status words, the number or "Draft", the money formatter. */

/** Formats minor units in the clinic currency (`€45.00`). */
export type Money = (minor: number) => string;

/** How the pages write money and dates (the clinic's currency, time zone and locale). */
export interface Fmt {
  money: Money;
  /** A date (`4 Dec 2026`). */
  day: (d: Date) => string;
  /** A date and time (`4 Dec 2026, 14:05`). */
  time: (d: Date) => string;
  /** A calendar date kept as `2026-12-20` (a due date), written like `day`. */
  date: (iso: string) => string;
}

export const statusWords: Record<InvoiceStatus, string> = {
  draft: 'Draft',
  issued: 'Issued',
  part_paid: 'Part paid',
  paid: 'Paid',
  void: 'Void',
};

export const originWords: Record<RegisterRow['origin'], string> = {
  manual: 'By hand',
  appointment: 'Appointment',
  no_show: 'No-show fee',
  late_cancel: 'Late cancellation fee',
  void: 'Voiding',
};

/** An invoice's name in a list: its number, or what it is while a draft. */
export function invoiceName(r: Pick<RegisterRow, 'number' | 'kind' | 'origin'>): string {
  if (r.number) return r.number;
  if (r.origin === 'no_show' || r.origin === 'late_cancel')
    return `Proposed ${originWords[r.origin].toLowerCase()}`;
  return r.kind === 'credit_note' ? 'Draft credit note' : 'Draft invoice';
}

/** The status as a coloured word (class `status-<status>`). */
export const StatusWord = (props: { status: InvoiceStatus; kind?: RegisterRow['kind'] }) => (
  <span class={`invoice-status invoice-${props.status}`}>
    {props.kind === 'credit_note' && props.status !== 'draft' ? 'Credit note · ' : ''}
    {statusWords[props.status]}
  </span>
);

export const invoiceStyles = <link rel="stylesheet" href="/static/invoices.css" />;

/**
 * "Create invoice" / "New invoice": a draft for an appointment or for a patient (`fields`), named
 * `label`; `compact` makes it a link-styled button, `detail` ends its name for screen readers.
 */
export const CreateInvoiceButton = (props: {
  label: string;
  csrf: string;
  fields: { appointmentId: string } | { patientId: string };
  compact?: boolean | undefined;
  detail?: string | undefined;
}) => (
  <PostButton
    action="/staff/invoices"
    csrf={props.csrf}
    label={props.label}
    fields={props.fields}
    formLabel={props.label}
    {...(props.compact ? { kind: 'link' as const } : {})}
    {...(props.detail ? { detail: props.detail } : {})}
  />
);
