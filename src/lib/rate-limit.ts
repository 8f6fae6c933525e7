import { createCache } from './cache.ts';

/*
 * Rate limiting and sign-in failure tracking, in memory and PER INSTANCE: every process counts on its
 * own, so N instances behind a balancer allow up to N × max, and a restart forgets all counts. That is
 * the right trade for a one-executable clinic system (no Redis); put a shared store behind the same
 * interface if it is ever scaled out.
 *
 * Both use a sliding-window counter: per key, the count of the current fixed window plus the previous
 * window's count weighted by how much of it still overlaps the sliding window. Chosen over a token
 * bucket because it enforces the limit as written ("10 per minute" never lets 20 through across a
 * refill or window edge, which matters for guessing), yet needs O(1) memory per key — unlike an exact
 * log of timestamps. It errs on the strict side: hits early in the previous window count as if spread
 * evenly across it. Windows start at a key's first hit.
 *
 * Denied hits are NOT counted, so a client that keeps hammering is let through again once its earlier
 * hits age out (at most two windows); it cannot extend its own penalty forever, and an attacker cannot
 * keep a victim's sign-in blocked past that without sending more allowed requests.
 *
 * Memory is bounded: at most `maxKeys` keys (least recently used go first) and each expires two windows
 * after its last counted hit, when it can no longer affect a decision. Evicting a key forgets its
 * count, so size maxKeys well above the clients expected within two windows.
 */

const defaultMaxKeys = 50_000;

/** A limiter's answer for one key. */
export interface RateLimitDecision {
  /** Whether this request may proceed (for `peek`: whether a hit now would be allowed). */
  allowed: boolean;
  /** Further hits that would be allowed right now. */
  remaining: number;
  /** When denied, ms until a hit will be allowed again (if nothing else is counted); otherwise 0. */
  retryAfterMs: number;
}

/** Counts hits per key and answers whether each may proceed. */
export interface RateLimiter {
  readonly name: string;
  /** Counts a hit for `key` if allowed; a denied hit is not counted. */
  hit(key: string): RateLimitDecision;
  /** What `hit` would answer, without counting or creating anything. */
  peek(key: string): RateLimitDecision;
  /** Forgets `key`'s count. */
  reset(key: string): void;
  /** Keys currently tracked (for tests and metrics). */
  readonly size: number;
}

export interface RateLimiterOptions {
  /** Names the use (e.g. `sign-in-ip`) in errors; each use gets its own limiter. */
  name: string;
  /** Hits allowed per sliding window. */
  max: number;
  windowMs: number;
  /** Clock in ms (tests); defaults to performance.now, which never jumps with wall-clock changes. */
  now?: () => number;
  /** Most keys kept; defaults to 50,000. */
  maxKeys?: number;
}

/** Creates an in-memory, per-instance sliding-window rate limiter (see the file comment). */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { name, max, windowMs } = options;
  const store = createWindowStore(name, options);

  const decide = (w: Window, t: number, counted: boolean): RateLimitDecision => {
    const allowed = hasRoom(w, t, windowMs, max);
    return {
      allowed,
      remaining: Math.max(0, max - used(w, t, windowMs) - (counted ? 1 : 0)),
      retryAfterMs: allowed ? 0 : waitForRoom(w, t, windowMs, max),
    };
  };

  return {
    name,
    hit(key) {
      const t = store.now();
      const w = store.read(key, t, true);
      const decision = decide(w, t, true);
      if (decision.allowed) store.write(key, { ...w, curr: w.curr + 1 });
      return decision;
    },
    peek(key) {
      const t = store.now();
      return decide(store.read(key, t, false), t, false);
    },
    reset: (key) => store.delete(key),
    get size() {
      return store.size;
    },
  };
}

/** Whether an account may attempt to sign in, and how long to wait before answering. */
export interface FailureCheck {
  /** False once `max` failures fall within the window: refuse without checking the password. */
  allowed: boolean;
  /** Wait this long before answering the attempt (whatever its outcome), so guessing slows down. */
  delayMs: number;
  /** When not allowed, ms until an attempt will be allowed again; otherwise 0. */
  retryAfterMs: number;
}

/**
 * Per-account sign-in failures. Use: `check` → refuse if not allowed → wait `delayMs` → verify the
 * password → `recordFailure` or `recordSuccess`. Keys should be normalised (e.g. lower-cased email or
 * the account id) by the caller. The delay slows sequential guessing; parallel guessing is bounded by
 * `max` (and by the per-IP limiter in front).
 */
export interface FailureTracker {
  readonly name: string;
  /** Counts a failed attempt; ignored once the account is blocked, so the block cannot be prolonged. */
  recordFailure(key: string): void;
  /** Clears the account's failures. */
  recordSuccess(key: string): void;
  check(key: string): FailureCheck;
  /** Keys currently tracked (for tests and metrics). */
  readonly size: number;
}

export interface FailureTrackerOptions {
  name: string;
  /** Failures within the window after which attempts are refused (e.g. 100 per hour). */
  max: number;
  windowMs: number;
  /** Delay after the `delayAfterFailures`-th failure; doubles with each further failure. */
  baseDelayMs: number;
  /** Cap on the delay. */
  maxDelayMs: number;
  /** Failures before delays start; defaults to 3 (the first two mistakes cost nothing). */
  delayAfterFailures?: number;
  /** Clock in ms (tests); defaults to performance.now. */
  now?: () => number;
  /** Most accounts kept; defaults to 50,000. */
  maxKeys?: number;
}

