import { DateTime } from 'luxon';
import type { PDFDocument } from 'pdf-lib';
import {
  A4,
  degrees,
  drawableIn,
  MARGIN,
  MUTED,
  type PdfCell,
  rgb,
  startPdf,
  type Writer,
} from '../../lib/pdf-writer.ts';
import { type InvoicePdfWords, invoicePdfWords } from './invoice-pdf-words.ts';
import type { InvoiceView } from './invoice-view.ts';
import { formatMoney } from './money.ts';

/**
 * An invoice, credit note or receipt as a PDF (issue 20): the clinic's name, address and legal
 * details (and its logo, a PNG or JPEG, when it has one), the document's title and number, its dates, the
 * payer, then — an invoice — its lines with discounts and tax, the tax per rate, the totals, the
 * payments and what is left to pay; a receipt lists the payments received and the balance. A
 * draft is printed, marked DRAFT across every page and without a number (staff check it before
 * issuing); a void one says so. Money through `formatMoney` in the clinic's locale.
 */
export interface InvoicePdfInput {
  invoice: InvoiceView;
  kind: 'invoice' | 'receipt';
  clinic: { name: string; address: string; phone: string; locale: string; timeZone: string };
  /** The issued invoice's (as issued), or for a draft the billing settings' now. */
  legalDetails: string;
  footer: string;
  /** The patient's name, printed when someone else pays. */
  patientName?: string | null;
  /** A credit note's invoice (its number). */
  creditsNumber?: string | null;
  /** The clinic's logo (clinic-logo.ts), drawn at the top right. */
  logo?: { type: 'png' | 'jpg'; bytes: Uint8Array } | null;
}

const SIZE = 9;
const RED = rgb(0.7, 0.1, 0.1);

/** The columns of the lines' table (points from the left margin; 495 wide in all). */
const cols = {
  description: { x: 0, width: 185 },
  quantity: { x: 190, width: 30, align: 'right' },
  unitPrice: { x: 225, width: 70, align: 'right' },
  discount: { x: 300, width: 55, align: 'right' },
  tax: { x: 362, width: 58 },
  amount: { x: 425, width: 70, align: 'right' },
} as const;
const totalLabel = { x: 190, width: 230, align: 'right' } as const;

export async function renderInvoicePdf(input: InvoicePdfInput): Promise<Uint8Array> {
  const { invoice } = input;
  const language = input.clinic.locale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
  const words = invoicePdfWords[language];
  const money = (minor: number) => formatMoney(minor, invoice.currency, input.clinic.locale);
  const title = titleOf(input, words);
  const w = await startPdf(`${title} ${invoice.number ?? ''}`.trim()); // a receipt's too: it names its invoice
  const { pdf, fonts } = w;
  await writeHeader(pdf, w, input);
  w.gap(16);
  // A receipt names its invoice below ("For invoice"), not in its title.
  const numbered = invoice.number && input.kind === 'invoice' ? ` ${invoice.number}` : '';
  w.text(`${title}${numbered}`, { font: fonts.bold, size: 16 });
  if (invoice.status === 'draft') w.text(words.draft, { font: fonts.bold, size: 11, color: RED });
  if (invoice.status === 'void') w.text(words.void, { font: fonts.bold, size: 11, color: RED });
  w.gap(6);
  writeFacts(w, input, words);
  w.gap(10);
  if (input.kind === 'invoice') {
    writeLines(w, invoice, words, money);
    w.gap(6);
    writeTotals(w, invoice, words, money);
    w.gap(14);
  }
  writePayments(w, invoice, words, money, input);
  if (input.kind === 'receipt') {
    w.gap(6);
    w.row(
      [
        { text: words.total, ...totalLabel },
        { text: money(invoice.total), ...cols.amount },
      ],
      { size: SIZE },
    );
    writeBalance(w, invoice, words, money);
  }
  if (invoice.note) {
    w.gap(12);
    w.text(words.note, { font: fonts.bold, size: SIZE });
    w.text(invoice.note, { size: SIZE });
  }
  if (input.footer) {
    w.gap(18);
    w.rule();
    w.text(input.footer, { size: 8, color: MUTED });
  }
  if (invoice.status === 'draft') markDraft(pdf, fonts.bold, words.draftMark);
  return pdf.save({ useObjectStreams: false });
}

