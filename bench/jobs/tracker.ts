/** Counting what the handlers saw, and the small arithmetic of the measurements. */
import { performance } from 'node:perf_hooks';
import { LAT_JOBS, N } from './settings.ts';
import type { OnStart } from './system.ts';

/** Counts handler entries (distinct job numbers, and repeats), and latencies of phase-3 jobs. */
export class Tracker {
  private seen = new Uint8Array(N + LAT_JOBS);
  distinct = 0;
  repeats = 0;
  latencies: number[] = [];
  private waiters: { cond: () => boolean; resolve: () => void }[] = [];
  readonly onStart: OnStart = (p) => {
    const now = performance.now();
    if (this.seen[p.i]) this.repeats++;
    else {
      this.seen[p.i] = 1;
      this.distinct++;
      if (p.t !== undefined) this.latencies.push(now - p.t);
    }
    if (this.waiters.length) this.check();
  };
  private check() {
    this.waiters = this.waiters.filter((w) => {
      if (!w.cond()) return true;
      w.resolve();
      return false;
    });
  }
  /** Resolves true once `cond` holds, false at the deadline. */
  until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
    if (cond()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(cond());
      }, timeoutMs);
      const waiter = {
        cond,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.waiters.push(waiter);
    });
  }
}

/** Calls `fn` for 0 … n-1, at most `parallel` calls in flight. */
export async function inParallel(n: number, parallel: number, fn: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

/** The `q` quantile of an ascending list (NaN when empty). */
export const percentile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]! : NaN;
