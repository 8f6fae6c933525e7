import type { DbCtx } from '../../db/client.ts';
import {
  type InvoiceRow,
  type LineRow,
  listLinesOf,
  listPaymentsOf,
  type PaymentRow,
} from './billing.repo.ts';
import { type Totals, totalsOf } from './money.ts';

/** An invoice as staff, the API and the patient app read it: its lines, tax breakdown and payments. */
export interface InvoiceView {
  id: string;
  kind: InvoiceRow['kind'];
  number: string | null;
  status: InvoiceRow['status'];
  patientId: string;
  appointmentId: string | null;
  practitionerId: string | null;
  creditsInvoiceId: string | null;
  origin: InvoiceRow['origin'];
  currency: string;
  payer: { kind: InvoiceRow['payerKind']; patientId: string | null; name: string; address: string };
  note: string;
  lines: LineView[];
  subtotal: number;
  taxTotal: number;
  total: number;
  taxes: Totals['taxes'];
  paid: number;
  /** What is still owed (total − paid); negative on a credit note not yet paid back. */
  balance: number;
  payments: PaymentView[];
  dueDate: string | null;
  legalDetails: string;
  footer: string;
  version: number;
  createdAt: Date;
  issuedAt: Date | null;
  voidedAt: Date | null;
  /**
   * One invoice read by staff (`get`): when it was last emailed to its payer and to whom (masked),
   * null if never (invoice-email.ts); absent from lists and the patient app's reads.
   */
  lastEmailed?: { at: Date; to: string } | null;
}

export type LineView = Omit<LineRow, 'invoiceId'>;
export type PaymentView = Pick<PaymentRow, 'id' | 'method' | 'amount' | 'reference' | 'receivedAt'>;

export function invoiceView(row: InvoiceRow, lines: LineRow[], payments: PaymentRow[]): InvoiceView {
  const own = lines.filter((l) => l.invoiceId === row.id);
  return {
    id: row.id,
    kind: row.kind,
    number: row.number,
    status: row.status,
    patientId: row.patientId,
    appointmentId: row.appointmentId,
    practitionerId: row.practitionerId,
    creditsInvoiceId: row.creditsInvoiceId,
    origin: row.origin,
    currency: row.currency,
    payer: {
      kind: row.payerKind,
      patientId: row.payerPatientId,
      name: row.payerName,
      address: row.payerAddress,
    },
    note: row.note,
    lines: own.map(({ invoiceId: _, ...l }) => l),
    subtotal: row.subtotal,
    taxTotal: row.taxTotal,
    total: row.total,
    taxes: totalsOf(own).taxes,
    paid: row.paid,
    balance: row.total - row.paid,
    payments: payments
      .filter((p) => p.invoiceId === row.id)
      .map((p) => ({
        id: p.id,
        method: p.method,
        amount: p.amount,
        reference: p.reference,
        receivedAt: p.receivedAt,
      })),
    dueDate: row.dueDate,
    legalDetails: row.legalDetails,
    footer: row.footer,
    version: row.version,
    createdAt: row.createdAt,
    issuedAt: row.issuedAt,
    voidedAt: row.voidedAt,
  };
}

/** The views of these invoices (their lines and payments read in two queries). */
export async function invoiceViews(ctx: DbCtx, rows: InvoiceRow[]): Promise<InvoiceView[]> {
  const ids = rows.map((r) => r.id);
  const [lines, payments] = await Promise.all([listLinesOf(ctx, ids), listPaymentsOf(ctx, ids)]);
  return rows.map((r) => invoiceView(r, lines, payments));
}

/** The view of one invoice, as a use case answers the row it read or wrote. */
export async function invoiceViewOf(deps: { db: { reader: DbCtx } }, row: InvoiceRow): Promise<InvoiceView> {
  const [view] = await invoiceViews(deps.db.reader, [row]);
  return view!;
}

/** The status an issued invoice has with `paid` of `total` taken (either sign: a credit note is negative). */
export function statusFor(total: number, paid: number): 'issued' | 'part_paid' | 'paid' {
  if (Math.abs(paid) >= Math.abs(total)) return 'paid';
  return paid === 0 ? 'issued' : 'part_paid';
}
