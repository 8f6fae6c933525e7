import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  blockOf,
  type CalendarAppointment,
  type Cell,
  columnCells,
  lanesOf,
  placementClasses,
  placementCss,
} from '../views/pages/staff/calendar-layout.ts';

/** The calendar's layout arithmetic (views/pages/staff/calendar-layout.ts); the drawn result is test/browser/calendar-grid.test.ts's. */

const appt = (time: string, end: string, id = time): CalendarAppointment => ({
  id,
  version: 1,
  practitionerId: 'p',
  date: '2026-12-07',
  time,
  end,
  patient: 'A B',
  service: 'S',
  status: 'booked',
});

const busy = (cells: (Cell | null)[]) =>
  cells.filter((c): c is Extract<Cell, { kind: 'blocks' }> => c?.kind === 'blocks');

describe('calendar layout', () => {
  it('places blocks to the minute inside the cell of the rows they touch', () => {
    // From 08:00, rows of 15 minutes: 10:40–11:10 touches rows 10:30..11:00 (10 to 13).
    const [cell] = busy(columnCells([blockOf(appt('10:40', '11:10'))], 8 * 60, 40));
    expect(cell).toMatchObject({ row: 10, span: 3 });
    expect(cell!.blocks[0]).toMatchObject({ offsetMin: 10, lengthMin: 30, lane: 0, lanes: 1 });
    expect(placementClasses(cell!.blocks[0]!)).toBe('sh-0 sm-10 lh-0 lm-30 lane-0 lanes-1');
  });

  it('keeps back-to-back blocks in one lane, one after the other', () => {
    const blocks = ['10:10', '10:40', '11:10'].map((t) => {
      const m = Number(t.slice(3)) + 30;
      return blockOf(
        appt(t, `${m >= 60 ? Number(t.slice(0, 2)) + 1 : t.slice(0, 2)}:${String(m % 60).padStart(2, '0')}`),
      );
    });
    const [cell] = busy(columnCells(blocks, 8 * 60, 40));
    expect(cell!.blocks.map((b) => [b.offsetMin, b.lengthMin, b.lane, b.lanes])).toEqual([
      [10, 30, 0, 1],
      [40, 30, 0, 1],
      [70, 30, 0, 1],
    ]);
  });

  it('puts overlapping blocks side by side, each in the first lane free at its start', () => {
    const blocks = [appt('10:00', '11:00', 'a'), appt('10:30', '11:00', 'b'), appt('10:45', '11:05', 'c')];
    expect(lanesOf(blocks.map(blockOf))).toEqual({ lane: [0, 1, 2], lanes: 3 });
    const later = [appt('10:00', '10:30', 'a'), appt('10:15', '10:45', 'b'), appt('10:30', '11:00', 'c')];
    expect(lanesOf(later.map(blockOf))).toEqual({ lane: [0, 1, 0], lanes: 2 });
  });

  it('clips a block that starts before the rows shown; one ending on a later day runs to midnight', () => {
    const cells = columnCells(
      [blockOf(appt('07:30', '08:30')), blockOf({ ...appt('23:30', '23:30'), end: null })],
      8 * 60,
      64,
    );
    const [first, last] = busy(cells);
    expect(first).toMatchObject({ row: 0, span: 2 });
    expect(first!.blocks[0]).toMatchObject({ offsetMin: 0, lengthMin: 30 });
    expect(last!.blocks[0]!.endMin).toBe(24 * 60);
  });

  it('static/calendar.css holds the rules the classes need', () => {
    const squash = (s: string) => s.replace(/\s+/g, '');
    const css = readFileSync(new URL('../static/calendar.css', import.meta.url), 'utf8');
    expect(squash(css).endsWith(squash(placementCss()))).toBe(true);
  });
});
