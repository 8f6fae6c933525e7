import type { RegisterRow } from '../../../../src/domain/billing/index.ts';
import { CreateInvoiceButton, type Fmt, invoiceStyles } from './invoice-bits.tsx';
import { InvoiceTable } from './list.tsx';

/** The chart's Invoices: the patient's invoices with status and balance, their credit, "New invoice". */
export interface PatientInvoicesView {
  patientId: string;
  rows: RegisterRow[];
  credit: number;
  canCreate: boolean;
  fmt: Fmt;
}

export function PatientInvoicesSection(props: { view: PatientInvoicesView; csrf: string }) {
  const v = props.view;
  const owed = v.rows.reduce((sum, r) => sum + r.balance, 0);
  return (
    <section aria-labelledby="h-invoices" id="invoices">
      {invoiceStyles}
      <h2 id="h-invoices">Invoices</h2>
      <p>
        Balance owed: <strong data-total="owed">{v.fmt.money(owed)}</strong> · Credit on account:{' '}
        <strong data-total="credit">{v.fmt.money(v.credit)}</strong>
      </p>
      <InvoiceTable rows={v.rows} fmt={v.fmt} caption="The patient’s invoices" patient={false} />
      {v.canCreate ? (
        <CreateInvoiceButton label="New invoice" csrf={props.csrf} fields={{ patientId: v.patientId }} />
      ) : null}
    </section>
  );
}
