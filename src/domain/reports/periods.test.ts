import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../lib/errors.ts';
import { presetRange, resolveRange, scopeOf } from './periods.ts';

const zone = 'Europe/Paris';
const today = DateTime.fromISO('2026-03-02', { zone });

describe('report periods', () => {
  it.each([
    ['this-month', '2026-03-01', '2026-03-31'],
    ['last-month', '2026-02-01', '2026-02-28'],
    ['this-quarter', '2026-01-01', '2026-03-31'],
    ['this-year', '2026-01-01', '2026-12-31'],
  ] as const)('%s from 2 March 2026 is %s to %s', (preset, from, to) => {
    expect(presetRange(preset, today)).toEqual({ from, to });
    expect(resolveRange({ preset }, today)).toEqual({ preset, from, to });
  });

  it('cuts weeks at Monday and the range, in the clinic’s zone, across the change to summer time', () => {
    const scope = scopeOf({ preset: 'custom', from: '2026-03-25', to: '2026-04-05' }, zone, today, null);
    expect(scope.from.toISOString()).toBe('2026-03-24T23:00:00.000Z');
    expect(scope.to.toISOString()).toBe('2026-04-05T22:00:00.000Z');
    expect(scope.weeks.map((w) => [w.key, w.from.toISOString(), w.to.toISOString()])).toEqual([
      ['2026-03-25', '2026-03-24T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
      ['2026-03-30', '2026-03-29T22:00:00.000Z', '2026-04-05T22:00:00.000Z'],
    ]);
    expect(scope.daily).toHaveLength(12);
    // Sunday 29 March is 23 hours long; its working hours are counted from its noon's offset.
    const sunday = scope.days.find((d) => d.date === '2026-03-29')!;
    expect(sunday.weekday).toBe(7);
    expect(new Date(sunday.base.getTime() + 9 * 3_600_000).toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });

  it.each([
    [{ from: '2026-02-30', to: '2026-03-01' }, 'from'],
    [{ from: '2026-03-01', to: '2026-02-01' }, 'to'],
    [{ from: '2026-03-01' }, 'to'],
    [{ from: '2020-01-01', to: '2026-01-01' }, 'to'],
    [{ preset: 'next-year' }, 'preset'],
    [{ from: '1 March', to: '2026-03-02' }, 'from'],
  ])('refuses %o, naming %s', (input, field) => {
    try {
      resolveRange(input, today);
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('validation_failed');
      expect(isAppError(e) && e.issues?.map((i) => i.path)).toContain(field);
    }
  });
});
