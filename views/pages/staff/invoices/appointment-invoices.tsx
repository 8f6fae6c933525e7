import type { RegisterRow } from '../../../../src/domain/billing/index.ts';
import { CreateInvoiceButton, invoiceName, statusWords } from './invoice-bits.tsx';

/**
 * An appointment's invoices (the calendar's panel, Today): a link to each — the completion's
 * draft, a proposed no-show or late-cancellation fee for the front desk to issue or void — and,
 * once it is completed without one, "Create invoice".
 */
export interface AppointmentBilling {
  appointmentId: string;
  invoices: Pick<RegisterRow, 'id' | 'number' | 'kind' | 'origin' | 'status'>[];
  canCreate: boolean;
}

export function AppointmentInvoices(props: {
  billing: AppointmentBilling;
  csrf: string;
  /** Today's table: a lighter button, named for screen readers by `detail` (the patient). */
  compact?: boolean;
  detail?: string;
}) {
  const b = props.billing;
  if (!b.invoices.length && !b.canCreate) return null;
  return (
    <div class="appointment-invoices actions">
      {b.invoices.map((i) => (
        <a href={`/staff/invoices/${i.id}`} data-invoice-link={i.status}>
          {invoiceName(i)}
          {i.number || i.status !== 'draft' ? ` (${statusWords[i.status].toLowerCase()})` : ''}
        </a>
      ))}
      {b.canCreate ? (
        <CreateInvoiceButton
          label="Create invoice"
          csrf={props.csrf}
          fields={{ appointmentId: b.appointmentId }}
          compact={props.compact}
          detail={props.detail}
        />
      ) : null}
    </div>
  );
}

/** Today's "Proposed fees": no-show and late-cancellation fee drafts for the front desk to issue or void. */
export function ProposedFeesSection(props: {
  fees: { id: string; patientName: string; name: string; amount: string }[];
}) {
  if (!props.fees.length) return null;
  return (
    <section aria-labelledby="h-proposed-fees">
      <h2 id="h-proposed-fees">Proposed fees ({props.fees.length})</h2>
      <p class="muted">Open each to issue it (the patient owes it) or void it (waived).</p>
      <ul>
        {props.fees.map((f) => (
          <li>
            <a href={`/staff/invoices/${f.id}`}>
              {f.name}: {f.patientName}
            </a>{' '}
            — {f.amount}
          </li>
        ))}
      </ul>
    </section>
  );
}
