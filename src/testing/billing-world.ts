import type { TestDialect } from './db.ts';
import { type TwoPatientsWorld, twoPatientsWorld } from './two-patients-world.ts';

/** The billing settings billingWorld saves: what an issued invoice and its PDF carry. */
export const BILLING_SETTINGS = {
  currency: 'EUR',
  dueDays: 30,
  legalDetails: 'Clinic SARL, SIRET 123 456 789',
  footer: 'Thank you for your visit',
} as const;

export interface BillingWorld extends TwoPatientsWorld {
  /** The id of the clinic's VAT rate: 20 %, added on top of the net. */
  vat: string;
}

/**
 * twoPatientsWorld (the seeded clinic, the doctor and the desk signed in, Anna and Ben in the
 * app) with a VAT rate and BILLING_SETTINGS saved by its admin: for tests of invoices.
 */
export async function billingWorld(dialect: TestDialect): Promise<BillingWorld> {
  const world = await twoPatientsWorld(dialect);
  const { billing } = world.app.deps;
  const admin = { type: 'staff' as const, id: world.clinic.adminId };
  const vat = (await billing.createTaxRate(admin, { name: 'VAT', basisPoints: 2000, inclusive: false })).id;
  await billing.updateSettings(admin, { ...BILLING_SETTINGS });
  return { ...world, vat };
}
