import { expect } from 'vitest';
import type { TestBrowser } from './browser.ts';

/*
 * Invoices made and read through the JSON API (/api/v1/invoices) by a staff member's browser, as
 * the billing tests set them up: each call checks the answer's status and gives the invoice, typed
 * as the test reads it (`I`: the fields it looks at).
 */

async function invoiceFrom<I>(res: Response, status: number): Promise<I> {
  expect(res.status).toBe(status);
  return ((await res.json()) as { invoice: I }).invoice;
}

/** A new draft (`body`: POST /api/v1/invoices's, patient and lines), made by `staff`. */
export const draftInvoice = async <I = { id: string }>(staff: TestBrowser, body: Record<string, unknown>) =>
  invoiceFrom<I>(await staff.json('POST', '/api/v1/invoices', body), 201);

/** The draft `id`, issued by `staff`. */
export const issueInvoice = async <I = { id: string }>(staff: TestBrowser, id: string) =>
  invoiceFrom<I>(await staff.json('POST', `/api/v1/invoices/${id}/issue`), 200);

/** The invoice `id` as `staff` reads it. */
export const readInvoice = async <I = { id: string }>(staff: TestBrowser, id: string) =>
  invoiceFrom<I>(await staff.get(`/api/v1/invoices/${id}`), 200);
