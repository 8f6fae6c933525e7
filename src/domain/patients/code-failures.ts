import type { DbCtx } from '../../db/client.ts';
import { tokenId } from '../../lib/ids.ts';
import {
  type CodeFailureRow,
  deleteCodeFailuresBefore,
  findCodeFailures,
  saveCodeFailures,
} from './sign-in.repo.ts';
import { HOUR, sameHash } from './sign-in-codes.ts';

/*
 * Wrong sign-in codes, counted per address AND per requester, so that a stranger's guesses lock
 * the stranger out, not the patient. The numbers:
 *
 * - A code has 6 digits: a guess at a live code succeeds with probability 1 in 10^6.
 * - The requester is the browser that asked for the address's live code (its sign-in cookie, set
 *   by /start; the code row keeps its hash), or else the client address. A cookie that did not ask
 *   for this code counts as none: made-up cookies would otherwise be a fresh requester per guess.
 * - A code takes 5 wrong tries from the browser that asked for it (the patient's own typos); other
 *   requesters' guesses do not spend it, so nobody can kill the code the patient is waiting for.
 * - One requester gets 10 wrong codes an hour per address, then is refused for that address until
 *   the hour ends (a shared Wi-Fi's patients sign in from the browser that asked: their own bucket).
 * - Everyone but the asking browser gets 20 wrong codes a day per address between them; everyone
 *   together 100 a day (NIST SP 800-63B's ceiling for failed attempts). Past that only the emailed
 *   link works (256 random bits, bound to the asking browser: no guessing it) until the day ends.
 *
 * Brute force: at most 100 guesses a day at an address, so at most 1 in 10,000 a day and 3.6% over
 * a whole year of daily attack — and beyond the first 20 a day every guess needs a code the
 * attacker asked for, which is sent to the patient (5 an hour: 16 codes, 4 hours, for the other
 * 80), while the patient is warned once a day. The old rule (10 an hour, anyone) allowed 240 a day.
 * The per-IP limits (in memory, per instance) slow one network address down but do not bound a
 * botnet; these per-address counts do, across instances, in the database.
 *
 * Targeted lockout: strangers never reach the patient's own bucket, so she signs in with a code in
 * the browser where she asked for it, whatever they send; at worst, strangers close code entry from
 * other browsers for the day. Closing it for her browser too takes 80 more wrong codes that only an
 * asking browser can send — 16 codes asked for, which already uses up the address's 5 sends an hour
 * (the sending limit, a lockout of its own) — and the emailed link works even then.
 */
export const REQUESTER_FAILURES_PER_HOUR = 10;
export const OTHERS_FAILURES_PER_DAY = 20;
export const ADDRESS_FAILURES_PER_DAY = 100;
const DAY = 24 * HOUR;
/** The requester of the row that counts everyone's wrong codes for an address. */
const EVERYONE = '*';

/** Who sends a code: their counts' key, and whether they are the browser that asked for the code. */
export interface Requester {
  hash: string;
  asking: boolean;
}

/**
 * The requester of a guess: `device` is the hash of the browser's sign-in cookie (if it sent one),
 * `askingDevice` the one the address's code was asked for from, `ip` the client address.
 */
export function requesterOf(
  device: string | null | undefined,
  askingDevice: string | null,
  ip: string,
): Requester {
  const asking = !!device && sameHash(device, askingDevice);
  return { hash: tokenId(asking ? `device:${device}` : `ip:${ip}`), asking };
}

/** The requester's and the address's counts now, and whether the requester may try a code. */
export interface GuessLimits {
  requester: Requester;
  mine: CodeFailureRow;
  everyone: CodeFailureRow;
  allowed: boolean;
}

const inWindow = (
  row: CodeFailureRow | null,
  key: Pick<CodeFailureRow, 'address' | 'requesterHash'>,
  now: Date,
  windowMs: number,
): CodeFailureRow =>
  row && now.getTime() - row.windowStart.getTime() < windowMs
    ? row
    : { ...key, windowStart: now, failures: 0 };

/** Reads the counts of `requester` and of everyone for `address` (call with the address's row locked). */
export async function guessLimits(
  ctx: DbCtx,
  now: Date,
  address: string,
  requester: Requester,
): Promise<GuessLimits> {
  const mineKey = { address, requesterHash: requester.hash };
  const everyoneKey = { address, requesterHash: EVERYONE };
  const mine = inWindow(await findCodeFailures(ctx, address, requester.hash), mineKey, now, HOUR);
  const everyone = inWindow(await findCodeFailures(ctx, address, EVERYONE), everyoneKey, now, DAY);
  const ceiling = requester.asking ? ADDRESS_FAILURES_PER_DAY : OTHERS_FAILURES_PER_DAY;
  const allowed = mine.failures < REQUESTER_FAILURES_PER_HOUR && everyone.failures < ceiling;
  return { requester, mine, everyone, allowed };
}

/**
 * Counts a wrong code against the requester and the address. Answers the start of the address's
 * day when this one just shut someone out (a stranger, or everyone but the asking browser, or
 * everyone): the patient is told once per such day; otherwise null.
 */
export async function countWrongCode(ctx: DbCtx, limits: GuessLimits): Promise<Date | null> {
  const mine = { ...limits.mine, failures: limits.mine.failures + 1 };
  const everyone = { ...limits.everyone, failures: limits.everyone.failures + 1 };
  await saveCodeFailures(ctx, mine);
  await saveCodeFailures(ctx, everyone);
  const strangerShut = !limits.requester.asking && mine.failures === REQUESTER_FAILURES_PER_HOUR;
  const addressShut =
    everyone.failures === OTHERS_FAILURES_PER_DAY || everyone.failures === ADDRESS_FAILURES_PER_DAY;
  return strangerShut || addressShut ? everyone.windowStart : null;
}

/** Forgets counts whose day is over (no window lasts longer); how many. */
export const pruneCodeFailures = (ctx: DbCtx, now: Date): Promise<number> =>
  deleteCodeFailuresBefore(ctx, new Date(now.getTime() - DAY));