function titleOf(input: InvoicePdfInput, words: InvoicePdfWords): string {
  const credit = input.invoice.kind === 'credit_note';
  if (input.kind === 'receipt') return credit ? words.refundReceipt : words.receipt;
  return credit ? words.creditNote : words.invoice;
}

/** The clinic: logo on the right, name, address and phone, legal details. */
async function writeHeader(pdf: PDFDocument, w: Writer, input: InvoicePdfInput): Promise<void> {
  if (input.logo) {
    try {
      const { type, bytes } = input.logo;
      const image = await (type === 'png' ? pdf.embedPng(bytes) : pdf.embedJpg(bytes));
      const scale = Math.min(1, 140 / image.width, 60 / image.height);
      const size = { width: image.width * scale, height: image.height * scale };
      w.page.drawImage(image, { x: A4.width - MARGIN - size.width, y: w.y - size.height, ...size });
    } catch {
      // A logo pdf-lib cannot read (checked at upload): the invoice prints without it.
    }
  }
  w.text(input.clinic.name, { font: w.fonts.bold, size: 14 });
  const contact = [input.clinic.address.replace(/\s*\n\s*/g, ', '), input.clinic.phone].filter(Boolean);
  if (contact.length) w.text(contact.join(' - '), { size: SIZE, color: MUTED });
  if (input.legalDetails) w.text(input.legalDetails, { size: 8, color: MUTED });
}

/** Number, dates, the invoice credited, the payer and the patient (when another pays). */
function writeFacts(w: Writer, input: InvoicePdfInput, words: InvoicePdfWords): void {
  const { invoice } = input;
  const locale = input.clinic.locale;
  const day = (d: DateTime) => d.setLocale(locale).toLocaleString(DateTime.DATE_MED);
  const facts: [string, string][] = [];
  if (input.kind === 'receipt' && invoice.number) facts.push([words.forInvoice, invoice.number]);
  if (invoice.issuedAt)
    facts.push([words.issued, day(DateTime.fromJSDate(invoice.issuedAt, { zone: input.clinic.timeZone }))]);
  if (invoice.dueDate && invoice.kind === 'invoice' && input.kind === 'invoice')
    facts.push([words.due, day(DateTime.fromISO(invoice.dueDate))]);
  if (input.creditsNumber) facts.push([words.credits, input.creditsNumber]);
  for (const [label, value] of facts) pair(w, label, value);
  w.gap(8);
  w.text(words.billTo, { font: w.fonts.bold, size: SIZE });
  w.text(invoice.payer.name, { size: 10 });
  if (invoice.payer.address) w.text(invoice.payer.address, { size: SIZE });
  if (input.patientName && input.patientName !== invoice.payer.name) {
    w.gap(4);
    pair(w, words.patient, input.patientName);
  }
}

const pair = (w: Writer, label: string, value: string) =>
  w.row(
    [
      { text: label, x: 0, width: 110, font: w.fonts.bold },
      { text: value, x: 115, width: w.width - 115 },
    ],
    { size: SIZE },
  );

function writeLines(w: Writer, invoice: InvoiceView, words: InvoicePdfWords, money: (n: number) => string) {
  const head = (text: string, col: Omit<PdfCell, 'text'>): PdfCell => ({ text, ...col, font: w.fonts.bold });
  w.row(
    [
      head(words.description, cols.description),
      head(words.quantity, cols.quantity),
      head(words.unitPrice, cols.unitPrice),
      head(words.discount, cols.discount),
      head(words.tax, cols.tax),
      head(words.amount, cols.amount),
    ],
    { size: SIZE },
  );
  w.rule();
  for (const line of invoice.lines) {
    const discount = [
      line.discountBasisPoints ? percent(line.discountBasisPoints) : '',
      line.discountAmount ? money(line.discountAmount) : '',
    ].filter(Boolean);
    const tax = line.taxBasisPoints || line.tax ? `${line.taxName} ${percent(line.taxBasisPoints)}` : '-';
    w.row(
      [
        { text: line.description, ...cols.description },
        { text: String(line.quantity), ...cols.quantity },
        { text: money(line.unitPrice), ...cols.unitPrice },
        { text: discount.join(' + ') || '-', ...cols.discount },
        { text: tax, ...cols.tax },
        { text: money(line.gross), ...cols.amount },
      ],
      { size: SIZE },
    );
    w.gap(2);
  }
  w.rule();
}

