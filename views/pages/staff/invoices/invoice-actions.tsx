import type { InvoiceView } from '../../../../src/domain/billing/index.ts';
import { Field, FieldError } from '../../../components/fields.tsx';
import { Csrf, PostButton, SwapForm } from '../../../components/form.tsx';
import { Alert } from '../../../components/notice.tsx';
import type { Fmt } from './invoice-bits.tsx';

/** A refused payment or credit note: what was typed and what went wrong. */
export interface PaymentTyped {
  method: string;
  amount: string;
  reference: string;
  error?: string | undefined;
}

export interface CreditTyped {
  positions: number[];
  quantities: Record<number, string>;
  note: string;
  error?: string | undefined;
}

const methods: [string, string][] = [
  ['cash', 'Cash'],
  ['card', 'Card'],
  ['transfer', 'Bank transfer'],
  ['other', 'Other'],
  ['credit', 'Patient’s credit'],
];

/**
 * Record a payment: the method, the amount (the balance unless changed) and a reference. On a
 * credit note the amount is negative: money paid back, or (method credit) kept as credit.
 */
export function PaymentForm(props: {
  invoice: InvoiceView;
  typed: PaymentTyped;
  csrf: string;
  credit: string;
}) {
  const { invoice: inv, typed } = props;
  const refund = inv.total < 0;
  return (
    <section aria-labelledby="h-pay" class="card">
      <h2 id="h-pay">{refund ? 'Pay back (refund)' : 'Record payment'}</h2>
      <form
        method="post"
        action={`/staff/invoices/${inv.id}/payments`}
        class="stack"
        aria-label="Record payment"
      >
        <Csrf token={props.csrf} />
        <Alert error={typed.error} />
        <fieldset class="choices methods">
          <legend>Method</legend>
          {methods.map(([value, label]) => (
            <label>
              <input type="radio" name="method" value={value} checked={typed.method === value} /> {label}
              {value === 'credit' ? ` (${props.credit} on account)` : ''}
            </label>
          ))}
        </fieldset>
        <Field
          name="amount"
          label={refund ? 'Amount paid back (negative)' : 'Amount'}
          value={typed.amount}
          inputmode="decimal"
          hint={
            refund
              ? 'For example -45.00.'
              : 'The balance unless you change it. More than the balance becomes credit.'
          }
        />
        <Field name="reference" label="Reference" value={typed.reference} required={false} maxlength={200} />
        <button type="submit">{refund ? 'Record refund' : 'Record payment'}</button>
      </form>
    </section>
  );
}

/** A credit note for all of the lines (all ticked) or some, each with a quantity. */
export function CreditNoteForm(props: { invoice: InvoiceView; typed: CreditTyped; csrf: string; fmt: Fmt }) {
  const { invoice: inv, typed } = props;
  return (
    <details class="card" open={Boolean(typed.error)}>
      <summary>Credit note…</summary>
      <form
        method="post"
        action={`/staff/invoices/${inv.id}/credit-notes`}
        class="stack"
        aria-label="Credit note"
      >
        <Csrf token={props.csrf} />
        <p class="muted">
          An issued invoice never changes: a credit note takes back the lines ticked (numbered in the same
          series).
        </p>
        <Alert error={typed.error} />
        {inv.lines.map((l) => (
          <div class="credit-line">
            <label>
              <input
                type="checkbox"
                name="position"
                value={String(l.position)}
                checked={typed.positions.includes(l.position)}
              />{' '}
              {l.description} ({props.fmt.money(l.gross)})
            </label>
            {l.quantity > 1 ? (
              <span>
                <label for={`f-qty-${l.position}`}>Quantity</label>{' '}
                <input
                  id={`f-qty-${l.position}`}
                  name={`quantity_${l.position}`}
                  inputmode="numeric"
                  size={3}
                  value={typed.quantities[l.position] ?? String(l.quantity)}
                />
              </span>
            ) : null}
          </div>
        ))}
        <div class="field">
          <label for="f-credit-note">Reason</label>
          <input id="f-credit-note" name="note" maxlength={2000} value={typed.note} />
          <FieldError id="f-credit-note" text={undefined} />
        </div>
        <button type="submit" class="secondary">
          Issue credit note
        </button>
      </form>
    </details>
  );
}

/** Void: a draft (declined, as a proposed fee), or an issued invoice nothing was paid on. */
export function VoidButton(props: { invoice: InvoiceView; csrf: string }) {
  const draft = props.invoice.status === 'draft';
  return (
    <PostButton
      action={`/staff/invoices/${props.invoice.id}/void`}
      csrf={props.csrf}
      kind="secondary"
      label={draft ? 'Void draft' : 'Void invoice'}
      formLabel="Void"
    />
  );
}

/** What the Send section says after a click: sent, or why not (the payer has no email…). */
export interface SendState {
  notice?: string | undefined;
  error?: string | undefined;
}

/**
 * "Send by email": the issued invoice (or credit note) to its payer again, its PDF attached. With
 * htmx only this section is redrawn (sent, or why not); without script the page comes back.
 */
export function SendSection(props: { invoice: InvoiceView; csrf: string; state: SendState }) {
  const action = `/staff/invoices/${props.invoice.id}/send`;
  const { state } = props;
  return (
    <section id="invoice-send" class="stack" aria-label="Send by email">
      <SwapForm
        action={action}
        csrf={props.csrf}
        target="invoice-send"
        swap="outerHTML"
        class="inline"
        label="Send by email"
      >
        <button type="submit" class="secondary">
          Send to the payer by email
        </button>
      </SwapForm>
      {state.notice ? (
        <p class="notice" role="status">
          {state.notice}
        </p>
      ) : null}
      <Alert error={state.error} />
    </section>
  );
}
