import type { DbCtx } from '../../db/client.ts';
import { AppError } from '../../lib/errors.ts';
import { hasIssuedInvoice } from './billing.repo.ts';
import type { BillingSettings } from './billing.schema.ts';

/**
 * The clinic currency is fixed once an invoice is issued: every amount stored (prices, invoices,
 * payments, credit) is in its minor units, and issued invoices must add up with later ones.
 * Until then an admin may change it freely (prices then need entering again in the new one).
 * 409 `currency_locked` otherwise; called in the settings' transaction.
 */
export async function assertCurrencyMayChange(
  ctx: DbCtx,
  before: BillingSettings,
  after: BillingSettings,
): Promise<void> {
  if (before.currency === after.currency) return;
  if (await hasIssuedInvoice(ctx))
    throw new AppError(
      'currency_locked',
      `The currency stays ${before.currency}: invoices have been issued in it, and every amount on record is in ${before.currency}.`,
      { status: 409 },
    );
}
