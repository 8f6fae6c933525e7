import { createHash, timingSafeEqual } from 'node:crypto';
import type { DbCtx } from '../../db/client.ts';
import { type CodeRow, findCodeRow, insertCodeRowIfMissing, lockCodeRow } from './sign-in.repo.ts';

/**
 * The live one-time code of an address and its limits, kept in the database (`patient_codes`) so
 * they hold across instances: a code lives 10 minutes and takes 5 wrong tries from the browser
 * that asked for it; an address gets 5 codes an hour. Wrong codes per requester: code-failures.ts.
 */
export const CODE_TTL_MS = 10 * 60_000;
export const MAX_WRONG_TRIES = 5;
export const MAX_SENDS_PER_HOUR = 5;
export const HOUR = 3_600_000;

/** The stored form of a code: bound to its address, so a code is no use for another. */
export const hashCode = (address: string, code: string) =>
  createHash('sha256').update(`${address}\n${code}`).digest('hex');

/** Constant-time comparison of two hex hashes (a missing one never matches). */
export const sameHash = (a: string, b: string | null): boolean =>
  b !== null && a.length === b.length && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));

/** A code still to be used: issued, not expired, and not spent by its browser's wrong tries. */
export const codeLive = (c: CodeRow, now: Date): boolean =>
  c.codeHash !== null && c.expiresAt !== null && c.expiresAt > now && c.wrongTries < MAX_WRONG_TRIES;

/**
 * The address's counters row (created empty), held until the transaction ends (on PostgreSQL
 * concurrent guesses or sends for one address wait for each other), with an ended sends window reset.
 */
export async function loadCounters(ctx: DbCtx, now: Date, address: string): Promise<CodeRow> {
  await insertCodeRowIfMissing(ctx, {
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
  });
  await lockCodeRow(ctx, address);
  const row = (await findCodeRow(ctx, address))!;
  return now.getTime() - row.sendsWindowStart.getTime() >= HOUR
    ? { ...row, sendsWindowStart: now, sends: 0 }
    : row;
}
