import { describe, expect, it } from 'vitest';
import { findSlots, type PractitionerAvailability, type SlotQuery } from './slots.ts';

const everyDay = (start: string, end: string): PractitionerAvailability['weekly'] =>
  Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ start, end }]]));
const iso = (slots: { start: Date }[]) => slots.map((s) => s.start.toISOString());
const base = (over: Partial<SlotQuery>): SlotQuery => ({
  timeZone: 'Europe/Paris',
  from: '2026-03-02',
  to: '2026-03-02',
  durationMin: 30,
  stepMin: 30,
  now: new Date('2026-01-01T00:00:00Z'),
  practitioners: [{ practitionerId: 'p1', weekly: everyDay('09:00', '11:00') }],
  ...over,
});

describe('slot search', () => {
  it.each([
    // [zone, local date, expected UTC instants of the 09:00 and 09:30 slots]
    ['Europe/Paris', '2026-03-28', ['2026-03-28T08:00:00.000Z', '2026-03-28T08:30:00.000Z']], // winter, UTC+1
    ['Europe/Paris', '2026-03-29', ['2026-03-29T07:00:00.000Z', '2026-03-29T07:30:00.000Z']], // DST starts that night
    ['Europe/Paris', '2026-10-25', ['2026-10-25T08:00:00.000Z', '2026-10-25T08:30:00.000Z']], // DST ends that night
    ['America/New_York', '2026-03-07', ['2026-03-07T14:00:00.000Z', '2026-03-07T14:30:00.000Z']], // EST, UTC−5
    ['America/New_York', '2026-03-08', ['2026-03-08T13:00:00.000Z', '2026-03-08T13:30:00.000Z']], // EDT from that night
    ['America/New_York', '2026-11-01', ['2026-11-01T14:00:00.000Z', '2026-11-01T14:30:00.000Z']], // back to EST
  ])('keeps 09:00 on the wall clock in %s on %s', (timeZone, date, expected) => {
    const slots = findSlots(
      base({
        timeZone,
        from: date,
        to: date,
        practitioners: [{ practitionerId: 'p1', weekly: everyDay('09:00', '10:00') }],
      }),
    );
    expect(iso(slots)).toEqual(expected);
  });

  it('counts real time through a night shift on the daylight-saving days', () => {
    const night = (timeZone: string, date: string) =>
      iso(
        findSlots(
          base({
            timeZone,
            from: date,
            to: date,
            durationMin: 60,
            stepMin: 60,
            practitioners: [{ practitionerId: 'p1', weekly: everyDay('00:30', '03:30') }],
          }),
        ),
      );
    // Paris, spring forward: 00:30–03:30 local is only 2 real hours (02:00–03:00 does not exist).
    expect(night('Europe/Paris', '2026-03-29')).toEqual([
      '2026-03-28T23:30:00.000Z',
      '2026-03-29T00:30:00.000Z',
    ]);
    // New York, fall back: 00:30–03:30 local is 4 real hours (01:00–02:00 happens twice).
    expect(night('America/New_York', '2026-11-01')).toEqual([
      '2026-11-01T04:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:30:00.000Z',
      '2026-11-01T07:30:00.000Z',
    ]);
  });

  it('moves a start time that does not exist to the next valid instant', () => {
    const slots = findSlots(
      base({
        from: '2026-03-29',
        to: '2026-03-29',
        durationMin: 30,
        practitioners: [{ practitionerId: 'p1', weekly: everyDay('02:30', '04:00') }],
      }),
    );
    // 02:30 does not exist in Paris that night: the day starts at 03:30 CEST (01:30Z).
    expect(iso(slots)[0]).toBe('2026-03-29T01:30:00.000Z');
  });

  it('honours breaks, the service duration and the step', () => {
    const slots = findSlots(
      base({
        durationMin: 60,
        stepMin: 30,
        practitioners: [
          {
            practitionerId: 'p1',
            weekly: {
              1: [
                { start: '09:00', end: '11:00' },
                { start: '13:00', end: '14:30' },
              ],
            },
          },
        ],
      }),
    );
    // Monday 2 March, UTC+1: 09:00, 09:30, 10:00 (ends 11:00); 13:00, 13:30 (ends 14:30).
    expect(iso(slots)).toEqual([
      '2026-03-02T08:00:00.000Z',
      '2026-03-02T08:30:00.000Z',
      '2026-03-02T09:00:00.000Z',
      '2026-03-02T12:00:00.000Z',
      '2026-03-02T12:30:00.000Z',
    ]);
  });

  it('keeps buffers clear of what is already booked', () => {
    const busy = [{ start: new Date('2026-03-02T09:00:00Z'), end: new Date('2026-03-02T09:30:00Z') }]; // 10:00–10:30 local
    const slots = findSlots(
      base({
        durationMin: 30,
        stepMin: 15,
        bufferBeforeMin: 15,
        bufferAfterMin: 15,
        practitioners: [{ practitionerId: 'p1', weekly: everyDay('09:00', '11:30'), busy }],
      }),
    );
    const local = slots.map((s) => new Date(s.start.getTime() + 3_600_000).toISOString().slice(11, 16));
    // 09:15 would end 09:45 + 15 buffer = 10:00: fine. 09:30 ends 10:00 + 15 → overlaps. 10:30 − 15 → overlaps.
    expect(local).toEqual(['09:00', '09:15', '10:45', '11:00']);
  });

  it('applies minimum notice and the booking horizon', () => {
    const now = new Date('2026-03-02T08:10:00Z'); // 09:10 in Paris
    const slots = findSlots(
      base({ now, minNoticeMin: 60, stepMin: 15, horizonDays: 1, from: '2026-03-02', to: '2026-03-04' }),
    );
    expect(iso(slots)[0]).toBe('2026-03-02T09:15:00.000Z'); // 10:15 local, the first start ≥ 10:10
    expect(slots.every((s) => s.start.getTime() <= now.getTime() + 86_400_000)).toBe(true);
    expect(iso(slots).some((s) => s.startsWith('2026-03-04'))).toBe(false);
  });

  it('skips clinic closures and time off, and adds dated extra hours', () => {
    const slots = findSlots(
      base({
        from: '2026-03-02',
        to: '2026-03-08',
        closedDates: ['2026-03-03'],
        practitioners: [
          {
            practitionerId: 'p1',
            weekly: {
              1: [{ start: '09:00', end: '10:00' }],
              2: [{ start: '09:00', end: '10:00' }],
              3: [{ start: '09:00', end: '10:00' }],
            },
            timeOff: [{ start: new Date('2026-03-04T00:00:00Z'), end: new Date('2026-03-05T00:00:00Z') }],
            extra: [{ date: '2026-03-07', intervals: [{ start: '10:00', end: '11:00' }] }],
          },
        ],
      }),
    );
    expect([...new Set(iso(slots).map((s) => s.slice(0, 10)))]).toEqual(['2026-03-02', '2026-03-07']);
  });

  it('lists several practitioners in time order, and refuses an unknown time zone', () => {
    const slots = findSlots(
      base({
        practitioners: [
          { practitionerId: 'p2', weekly: everyDay('09:00', '09:30') },
          { practitionerId: 'p1', weekly: everyDay('09:00', '10:00') },
        ],
      }),
    );
    expect(slots.map((s) => `${s.practitionerId} ${s.start.toISOString().slice(11, 16)}`)).toEqual([
      'p1 08:00',
      'p2 08:00',
      'p1 08:30',
    ]);
    expect(() => findSlots(base({ timeZone: 'Mars/Olympus_Mons' }))).toThrow(/unknown time zone/);
  });
});
