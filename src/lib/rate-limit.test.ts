import { describe, expect, it } from 'vitest';
import { createFailureTracker, createRateLimiter } from './rate-limit.ts';

const minute = 60_000;
const hour = 60 * minute;

function fakeTime(start = 1_000_000) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

const limiter = (clock: { now: () => number }, extra: { max?: number; maxKeys?: number } = {}) =>
  createRateLimiter({ name: 'test', max: extra.max ?? 10, windowMs: minute, now: clock.now, ...extra });

describe('the rate limiter', () => {
  it('allows exactly max hits in a window and denies the next', () => {
    const clock = fakeTime();
    const l = limiter(clock);
    const answers = Array.from({ length: 11 }, () => l.hit('ip'));
    expect(answers.slice(0, 10).every((a) => a.allowed && a.retryAfterMs === 0)).toBe(true);
    expect(answers.map((a) => a.remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0]);
    expect(answers[10]).toEqual({ allowed: false, remaining: 0, retryAfterMs: expect.any(Number) });
  });

  it('says exactly when the next hit fits, and denied hits do not push that back', () => {
    const clock = fakeTime();
    const l = limiter(clock);
    for (let i = 0; i < 10; i++) l.hit('ip');
    // The window ends after 60 s; then its 10 hits count in proportion to their overlap, and 9 fit
    // once a tenth of the window has passed: 60 s + 6 s.
    const { retryAfterMs } = l.hit('ip');
    expect(retryAfterMs).toBe(66_000);
    const until = clock.t + retryAfterMs;
    // Hammering meanwhile is refused and not counted.
    while (clock.t < until - 1_000) {
      clock.t += 1_000;
      expect(l.hit('ip')).toMatchObject({ allowed: false, retryAfterMs: until - clock.t });
    }
    clock.t = until - 1;
    expect(l.hit('ip')).toMatchObject({ allowed: false, retryAfterMs: 1 });
    clock.t = until;
    expect(l.hit('ip')).toMatchObject({ allowed: true, remaining: 0 });
    expect(l.hit('ip').allowed).toBe(false);
  });

  it('slides: no double burst across a window edge, gradual recovery, full reset after two windows', () => {
    const clock = fakeTime(0);
    const l = limiter(clock);
    l.hit('ip');
    clock.t = minute - 1;
    for (let i = 0; i < 9; i++) expect(l.hit('ip').allowed).toBe(true);
    // A fixed window would allow 10 more here; the previous window still counts almost in full.
    clock.t = minute;
    expect(l.hit('ip').allowed).toBe(false);
    // Halfway through, the previous window counts for 5: 5 more fit.
    clock.t = minute + minute / 2;
    expect(Array.from({ length: 6 }, () => l.hit('ip').allowed)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
    clock.t = 3 * minute;
    expect(l.peek('ip')).toEqual({ allowed: true, remaining: 10, retryAfterMs: 0 });
  });

  it('keeps keys independent', () => {
    const clock = fakeTime();
    const l = limiter(clock, { max: 2 });
    l.hit('a');
    l.hit('a');
    expect(l.hit('a').allowed).toBe(false);
    expect(l.hit('b')).toEqual({ allowed: true, remaining: 1, retryAfterMs: 0 });
  });

  it('peeks without counting or tracking, and resets a key', () => {
    const clock = fakeTime();
    const l = limiter(clock, { max: 2 });
    expect(l.peek('a')).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 });
    expect(l.size).toBe(0);
    l.hit('a');
    l.hit('a');
    expect(l.peek('a')).toMatchObject({ allowed: false, remaining: 0 });
    expect(l.peek('a').retryAfterMs).toBeGreaterThan(0);
    l.reset('a');
    expect(l.peek('a')).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 });
  });

  it('keeps at most maxKeys keys, evicting the least recently used', () => {
    const clock = fakeTime();
    const l = limiter(clock, { max: 1, maxKeys: 3 });
    for (const key of ['a', 'b', 'c']) l.hit(key);
    expect(l.hit('a').allowed).toBe(false); // a denied hit still marks a as recently used
    l.hit('d');
    expect(l.size).toBe(3);
    expect(l.peek('a').allowed).toBe(false);
    expect(l.peek('b').allowed).toBe(true); // evicted: its count is forgotten
    for (let i = 0; i < 1000; i++) l.hit(`k${i}`);
    expect(l.size).toBe(3);
  });

  it('gives an exact retryAfterMs for any history (seeded random check)', () => {
    let seed = 42;
    const random = () => {
      // mulberry32: small, deterministic, good enough to vary the history.
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), seed | 1);
      x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
      return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
    };
    for (const [max, windowMs] of [
      [1, 1_000],
      [3, 7_000],
      [10, minute],
      [100, hour],
    ] as const) {
      const clock = fakeTime();
      const l = createRateLimiter({ name: 'p', max, windowMs, now: clock.now });
      let denied = 0;
      for (let i = 0; i < 2_000; i++) {
        // About max hits per window on average, in bursts and lulls: both answers occur often.
        clock.t += Math.floor(((random() * random() * 4) / max) * windowMs);
        const a = l.hit('k');
        if (a.allowed) continue;
        denied++;
        const at = clock.t;
        expect(a.retryAfterMs).toBeGreaterThan(0);
        clock.t = at + a.retryAfterMs - 1;
        expect(l.peek('k').allowed).toBe(false);
        clock.t = at + a.retryAfterMs;
        expect(l.peek('k').allowed).toBe(true);
        clock.t = at;
      }
      expect(denied).toBeGreaterThan(50);
    }
  });

  it('rejects nonsensical options', () => {
    expect(() => createRateLimiter({ name: 'x', max: 0, windowMs: minute })).toThrow(/rate limit x/);
    expect(() => createRateLimiter({ name: 'x', max: 1.5, windowMs: minute })).toThrow();
    expect(() => createRateLimiter({ name: 'x', max: 1, windowMs: 0 })).toThrow();
    expect(() => createRateLimiter({ name: 'x', max: 1, windowMs: minute, maxKeys: 0 })).toThrow();
  });
});