function writeTotals(w: Writer, invoice: InvoiceView, words: InvoicePdfWords, money: (n: number) => string) {
  const total = (label: string, value: string, bold = false) =>
    w.row(
      [
        { text: label, ...totalLabel, ...(bold ? { font: w.fonts.bold } : {}) },
        { text: value, ...cols.amount, ...(bold ? { font: w.fonts.bold } : {}) },
      ],
      { size: bold ? 10 : SIZE },
    );
  total(words.subtotal, money(invoice.subtotal));
  for (const t of invoice.taxes)
    total(words.taxOn(t.name, percent(t.basisPoints), t.inclusive, money(t.net)), money(t.tax));
  total(words.total, money(invoice.total), true);
  if (invoice.status !== 'draft') {
    total(words.paid, money(invoice.paid));
    writeBalance(w, invoice, words, money);
  }
}

function writeBalance(w: Writer, invoice: InvoiceView, words: InvoicePdfWords, money: (n: number) => string) {
  const owed = invoice.kind === 'credit_note' ? -invoice.balance : invoice.balance;
  const label = owed === 0 ? words.settled : invoice.kind === 'credit_note' ? words.credit : words.balance;
  w.row(
    [
      { text: label, ...totalLabel, font: w.fonts.bold },
      { text: money(Math.abs(invoice.balance)), ...cols.amount, font: w.fonts.bold },
    ],
    { size: 10 },
  );
}

/** The payments received (a receipt's body; an invoice's, when there are any). */
function writePayments(
  w: Writer,
  invoice: InvoiceView,
  words: InvoicePdfWords,
  money: (n: number) => string,
  input: InvoicePdfInput,
) {
  if (input.kind === 'invoice' && invoice.payments.length === 0) return;
  w.text(input.kind === 'receipt' ? words.received : words.payments, { font: w.fonts.bold, size: 11 });
  w.gap(4);
  if (invoice.payments.length === 0) {
    w.text(words.noPayments, { size: SIZE, color: MUTED });
    return;
  }
  const local = (d: Date) =>
    DateTime.fromJSDate(d, { zone: input.clinic.timeZone })
      .setLocale(input.clinic.locale)
      .toLocaleString(DateTime.DATE_MED);
  const cells = (date: string, method: string, reference: string, amount: string, bold = false): PdfCell[] =>
    [
      { text: date, x: 0, width: 120 },
      { text: method, x: 125, width: 100 },
      { text: reference, x: 230, width: 190 },
      { text: amount, ...cols.amount },
    ].map((c) => (bold ? { ...c, font: w.fonts.bold } : c));
  w.row(cells(words.date, words.method, words.reference, words.amount, true), { size: SIZE });
  w.rule();
  for (const p of invoice.payments)
    w.row(cells(local(p.receivedAt), words.methods[p.method] ?? p.method, p.reference, money(p.amount)), {
      size: SIZE,
    });
  w.rule();
  w.row(
    [
      { text: words.paid, ...totalLabel, font: w.fonts.bold },
      { text: money(invoice.paid), ...cols.amount, font: w.fonts.bold },
    ],
    { size: SIZE },
  );
}

/** 2000 basis points → "20%" (1250 → "12.5%"). */
const percent = (basisPoints: number) => `${basisPoints / 100}%`;

/** DRAFT in large pale letters across every page. */
function markDraft(pdf: PDFDocument, font: Writer['fonts']['bold'], mark: string): void {
  for (const page of pdf.getPages())
    page.drawText(drawableIn(font, mark), {
      x: 130,
      y: 250,
      size: 90,
      font,
      rotate: degrees(35),
      color: rgb(0.85, 0.85, 0.85),
      opacity: 0.5,
    });
}
