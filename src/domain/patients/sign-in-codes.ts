import { createHash, timingSafeEqual } from 'node:crypto';
import type { DbCtx } from '../../db/client.ts';
import { type CodeRow, findCodeRow, insertCodeRow } from './sign-in.repo.ts';

/**
 * The live one-time code of an address and its limits, kept in the database (`patient_codes`) so
 * they hold across instances: a code lives 10 minutes and takes 5 wrong tries; an address gets 5
 * codes and 10 failures an hour.
 */
export const CODE_TTL_MS = 10 * 60_000;
export const MAX_WRONG_TRIES = 5;
export const MAX_SENDS_PER_HOUR = 5;
export const MAX_FAILURES_PER_HOUR = 10;
export const HOUR = 3_600_000;

/** The stored form of a code: bound to its address, so a code is no use for another. */
export const hashCode = (address: string, code: string) =>
  createHash('sha256').update(`${address}\n${code}`).digest('hex');

/** Constant-time comparison of two hex hashes (a missing one never matches). */
export const sameHash = (a: string, b: string | null): boolean =>
  b !== null && a.length === b.length && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));

/** The address's counters row (created empty), with windows that ended reset. */
export async function loadCounters(ctx: DbCtx, now: Date, address: string): Promise<CodeRow> {
  const row = await findCodeRow(ctx, address);
  const fresh = {
    address,
    codeHash: null,
    linkHash: null,
    deviceHash: null,
    expiresAt: null,
    wrongTries: 0,
    sendsWindowStart: now,
    sends: 0,
    failuresWindowStart: now,
    failures: 0,
  };
  if (!row) {
    await insertCodeRow(ctx, fresh);
    return fresh;
  }
  const sendsOld = now.getTime() - row.sendsWindowStart.getTime() >= HOUR;
  const failuresOld = now.getTime() - row.failuresWindowStart.getTime() >= HOUR;
  return {
    ...row,
    ...(sendsOld ? { sendsWindowStart: now, sends: 0 } : {}),
    ...(failuresOld ? { failuresWindowStart: now, failures: 0 } : {}),
  };
}
