import type { Db } from '../../db/client.ts';
import { isSealedSecret, type Key, openSecret, sealSecret } from '../../lib/crypto.ts';
import { resealSecret } from '../../lib/keyring.ts';
import {
  listClearTotpSecrets,
  listSealedTotpSecrets,
  replaceTotpSecret,
  type StaffAccount,
} from './accounts.repo.ts';

/**
 * A member's TOTP secret is kept sealed with the clinic's secrets key (never in the database in
 * clear: whoever copies the database must not be able to make codes). The seal is bound to the
 * account, so a sealed secret copied onto another account does not open there.
 */
const context = (accountId: string) => `staff_accounts.totp_secret:${accountId}`;

export const sealTotpSecret = (key: Key, accountId: string, secret: string): string =>
  sealSecret(key, secret, context(accountId));

/** The account's TOTP secret in clear; one an older version stored in clear is read as it is. */
export function openTotpSecret(key: Key, account: Pick<StaffAccount, 'id' | 'totpSecret'>): string | null {
  const stored = account.totpSecret;
  if (!stored) return null;
  return isSealedSecret(stored) ? openSecret(key, stored, context(account.id)) : stored;
}

/**
 * `clinicbox keys rotate`: every sealed TOTP secret sealed again under the new secrets key, in
 * place and conditional on the old value. One already under `to` (a rotation resumed) is left as
 * it is. Answers how many were sealed again.
 */
export async function resealTotpSecrets(deps: { db: Db; from: Key; to: Key }): Promise<number> {
  let resealed = 0;
  for (const account of await listSealedTotpSecrets(deps.db.reader)) {
    const sealed = resealSecret(deps.from, deps.to, account.totpSecret, context(account.id));
    if (sealed === null) continue;
    await deps.db.tx((ctx) => replaceTotpSecret(ctx, account.id, account.totpSecret, sealed));
    resealed++;
  }
  return resealed;
}

/**
 * Seals, in place, every TOTP secret an older version kept in clear (run at start). Conditional
 * on the old value, so two instances starting at once cannot seal one secret twice.
 */
export async function sealClearTotpSecrets(deps: { db: Db; secrets: Key }): Promise<number> {
  const clear = await listClearTotpSecrets(deps.db.reader);
  for (const account of clear) {
    const secret = account.totpSecret!;
    await deps.db.tx((ctx) =>
      replaceTotpSecret(ctx, account.id, secret, sealTotpSecret(deps.secrets, account.id, secret)),
    );
  }
  return clear.length;
}
