import type { Backoff } from './types.ts';

/**
 * The wait before retry number `attempt` (1 = after the first failure): exponential from
 * `baseMs`, capped at `capMs`, with "equal jitter" — half fixed, half random — so retries of many
 * jobs that failed together (an SMTP outage) spread out instead of returning in a stampede.
 */
export function retryDelayMs(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const exp = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}
