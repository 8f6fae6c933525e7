import { and, eq, inArray, isNotNull, isNull, ne, or } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { countWhere, deleteWhere } from '../../db/rows.ts';
import { definePatientEraseStep } from '../patient-erase.ts';
import { findPatientById } from '../patients/index.ts';

/**
 * The billing area's part of erasing a patient (issue 18 item 6 with issue 20).
 *
 * Issued invoices and credit notes (anything with `issued_at`: paid, part paid, or voided after
 * issue) and payments are financial records the clinic must keep (accounting law), so they count
 * as content that refuses a plain erase — the record is restricted instead — whether the patient
 * is the one invoiced or the guardian who pays (their name is printed on it). A plain erase so
 * only ever meets drafts and voided drafts (no number, never sent, no payment): it deletes them
 * with their lines. A draft of another patient that this one was to pay (as guardian) is kept, its
 * payer set back to that patient.
 *
 * The purge after the retention period keeps the issued documents, their amounts, numbers, dates
 * and statuses (the sequence of numbers and the books must still add up) but clears what names
 * or describes the person: the payer's name and address, the invoice's note, the lines' free-text
 * descriptions and the payments' references. `patient_credits` rows are kept as they are: they
 * hold only amounts and ids (no free text) and are the ledger of money the clinic owes or spent on
 * the (now anonymous) record, which the accounts must still reconcile; they point at the tombstone.
 */

/** Issued = given a number at some point (a draft, or a draft later voided, has none). */
const issued = (ctx: DbCtx) => isNotNull(ctx.t.invoices.issuedAt);
const draft = (ctx: DbCtx) => isNull(ctx.t.invoices.issuedAt);
const invoicedOrPaying = (ctx: DbCtx, patientId: string) =>
  or(eq(ctx.t.invoices.patientId, patientId), eq(ctx.t.invoices.payerPatientId, patientId));

export const billingEraseStep = definePatientEraseStep({
  area: 'billing',
  deletes: [],
  wipes: {
    invoices: ['payer_name', 'payer_address', 'note'],
    invoice_lines: ['description'],
    payments: ['reference'],
  },
  keeps: {
    invoices: [
      'id',
      'kind',
      'number',
      'status',
      'patient_id',
      'appointment_id',
      'practitioner_id',
      'credits_invoice_id',
      'origin',
      'currency',
      'payer_kind',
      'payer_patient_id',
      'subtotal',
      'tax_total',
      'total',
      'paid',
      'due_date',
      'legal_details',
      'footer',
      'version',
      'created_by',
      'created_at',
      'updated_at',
      'issued_at',
      'voided_at',
    ],
    invoice_lines: [
      'id',
      'invoice_id',
      'position',
      'kind',
      'service_id',
      'product_id',
      'quantity',
      'unit_price',
      'discount_basis_points',
      'discount_amount',
      'tax_rate_id',
      'tax_name',
      'tax_basis_points',
      'tax_inclusive',
      'net',
      'tax',
      'gross',
    ],
    payments: [
      'id',
      'invoice_id',
      'patient_id',
      'method',
      'amount',
      'received_at',
      'created_by',
      'created_at',
    ],
    patient_credits: ['id', 'patient_id', 'amount', 'invoice_id', 'payment_id', 'created_at'],
  },
  async clinical(ctx, patientId) {
    const i = ctx.t.invoices;
    const p = ctx.t.payments;
    const kept = (kind: 'invoice' | 'credit_note') =>
      and(invoicedOrPaying(ctx, patientId), issued(ctx), eq(i.kind, kind));
    return {
      issuedInvoices: await countWhere(ctx, i, kept('invoice')),
      creditNotes: await countWhere(ctx, i, kept('credit_note')),
      payments: await countWhere(ctx, p, eq(p.patientId, patientId)),
    };
  },
  async count(ctx, patientId) {
    const i = ctx.t.invoices;
    const p = ctx.t.payments;
    return {
      invoiceDrafts: await countWhere(ctx, i, and(eq(i.patientId, patientId), draft(ctx))),
      invoicesCleared: await countWhere(ctx, i, and(invoicedOrPaying(ctx, patientId), issued(ctx))),
      paymentsCleared: await countWhere(ctx, p, eq(p.patientId, patientId)),
    };
  },
  async erase(ctx, patientId) {
    const i = ctx.t.invoices;
    const l = ctx.t.invoiceLines;
    const p = ctx.t.payments;
    // Drafts (and voided drafts) of the patient: gone with their lines (no payment or credit
    // points at a draft: both need an issued invoice).
    const drafts = and(eq(i.patientId, patientId), draft(ctx));
    const draftIds = ctx.db.select({ id: i.id }).from(i).where(drafts);
    await deleteWhere(ctx, l, inArray(l.invoiceId, draftIds));
    const invoiceDrafts = await deleteWhere(ctx, i, drafts);

    // Another patient's drafts this one was to pay: the payer becomes that patient again.
    const paying = await ctx.db
      .select({ id: i.id, patientId: i.patientId })
      .from(i)
      .where(and(eq(i.payerPatientId, patientId), draft(ctx)));
    for (const row of paying) {
      const person = await findPatientById(ctx, row.patientId);
      await ctx.db
        .update(i)
        .set({
          payerKind: 'patient',
          payerPatientId: row.patientId,
          payerName: person ? `${person.firstName} ${person.lastName}` : '',
          payerAddress: person?.address ?? '',
        })
        .where(eq(i.id, row.id));
    }

    // The purge only (a plain erase has none): issued documents kept, the person cleared — on
    // the patient's own, the payer, the note and the lines' descriptions; on another patient's
    // that this one paid as guardian, only the payer (the lines are that patient's).
    const own = and(eq(i.patientId, patientId), issued(ctx));
    const ownIds = ctx.db.select({ id: i.id }).from(i).where(own);
    await ctx.db.update(l).set({ description: '' }).where(inArray(l.invoiceId, ownIds));
    const ownCleared = await ctx.db
      .update(i)
      .set({ payerName: '', payerAddress: '', note: '' })
      .where(own)
      .returning({ id: i.id });
    const paidCleared = await ctx.db
      .update(i)
      .set({ payerName: '', payerAddress: '' })
      .where(and(eq(i.payerPatientId, patientId), ne(i.patientId, patientId), issued(ctx)))
      .returning({ id: i.id });
    const payments = await ctx.db
      .update(p)
      .set({ reference: '' })
      .where(eq(p.patientId, patientId))
      .returning({ id: p.id });
    return {
      invoiceDrafts,
      invoicesCleared: ownCleared.length + paidCleared.length,
      paymentsCleared: payments.length,
    };
  },
});
