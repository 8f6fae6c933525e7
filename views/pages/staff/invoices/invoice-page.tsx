import type { InvoiceContext, InvoiceView } from '../../../../src/domain/billing/index.ts';
import { Fact } from '../../../components/facts.tsx';
import { Alert, Notice } from '../../../components/notice.tsx';
import { DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';
import { DraftEditor, type EditorProps, Totals } from './draft-editor.tsx';
import {
  CreditNoteForm,
  type CreditTyped,
  PaymentForm,
  type PaymentTyped,
  SendSection,
  type SendState,
  VoidButton,
} from './invoice-actions.tsx';
import { type Fmt, invoiceName, invoiceStyles, originWords, StatusWord } from './invoice-bits.tsx';

/** What the invoice page shows: the invoice, what is around it, and the forms the member may use. */
export interface InvoicePageProps {
  nav: StaffNavProps;
  invoice: InvoiceView;
  context: InvoiceContext;
  fmt: Fmt;
  notice?: string | undefined;
  /** A refusal of an action (issued meanwhile, void…), said kindly at the top. */
  error?: string | undefined;
  /** The draft's editor (billing.manage, a draft). */
  editor?: Omit<EditorProps, 'invoice' | 'csrf' | 'fmt' | 'guardians'> | undefined;
  payment?: PaymentTyped | undefined;
  credit?: CreditTyped | undefined;
  /** "Send by email" (billing.manage, issued): what the last click did. */
  send?: SendState | undefined;
  canVoid: boolean;
}

const methodWords: Record<string, string> = {
  cash: 'Cash',
  card: 'Card',
  transfer: 'Bank transfer',
  other: 'Other',
  credit: 'Patient’s credit',
};

/**
 * One invoice. A draft is edited here (lines, payer, due date, note) and issued; from then on it
 * is read-only — its number, lines and totals never change — and takes payments, credit notes,
 * or (unpaid) a void. The PDFs of the invoice and of its receipt are linked.
 */
export function InvoicePage(props: InvoicePageProps) {
  const { invoice: inv, context: ctx, fmt } = props;
  const csrf = props.nav.csrf;
  const title = inv.kind === 'credit_note' && inv.number ? `Credit note ${inv.number}` : invoiceName(inv);
  return (
    <StaffLayout title={title} nav={props.nav}>
      {invoiceStyles}
      <Notice text={props.notice} />
      <Alert error={props.error} />
      <p>
        <a href="/staff/invoices">← All invoices</a>
      </p>
      <dl class="facts invoice-facts">
        <Fact term="Status">
          <StatusWord status={inv.status} kind={inv.kind} />
        </Fact>
        <Fact term="Patient">
          <a href={`/staff/patients/${inv.patientId}`}>{ctx.patientName}</a>
        </Fact>
        <dt>Payer</dt>
        <dd class="pre">{[inv.payer.name, inv.payer.address].filter(Boolean).join('\n') || '—'}</dd>
        <Fact term="Made">
          {fmt.day(inv.createdAt)} · {originWords[inv.origin]}
          {inv.appointmentId ? (
            <>
              {' '}
              (<a href={`/staff/appointments/${inv.appointmentId}`}>appointment</a>)
            </>
          ) : null}
        </Fact>
        {inv.issuedAt ? <Fact term="Issued">{fmt.day(inv.issuedAt)}</Fact> : null}
        {inv.status !== 'draft' && inv.lastEmailed !== undefined ? (
          <>
            <dt>Last emailed</dt>
            <dd data-fact="last-emailed">
              {inv.lastEmailed ? `${fmt.time(inv.lastEmailed.at)} to ${inv.lastEmailed.to}` : 'Not sent yet'}
            </dd>
          </>
        ) : null}
        {inv.dueDate && inv.status !== 'draft' ? <Fact term="Due">{fmt.date(inv.dueDate)}</Fact> : null}
        {inv.creditsInvoiceId ? (
          <Fact term="Corrects">
            <a href={`/staff/invoices/${inv.creditsInvoiceId}`}>the invoice it credits</a>
          </Fact>
        ) : null}
        {ctx.creditNotes.length ? (
          <Fact term="Credit notes">
            {ctx.creditNotes.map((c, i) => (
              <>
                {i ? ', ' : ''}
                <a href={`/staff/invoices/${c.id}`}>{c.number ?? 'draft'}</a> ({fmt.money(c.total)})
              </>
            ))}
          </Fact>
        ) : null}
      </dl>
      {inv.status !== 'draft' ? <PdfLinks invoice={inv} /> : null}
      {props.send ? <SendSection invoice={inv} csrf={csrf} state={props.send} /> : null}
      {props.editor ? (
        <DraftEditor {...props.editor} invoice={inv} csrf={csrf} fmt={fmt} guardians={ctx.guardians} />
      ) : (
        <IssuedLines invoice={inv} fmt={fmt} />
      )}
      {inv.status === 'draft' ? null : <Balance {...props} />}
      {props.payment ? (
        <PaymentForm invoice={inv} typed={props.payment} csrf={csrf} credit={fmt.money(ctx.credit)} />
      ) : null}
      {props.credit ? <CreditNoteForm invoice={inv} typed={props.credit} csrf={csrf} fmt={fmt} /> : null}
      {props.canVoid ? (
        <p class="actions">
          <VoidButton invoice={inv} csrf={csrf} />
        </p>
      ) : null}
    </StaffLayout>
  );
}

function PdfLinks(props: { invoice: InvoiceView }) {
  const base = `/staff/invoices/${props.invoice.id}`;
  return (
    <p class="actions">
      <a href={`${base}/invoice.pdf`}>Invoice PDF</a>
      {props.invoice.payments.length ? <a href={`${base}/receipt.pdf`}>Receipt PDF</a> : null}
    </p>
  );
}

/** An issued invoice's lines (read-only: it never changes), its note and totals. */
function IssuedLines(props: { invoice: InvoiceView; fmt: Fmt }) {
  const { invoice: inv, fmt } = props;
  return (
    <section aria-labelledby="h-lines">
      <h2 id="h-lines">Lines</h2>
      <DataTable
        scroll
        class="list invoice-lines"
        caption="Lines"
        rows={inv.lines}
        columns={[
          { head: 'Description', cell: (l) => l.description },
          { head: 'Qty', cell: (l) => String(l.quantity), class: () => 'num' },
          { head: 'Unit price', cell: (l) => fmt.money(l.unitPrice), class: () => 'num' },
          {
            head: 'Discount',
            cell: (l) =>
              [
                l.discountBasisPoints ? `${l.discountBasisPoints / 100} %` : '',
                l.discountAmount ? fmt.money(l.discountAmount) : '',
              ]
                .filter(Boolean)
                .join(' + ') || '—',
            class: () => 'num',
          },
          { head: 'Tax', cell: (l) => (l.taxName ? `${l.taxName} ${l.taxBasisPoints / 100} %` : '—') },
          { head: 'Amount', cell: (l) => fmt.money(l.gross), class: () => 'num' },
        ]}
        empty={<p class="muted">No lines.</p>}
      />
      {inv.note ? <p class="pre">{inv.note}</p> : null}
      <Totals invoice={inv} fmt={fmt} />
    </section>
  );
}

/** Paid, balance, the patient's credit on account, and the payments. */
function Balance(props: InvoicePageProps) {
  const { invoice: inv, fmt } = props;
  return (
    <section aria-labelledby="h-payments">
      <h2 id="h-payments">Payments</h2>
      <dl class="invoice-totals">
        <Fact term="Paid">{fmt.money(inv.paid)}</Fact>
        <Fact term="Balance">
          <strong data-total="balance">{inv.status === 'void' ? '—' : fmt.money(inv.balance)}</strong>
        </Fact>
        <dt>Credit on account</dt>
        <dd data-total="credit">{fmt.money(props.context.credit)}</dd>
      </dl>
      <DataTable
        scroll
        class="list"
        caption="Payments"
        rows={inv.payments}
        columns={[
          { head: 'Received', cell: (p) => fmt.time(p.receivedAt) },
          { head: 'Method', cell: (p) => methodWords[p.method] ?? p.method },
          { head: 'Reference', cell: (p) => p.reference || '—' },
          { head: 'Amount', cell: (p) => fmt.money(p.amount), class: () => 'num' },
        ]}
        empty={<p class="muted">No payments yet.</p>}
      />
    </section>
  );
}
