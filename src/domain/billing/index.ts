import { type BuildDeps, defineArea, pickDeps } from '../area.ts';
import type { Notifier } from '../notifications/index.ts';
import type { AppointmentsService, ServicesService } from '../scheduling/index.ts';
import { onVisitEnded } from './appointment-hooks.ts';
import type { BillingDeps } from './billing.deps.ts';
import { billingMessages } from './billing.messages.ts';
import { billingService } from './billing.service.ts';
import { billingEraseStep } from './patient-erase.repo.ts';
import { billingMergeStep } from './patient-merge.repo.ts';

export type { InvoiceRow, ProductRow, ServicePriceRow, TaxRateRow } from './billing.repo.ts';
export {
  type BillingSettings,
  billingSettingsInput,
  createInvoiceInput,
  creditNoteInput,
  type InvoiceStatus,
  invoiceStatuses,
  MAX_AMOUNT,
  type PaymentMethod,
  paymentInput,
  paymentMethods,
  productChange,
  productInput,
  servicePricesInput,
  taxRateChange,
  taxRateInput,
  updateInvoiceInput,
} from './billing.schema.ts';
export { type BillingService, billingService } from './billing.service.ts';
export type { InvoiceFile, PdfKind } from './invoice-document.ts';
export {
  type InvoiceContext,
  PAGE_SIZE,
  type Register,
  type RegisterFilter,
  type RegisterRow,
  registerFilterInput,
} from './invoice-register.ts';
export type { InvoiceView, LineView, PaymentView } from './invoice-view.ts';
export { invoiceNumber } from './issue-invoice.ts';
export { formatMoney, lineAmounts, minorDigits, totalsOf } from './money.ts';
export { basisPointsOf, decimalOf, minorUnitsOf, percentOf } from './money-text.ts';
export { listFilterInput } from './read-invoices.ts';
export type { PriceList } from './read-price-list.ts';
export {
  ageingBands,
  sumDailyTakings,
  sumOutstandingByAge,
  sumPaymentsByMethod,
  sumRevenueByPractitioner,
  sumRevenueBySale,
} from './reports.repo.ts';

/**
 * Billing (issue 20): prices per service with practitioners' overrides, products, tax rates and
 * one clinic currency; invoices (drafts by hand, or from a completed appointment), issued with a
 * number from a counter locked in the issuing transaction, corrected only by credit notes;
 * payments, part payments, credit; no-show and late-cancellation fees proposed as drafts.
 */
export const billingArea = defineArea({
  name: 'billing',
  build(
    deps: BuildDeps<{
      services: Pick<ServicesService, 'get'>;
      appointments: Pick<AppointmentsService, 'forNotification' | 'hasSeen' | 'onStatusChanged'>;
      notifications: { notifier: Notifier };
    }>,
  ) {
    const billingDeps: BillingDeps = {
      ...pickDeps(deps, ['db', 'clock', 'audit', 'clinic', 'services', 'appointments']),
      notify: deps.notifications.notifier,
    };
    deps.appointments.onStatusChanged(onVisitEnded(billingDeps));
    return {
      services: { billing: billingService(billingDeps) },
      patientMerge: [billingMergeStep],
      patientErase: [billingEraseStep],
      messages: [billingMessages({ ...billingDeps, baseUrl: deps.publicUrl })],
    };
  },
});
