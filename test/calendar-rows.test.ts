import { describe, expect, it } from 'vitest';
import type { AppointmentStatus } from '../src/domain/scheduling/index.ts';
import { type CalendarAppointment, calendarGrid } from '../views/pages/staff/calendar-layout.ts';
import { calendarRows } from '../views/pages/staff/calendar-rows.ts';
import { RowsAsElements } from './calendar-rows-elements.tsx';

/**
 * calendar-rows.ts writes the calendar's body as a string; it must be the HTML hono/jsx writes
 * from the elements it replaced (test/calendar-rows-elements.tsx), byte for byte, for any grid.
 */

const STATUSES: AppointmentStatus[] = ['booked', 'requested', 'arrived', 'completed', 'no_show', 'cancelled'];
// Names and services with every character HTML escapes, and some it does not.
const NAMES = ['Ella Kowalski', 'Zoë "Z" O\'Neil', 'A & B <c>', 'Ōkafor — Dr.', "D'Arcy"];

/** A small deterministic random source (tests reproduce). */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

function gridOf(seed: number, week: boolean) {
  const r = random(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const days = (week ? ['2026-12-07', '2026-12-08', '2026-12-12'] : ['2026-12-07']).map((date) => ({
    date,
    label: date,
  }));
  const practitioners = ['p1', 'p&2', 'p3'].map((id, i) => ({ id, name: NAMES[i]!, colour: `#00${i}0ff` }));
  const appointments: CalendarAppointment[] = Array.from({ length: 25 }, (_, i) => {
    const start = 7 * 60 + Math.floor(r() * 13 * 12) * 5;
    const end = start + pick([5, 10, 15, 20, 30, 45, 60, 90, 240, 20 * 60]);
    const hh = (m: number) =>
      `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    return {
      id: `a${i}'"`,
      version: 1 + Math.floor(r() * 3),
      practitionerId: pick(practitioners).id,
      date: pick(days).date,
      time: hh(start),
      end: end >= 24 * 60 ? null : hh(end),
      patient: pick(NAMES),
      service: pick(['GP consultation', 'Massage & stretch', '<b>']),
      status: pick(STATUSES),
    };
  });
  const hours = [{ start: '09:00', end: r() < 0.5 ? '17:00' : '19:30' }];
  return { ...calendarGrid({ days, practitioners, appointments, hours }), week };
}

describe('calendar rows', () => {
  for (const week of [false, true]) {
    it(`writes the elements' HTML for any ${week ? 'week' : 'day'}`, () => {
      for (let seed = 1; seed <= 40; seed++) {
        const grid = gridOf(seed, week);
        const mayBook = (id: string) => id !== 'p3';
        const got = `<tbody>${calendarRows({ ...grid, mayBook })}</tbody>`;
        const want = String(RowsAsElements({ ...grid, mayBook }));
        expect(got.length).toBeGreaterThan(1000);
        expect(got).toBe(want);
      }
    });
  }
});
