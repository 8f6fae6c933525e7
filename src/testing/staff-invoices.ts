import { expect } from 'vitest';
import { type BillingWorld, billingWorld } from './billing-world.ts';
import type { TestBrowser } from './browser.ts';
import type { TestDialect } from './db.ts';

/*
 * What the tests of the staff invoice pages (src/http/staff/invoices-*.test.ts) share: the world,
 * and the editor's forms as a browser posts them.
 */

/** billingWorld with the clinic's service priced at €60.00 and its no-show fee at €25.00. */
export async function staffInvoicesWorld(dialect: TestDialect): Promise<BillingWorld> {
  const world = await billingWorld(dialect);
  const admin = { type: 'staff' as const, id: world.clinic.adminId };
  await world.app.deps.billing.setServicePrice(admin, world.clinic.serviceId, {
    unitPrice: 6000,
    noShowFee: 2500,
  });
  return world;
}

/** The id of the invoice a staff page redirected to ('none' when it did not). */
export const invoiceIdFrom = (res: Response) =>
  /\/staff\/invoices\/([^?/]+)/.exec(res.headers.get('location') ?? '')?.[1] ?? 'none';

/** A new draft for `patientId`, made by `desk` from the patient's chart: its id. */
export async function newDraftInvoice(desk: TestBrowser, patientId: string): Promise<string> {
  await desk.text(await desk.get(`/staff/patients/${patientId}`));
  const res = await desk.post('/staff/invoices', { patientId });
  expect(res.status).toBe(303);
  return invoiceIdFrom(res);
}

/** A new draft for `patientId` (newDraftInvoice), its page then opened by `desk`: its id. */
export async function openNewDraft(desk: TestBrowser, patientId: string): Promise<string> {
  const id = await newDraftInvoice(desk, patientId);
  await desk.text(await desk.get(`/staff/invoices/${id}`));
  return id;
}

/**
 * A new draft for `patientId` (newDraftInvoice) issued at once by `desk` with one free-text line
 * (`line`: the oneLine fields it sets): its id.
 */
export async function issueOneLineInvoice(
  desk: TestBrowser,
  patientId: string,
  line: Record<string, string>,
): Promise<string> {
  const id = await newDraftInvoice(desk, patientId);
  const res = await desk.post(`/staff/invoices/${id}/issue`, oneLine(1, line));
  expect(res.status).toBe(303);
  return id;
}

/** The editor's fields for one free-text line (row 0) and the empty new row. */
export const oneLine = (version: number, line: Record<string, string>) => ({
  version: String(version),
  rows: '1',
  l0_item: '',
  l0_quantity: '1',
  l0_description: '',
  l0_unitPrice: '',
  l0_taxRateId: '',
  ...line,
  payerKind: 'patient',
});
