import { AppError, conflict, fieldIssue, validated, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';

import { creditBalance, insertCredit, insertPayment } from './billing.repo.ts';
import { paymentInput } from './billing.schema.ts';
import { saveInvoice, staffInvoiceChange } from './invoice-change.ts';
import { statusFor } from './invoice-view.ts';

/**
 * Staff record a payment on an issued invoice: cash, card at the desk, bank transfer, other, or
 * the patient's credit. Part payments move it to part_paid, the last to paid. On an invoice the
 * amount is positive; what exceeds the balance is kept as the patient's credit (a ledger row), so
 * `paid` never passes the total. On a credit note the amount is negative: money paid back (a
 * refund), or, with method `credit`, put on the patient's credit. Paying with credit spends at
 * most what the patient has. Audited with the method and amount.
 */
export const recordPayment = staffInvoiceChange({
  prepare: (_deps, input) => validated(paymentInput, input),
  async change(ctx, invoice, { deps, actor, prepared: data }) {
    const id = invoice.id;
    if (invoice.status === 'draft')
      throw conflict('Issue the invoice before taking a payment.', 'invoice_not_issued');
    if (invoice.status === 'void') throw conflict('This invoice is void.', 'invoice_void');
    if (invoice.status === 'paid') throw conflict('This invoice is paid.', 'invoice_paid');
    const sign = invoice.total < 0 ? -1 : 1;
    if (Math.sign(data.amount) !== sign)
      throw validationFailed([
        fieldIssue(
          'amount',
          sign > 0 ? 'A positive amount on an invoice.' : 'A negative amount (paid back) on a credit note.',
        ),
      ]);
    const remaining = invoice.total - invoice.paid;
    const applied = sign > 0 ? Math.min(data.amount, remaining) : Math.max(data.amount, remaining);
    const excess = data.amount - applied;
    if (sign < 0 && excess !== 0)
      throw validationFailed([fieldIssue('amount', 'More than the credit note holds.')]);
    if (data.method === 'credit' && sign > 0) {
      if (excess !== 0) throw validationFailed([fieldIssue('amount', 'Credit pays at most the balance.')]);
      if ((await creditBalance(ctx, invoice.patientId)) < data.amount)
        throw new AppError('insufficient_credit', 'The patient does not have that much credit.', {
          status: 409,
        });
    }
    const now = deps.clock.now();
    const payment = await insertPayment(ctx, {
      id: newId(),
      invoiceId: id,
      patientId: invoice.patientId,
      method: data.method,
      amount: data.amount,
      reference: data.reference,
      receivedAt: data.receivedAt ? new Date(data.receivedAt) : now,
      createdBy: actor.type === 'staff' ? actor.id : null,
      createdAt: now,
    });
    // The patient's credit: + an overpayment's excess, − credit spent, + a credit note put on credit.
    const credit = excess + (data.method === 'credit' ? -data.amount : 0);
    if (credit !== 0)
      await insertCredit(ctx, {
        id: newId(),
        patientId: invoice.patientId,
        amount: credit,
        invoiceId: id,
        paymentId: payment.id,
        createdAt: now,
      });
    const paid = invoice.paid + applied;
    return saveInvoice(
      deps,
      ctx,
      actor,
      invoice,
      { paid, status: statusFor(invoice.total, paid), updatedAt: now },
      {
        action: 'invoice.payment',
        details: { payment: payment.id, method: data.method, amount: data.amount, credit },
      },
    );
  },
});