/** Creates an in-memory, per-instance tracker of sign-in failures (see the file comment). */
export function createFailureTracker(options: FailureTrackerOptions): FailureTracker {
  const { name, max, windowMs, baseDelayMs, maxDelayMs } = options;
  const delayAfter = options.delayAfterFailures ?? 3;
  if (!(baseDelayMs >= 0) || !(maxDelayMs >= baseDelayMs) || !(delayAfter >= 1)) {
    throw new Error(`failure tracker ${name}: need 0 ≤ baseDelayMs ≤ maxDelayMs and delayAfterFailures ≥ 1`);
  }
  const store = createWindowStore(name, options);

  const delayFor = (failures: number) =>
    failures < delayAfter ? 0 : Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(failures - delayAfter, 52));

  return {
    name,
    recordFailure(key) {
      const t = store.now();
      const w = store.read(key, t, true);
      if (hasRoom(w, t, windowMs, max)) store.write(key, { ...w, curr: w.curr + 1 });
    },
    recordSuccess: (key) => store.delete(key),
    check(key) {
      const t = store.now();
      // A read that refreshes recency: an account under attack stays tracked rather than evicted.
      const w = store.read(key, t, true);
      const allowed = hasRoom(w, t, windowMs, max);
      return {
        allowed,
        delayMs: delayFor(used(w, t, windowMs)),
        retryAfterMs: allowed ? 0 : waitForRoom(w, t, windowMs, max),
      };
    },
    get size() {
      return store.size;
    },
  };
}

/** One key's counts: `curr` hits since `start`, `prev` in the window before it. */
interface Window {
  start: number;
  prev: number;
  curr: number;
}

function createWindowStore(
  name: string,
  options: { max: number; windowMs: number; now?: () => number; maxKeys?: number },
) {
  const { max, windowMs } = options;
  const maxKeys = options.maxKeys ?? defaultMaxKeys;
  const positiveInt = (n: number) => Number.isInteger(n) && n >= 1;
  if (!positiveInt(max) || !positiveInt(windowMs) || !positiveInt(maxKeys)) {
    throw new Error(`rate limit ${name}: max, windowMs and maxKeys must be whole numbers ≥ 1`);
  }
  const clock = options.now ?? (() => performance.now());
  // Two windows after the last counted hit a key's counts have both rolled out of the sliding window.
  const lru = createCache<Window>(`rate-limit ${name}`, {
    max: maxKeys,
    ttlMs: 2 * windowMs,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    // Whole ms keep the window arithmetic in exact integers.
    now: () => Math.floor(clock()),
    /** The key's window rolled forward to `t` (a fresh one if unknown); never written back here. */
    read(key: string, t: number, touch: boolean): Window {
      const w = touch ? lru.get(key) : lru.peek(key);
      return w ? rollTo(w, t, windowMs) : { start: t, prev: 0, curr: 0 };
    },
    write: (key: string, w: Window) => {
      lru.set(key, w);
    },
    delete: (key: string) => {
      lru.delete(key);
    },
    get size() {
      return lru.size;
    },
  };
}

function rollTo(w: Window, t: number, windowMs: number): Window {
  const n = Math.floor((t - w.start) / windowMs);
  if (n <= 0) return w;
  if (n === 1) return { start: w.start + windowMs, prev: w.curr, curr: 0 };
  return { start: w.start + n * windowMs, prev: 0, curr: 0 };
}

// The arithmetic below works in "hits × windowMs" so that every comparison is between integers.

/** Part of the current window elapsed (after rollTo, below windowMs); 0 if an injected clock stepped back. */
const elapsed = (w: Window, t: number) => Math.max(0, t - w.start);

/** Whether one more hit fits: prev × (overlap of the previous window) + curr + 1 ≤ max. */
function hasRoom(w: Window, t: number, windowMs: number, max: number): boolean {
  const e = elapsed(w, t);
  return w.prev * (windowMs - e) + (w.curr + 1) * windowMs <= max * windowMs;
}

/** Weighted hits in the sliding window, rounded up. */
function used(w: Window, t: number, windowMs: number): number {
  const e = elapsed(w, t);
  return w.curr + Math.ceil((w.prev * (windowMs - e)) / windowMs);
}

/** Ms until one more hit fits, assuming nothing else is counted meanwhile. */
function waitForRoom(w: Window, t: number, windowMs: number, max: number): number {
  const e = elapsed(w, t);
  if (w.curr < max) {
    if (w.prev === 0) return 0;
    // Room once the previous window's share has shrunk: prev × (windowMs − e') ≤ (max − 1 − curr) × windowMs.
    const fitsAt = windowMs - Math.floor(((max - 1 - w.curr) * windowMs) / w.prev);
    return Math.max(0, fitsAt - e);
  }
  // The current window is full: wait for it to end, then for its share (as the previous window) to shrink.
  return windowMs - e + (windowMs - Math.floor(((max - 1) * windowMs) / w.curr));
}
