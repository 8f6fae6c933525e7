import { type Answer, api } from './api.ts';

/**
 * The patient's invoices over `/api/v1/me/invoices` (issue 20): issued ones, theirs and their
 * dependants', each naming its patient. The list is kept by the service worker (network first),
 * so it shows offline; the PDFs are read by the browser itself, online only.
 */
export interface InvoiceJson {
  id: string;
  kind: 'invoice' | 'credit_note';
  number: string | null;
  status: 'draft' | 'issued' | 'part_paid' | 'paid' | 'void';
  patientId: string;
  currency: string;
  total: number;
  paid: number;
  balance: number;
  dueDate: string | null;
  issuedAt: string | null;
  createdAt: string;
  payments: { id: string }[];
}

export const listMyInvoices = (): Promise<Answer<{ invoices: InvoiceJson[] }>> =>
  api.get<{ invoices: InvoiceJson[] }>('/api/v1/me/invoices');

/** Where the browser reads an invoice's PDF, or its receipt's (inline: it shows it; Save keeps its name). */
export const invoicePdfUrl = (id: string, kind: 'invoice' | 'receipt' = 'invoice'): string =>
  `/api/v1/me/invoices/${encodeURIComponent(id)}/pdf${kind === 'receipt' ? '?kind=receipt' : ''}`;

/** An amount of minor units in the language's way ("€85.50", "85,50 €"); JPY has no decimals. */
export function money(minor: number, currency: string, lang: string): string {
  const format = new Intl.NumberFormat(lang, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}