describe('the sign-in failure tracker', () => {
  const tracker = (clock: { now: () => number }, max = 100) =>
    createFailureTracker({
      name: 'sign-in',
      max,
      windowMs: hour,
      baseDelayMs: 1_000,
      maxDelayMs: 8_000,
      now: clock.now,
    });

  it('delays answers exponentially from the third failure, up to the cap', () => {
    const t = tracker(fakeTime());
    const delays = [t.check('ann').delayMs];
    for (let i = 0; i < 8; i++) {
      t.recordFailure('ann');
      delays.push(t.check('ann').delayMs);
    }
    expect(delays).toEqual([0, 0, 0, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect(t.check('bob')).toEqual({ allowed: true, delayMs: 0, retryAfterMs: 0 });
  });

  it('blocks at max failures in the window, cannot be prolonged, and lets in again as it slides', () => {
    const clock = fakeTime();
    const t = tracker(clock);
    for (let i = 0; i < 99; i++) t.recordFailure('ann');
    expect(t.check('ann').allowed).toBe(true);
    t.recordFailure('ann');
    const blocked = t.check('ann');
    expect(blocked).toEqual({ allowed: false, delayMs: 8_000, retryAfterMs: hour + hour / 100 });
    clock.t += 1_000;
    t.recordFailure('ann'); // ignored while blocked
    expect(t.check('ann').retryAfterMs).toBe(blocked.retryAfterMs - 1_000);
    clock.t += blocked.retryAfterMs - 1_000;
    expect(t.check('ann')).toMatchObject({ allowed: true, retryAfterMs: 0 });
  });

  it('clears on success', () => {
    const t = tracker(fakeTime(), 5);
    for (let i = 0; i < 5; i++) t.recordFailure('ann');
    expect(t.check('ann').allowed).toBe(false);
    t.recordSuccess('ann');
    expect(t.check('ann')).toEqual({ allowed: true, delayMs: 0, retryAfterMs: 0 });
  });

  it('forgets failures two windows later', () => {
    const clock = fakeTime();
    const t = tracker(clock);
    for (let i = 0; i < 6; i++) t.recordFailure('ann');
    clock.t += hour + hour / 2;
    expect(t.check('ann').delayMs).toBe(1_000); // 6 failures weighted by half: 3
    clock.t += hour / 2;
    expect(t.check('ann').delayMs).toBe(0);
  });

  it('rejects a cap below the base delay', () => {
    expect(() =>
      createFailureTracker({ name: 'x', max: 5, windowMs: hour, baseDelayMs: 10, maxDelayMs: 5 }),
    ).toThrow(/failure tracker x/);
  });
});
