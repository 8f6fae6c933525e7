import type { Actor } from '../audit/index.ts';
import type { BillingDeps } from './billing.deps.ts';
import {
  createProduct,
  createTaxRate,
  readCatalogue,
  readSettings,
  setServicePrice,
  updateSettings,
} from './catalogue.ts';
import { changeProduct } from './change-product.ts';
import { changeTaxRate } from './change-tax-rate.ts';
import { readLogo, removeLogo, setLogo } from './clinic-logo.ts';
import { createInvoice } from './create-invoice.ts';
import { creditInvoice, voidInvoice } from './credit-note.ts';
import { invoicePdf, ownInvoicePdf, type PdfKind } from './invoice-document.ts';
import { sendInvoice } from './invoice-email.ts';
import {
  readAppointmentInvoices,
  readInvoiceContext,
  readPatientAccount,
  readRegister,
} from './invoice-register.ts';
import type { InvoiceView } from './invoice-view.ts';
import { issueInvoice } from './issue-invoice.ts';
import { listInvoicesForStaff, listOwnInvoices, readInvoice, readOwnInvoice } from './read-invoices.ts';
import { readPriceList } from './read-price-list.ts';
import { recordPayment } from './record-payment.ts';
import { setServicePrices } from './set-service-prices.ts';
import { updateInvoice } from './update-invoice.ts';

/**
 * Billing for staff (invoices, credit notes, payments; the prices and settings behind them) and
 * for the patient app (their own invoices and their dependants', scoped here). Every read and
 * change is audited with ids only; each use case is a file.
 */
export function billingService(deps: BillingDeps) {
  return {
    settings: () => readSettings(deps),
    updateSettings: (actor: Actor, input: unknown) => updateSettings(deps, actor, input),
    /** The clinic's logo on invoices and receipts (PNG or JPEG), or null. */
    logo: () => readLogo(deps),
    /** Sets the logo from an upload's bytes (settings.manage; 422 unless a PNG or JPEG ≤ 512 KB). */
    setLogo: (actor: Actor, bytes: Uint8Array) => setLogo(deps, actor, bytes),
    removeLogo: (actor: Actor) => removeLogo(deps, actor),
    createTaxRate: (actor: Actor, input: unknown) => createTaxRate(deps, actor, input),
    setServicePrice: (actor: Actor, serviceId: string, input: unknown) =>
      setServicePrice(deps, actor, serviceId, input),
    createProduct: (actor: Actor, input: unknown) => createProduct(deps, actor, input),
    catalogue: (actor: Actor, serviceId?: string) => readCatalogue(deps, actor, serviceId),
    /** Settings, tax rates, products and every service's prices (billing.read). */
    priceList: (actor: Actor) => readPriceList(deps, actor),
    /** Changes or archives (`active: false`) a tax rate or a product (settings.manage). */
    changeTaxRate: (actor: Actor, id: string, input: unknown) => changeTaxRate(deps, actor, id, input),
    changeProduct: (actor: Actor, id: string, input: unknown) => changeProduct(deps, actor, id, input),
    /** A service's price, fees and every practitioner's override at once (settings.manage). */
    setServicePrices: (actor: Actor, serviceId: string, input: unknown) =>
      setServicePrices(deps, actor, serviceId, input),

    /** A draft by hand or from an appointment (billing.manage). */
    create: (actor: Actor, input: unknown) => createInvoice(deps, actor, input),
    /** Changes a draft; 409 invoice_issued otherwise. */
    update: (actor: Actor, id: string, input: unknown) => updateInvoice(deps, actor, id, input),
    /** Issues a draft: its number from the year's counter. */
    issue: (actor: Actor, id: string) => issueInvoice(deps, actor, id),
    /** Voids a draft, or an unpaid issued invoice (with a credit note). */
    void: (actor: Actor, id: string) => voidInvoice(deps, actor, id),
    /** A credit note for some or all of an issued invoice's lines. */
    credit: (actor: Actor, id: string, input: unknown) => creditInvoice(deps, actor, id, input),
    /** A payment (or, negative on a credit note, a refund). */
    pay: (actor: Actor, id: string, input: unknown) => recordPayment(deps, actor, id, input),
    get: (actor: Actor, id: string) => readInvoice(deps, actor, id),
    list: (actor: Actor, filter?: unknown) => listInvoicesForStaff(deps, actor, filter),
    /** The invoice or its receipt as a PDF (billing.read as `get`; audited). */
    pdf: (actor: Actor, id: string, kind: PdfKind) => invoicePdf(deps, actor, id, kind),
    /** Emails an issued invoice to its payer again, PDF attached (billing.manage). */
    send: (actor: Actor, id: string) => sendInvoice(deps, actor, id),
    /** The staff pages' register: filters, paging, outstanding and today's takings. */
    register: (actor: Actor, filter: unknown, patientIds?: readonly string[]) =>
      readRegister(deps, actor, filter, patientIds),
    /** A patient's invoices and credit (the chart). */
    patientAccount: (actor: Actor, patientId: string) => readPatientAccount(deps, actor, patientId),
    /** The invoices made for appointments (the calendar's panel, Today). */
    ofAppointments: (actor: Actor, appointmentIds: readonly string[]) =>
      readAppointmentInvoices(deps, actor, appointmentIds),
    /** The invoice page's patient name, guardians, credit and credit notes. */
    context: (actor: Actor, invoice: InvoiceView) => readInvoiceContext(deps, actor, invoice),

    /** The signed-in patient's invoices (and their dependants'), issued ones. */
    listOwn: (actor: Actor & { id: string }) => listOwnInvoices(deps, actor),
    readOwn: (actor: Actor & { id: string }, id: string) => readOwnInvoice(deps, actor, id),
    /** One of them as a PDF (invoice or receipt; audited). */
    ownPdf: (actor: Actor & { id: string }, id: string, kind: PdfKind) =>
      ownInvoicePdf(deps, actor, id, kind),
  };
}

export type BillingService = ReturnType<typeof billingService>;
