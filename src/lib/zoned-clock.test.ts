import { DateTime } from 'luxon';
import { describe, expect, it, vi } from 'vitest';
import { zonedClock } from './zoned-clock.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Instants to check in `zone` over 2026: 47 min 13 s apart, and every minute for 2 h around each offset change. */
function instantsOf(zone: string): number[] {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const end = start + 365 * 24 * HOUR;
  const out: number[] = [];
  for (let ms = start; ms < end; ms += 47 * MINUTE + 13_000) out.push(ms);
  for (let ms = start; ms < end; ms += HOUR) {
    if (DateTime.fromMillis(ms, { zone }).offset === DateTime.fromMillis(ms + HOUR, { zone }).offset)
      continue;
    for (let m = ms - HOUR; m < ms + 2 * HOUR; m += MINUTE) out.push(m);
  }
  return out;
}

describe('zonedClock', () => {
  // Zones whose clocks change at 02:00 or 03:00 local, by half an hour at a half hour in UTC (Lord
  // Howe), at a quarter hour in UTC (Chatham, 45 minutes off), and one that never changes (Kolkata).
  it.each(['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata'])(
    'agrees with luxon in %s for every instant',
    (zone) => {
      const local = zonedClock(zone);
      const mismatches: string[] = [];
      for (const ms of instantsOf(zone)) {
        const want = DateTime.fromMillis(ms, { zone });
        const got = local(new Date(ms));
        if (got.date !== want.toISODate() || got.time !== want.toFormat('HH:mm'))
          mismatches.push(`${new Date(ms).toISOString()}: ${got.date} ${got.time}`);
      }
      expect(mismatches.slice(0, 5)).toEqual([]);
    },
  );

  it('reads the instants around Paris’s spring and autumn changes', () => {
    const paris = zonedClock('Europe/Paris');
    expect(paris(new Date('2026-03-29T00:59:00Z'))).toEqual({ date: '2026-03-29', time: '01:59' });
    expect(paris(new Date('2026-03-29T01:00:00Z'))).toEqual({ date: '2026-03-29', time: '03:00' });
    expect(paris(new Date('2026-10-25T00:59:00Z'))).toEqual({ date: '2026-10-25', time: '02:59' });
    expect(paris(new Date('2026-10-25T01:00:00Z'))).toEqual({ date: '2026-10-25', time: '02:00' });
  });

  it('asks luxon for a quarter hour’s offset once, whatever reader asks after', () => {
    const instants = Array.from(
      { length: 96 },
      (_, i) => new Date(Date.parse('2031-06-02T00:07:00Z') + i * 15 * MINUTE),
    );
    const first = zonedClock('Europe/Oslo');
    const answers = instants.map(first);
    const asked = vi.spyOn(DateTime, 'fromMillis');
    try {
      expect(instants.map(zonedClock('Europe/Oslo'))).toEqual(answers);
      expect(asked).not.toHaveBeenCalled();
    } finally {
      asked.mockRestore();
    }
  });
});
