import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/audit/index.ts';
import { addService } from '../../src/testing/factories.ts';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { seriousA11yViolations } from './a11y.ts';
import { type CalendarWorld, servedCalendar } from './calendar-world.ts';
import { pageErrors, screenshotDir, skipBrowserTests } from './chromium.ts';

/**
 * The calendar grid as drawn (issue 15, item 2): each appointment block sits at its start time on
 * the time axis with its duration's height, in the clinic's time zone, inside its practitioner's
 * column, and overlapping appointments are side by side. Measured from the boxes Chromium draws,
 * at desktop and phone widths, in the day and week views: the HTML alone looked right while a
 * 10:40 block was drawn at ~12:15 (rows grew with their text, so the axis was not linear).
 */

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Each time row's top edge (by its label, `HH:mm`) and every block's box, as drawn. */
async function drawn(page: Page) {
  return page.evaluate(() => {
    const box = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height };
    };
    const rows = [...document.querySelectorAll('table.calendar tbody tr')].map((tr) => ({
      label: tr.querySelector('th')?.textContent?.trim() ?? '',
      ...box(tr),
    }));
    const blocks = Object.fromEntries([...document.querySelectorAll('a.appt')].map((a) => [a.id, box(a)]));
    const headers = Object.fromEntries(
      [...document.querySelectorAll('table.calendar thead th')].map((th) => [
        th.textContent?.trim() ?? '',
        box(th),
      ]),
    );
    return { rows, blocks, headers };
  });
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Where the axis puts a local time: the top of its 15-minute row plus the minutes into it. */
function axis(rows: { label: string; y: number; height: number }[]) {
  const timed = rows.filter((r) => /^\d\d:\d\d$/.test(r.label));
  const pitch = (timed.at(-1)!.y - timed[0]!.y) / (timed.length - 1);
  return {
    pitch,
    rows: timed,
    yOf(time: string) {
      const min = minutesOf(time);
      const row = timed.find((r) => minutesOf(r.label) === Math.floor(min / 15) * 15);
      if (!row) throw new Error(`no row for ${time}`);
      return row.y + ((min % 15) / 15) * pitch;
    },
  };
}

const overlapArea = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

describe.skipIf(skipBrowserTests)('the calendar grid as drawn in a real browser', () => {
  const cleanups = cleanupsAfterAll();

  let world: CalendarWorld;
  /** The appointments of the day: id → practitioner's name, local start, duration. */
  const expected: { id: string; who: string; time: string; minutes: number }[] = [];

  beforeAll(async () => {
    // A clinic an hour or two off UTC whatever the season (the test machine runs in UTC): the
    // grid must draw the clinic's local times. Hours 08:00-18:00 as in the demo.
    world = await servedCalendar(cleanups, 'calendar-grid', {
      timeZone: 'Europe/Paris',
      practitioners: 3,
      patients: 8,
      hours: '08:00-18:00',
    });
    const { app, clinic, at } = world;
    const long = await addService(app, { name: 'Acupuncture', durationMin: 60 });
    const short = await addService(app, { name: 'Check-up', durationMin: 20 });
    for (const p of clinic.practitionerIds) {
      const view = await app.deps.practitioners.get(p);
      await app.deps.practitioners.save(systemActor, p, {
        ...view.profile!,
        serviceIds: [clinic.serviceId, long.id, short.id],
        hours: { 1: '08:00-18:00', 2: '08:00-18:00', 3: '08:00-18:00', 4: '08:00-18:00', 5: '08:00-18:00' },
      });
    }
    const desk = {
      actor: { ...systemActor, type: 'staff' as const, id: clinic.receptionId },
      role: 'reception' as const,
    };
    const [p1, p2, p3] = clinic.practitionerIds as [string, string, string];
    const names = { [p1]: 'Dr P1', [p2]: 'Dr P2', [p3]: 'Dr P3' };
    const book = async (
      p: string,
      time: string,
      service: { id: string; minutes: number },
      patient: number,
    ) => {
      const { appointment } = await app.deps.appointments.book(desk, {
        serviceId: service.id,
        practitionerId: p,
        start: at(time),
        patientId: clinic.patientIds[patient]!,
      });
      expected.push({ id: appointment.id, who: names[p]!, time, minutes: service.minutes });
      return appointment;
    };
    const physio = { id: clinic.serviceId, minutes: 30 };
    const acu = { id: long.id, minutes: 60 };
    const check = { id: short.id, minutes: 20 };
    // Dr P1: back-to-back half hours off the quarter hours, as the demo's acupuncture day.
    await book(p1, '10:10', physio, 0);
    await book(p1, '10:40', physio, 1);
    await book(p1, '11:10', physio, 2);
    await book(p1, '14:30', physio, 3);
    // Dr P2: a short one and a long one.
    await book(p2, '09:05', check, 4);
    await book(p2, '10:40', acu, 5);
    // Dr P3: 10:00-11:00 and 10:30-11:00 overlap (an import or a change made elsewhere can do
    // that: the grid must still show both), and 10:45-11:05 overlaps both.
    await book(p3, '10:00', acu, 6);
    const second = await book(p2, '12:30', physio, 7);
    const third = await book(p2, '15:00', check, 0);
    const { db } = app.deps;
    await db.tx(async ({ db: q, t }) => {
      await q
        .update(t.appointments)
        .set({ practitionerId: p3, startAt: new Date(at('10:30')), endAt: new Date(at('11:00')) })
        .where(eq(t.appointments.id, second.id));
      await q
        .update(t.appointments)
        .set({ practitionerId: p3, startAt: new Date(at('10:45')), endAt: new Date(at('11:05')) })
        .where(eq(t.appointments.id, third.id));
    });
    Object.assign(expected.find((e) => e.id === second.id)!, { who: 'Dr P3', time: '10:30', minutes: 30 });
    Object.assign(expected.find((e) => e.id === third.id)!, { who: 'Dr P3', time: '10:45', minutes: 20 });
  }, 120_000);

  for (const [size, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    it(`day view (${size}): every block at its start time, its duration's height, overlaps side by side`, async () => {
      const page = await world.staffPage('bo@clinic.example', viewport);
      const errors = pageErrors(page, { console: {} });
      await page.goto(`${world.base}/staff/calendar?view=day&date=${world.date}`);
      await page.locator('a.appt').first().waitFor();
      const { rows, blocks, headers } = await drawn(page);
      const time = axis(rows);
      // The axis is linear: every 15-minute row has the same height, whatever the blocks hold.
      for (const r of time.rows)
        expect(Math.abs(r.height - time.pitch), `row ${r.label}`).toBeLessThanOrEqual(1);
      for (const e of expected) {
        const b = blocks[`appt-${e.id}`];
        expect(b, `${e.time} with ${e.who}`).toBeDefined();
        expect(Math.abs(b!.y - time.yOf(e.time)), `${e.time} with ${e.who}: top`).toBeLessThanOrEqual(2);
        expect(Math.abs(b!.height - (e.minutes / 15) * time.pitch), `${e.time}: height`).toBeLessThanOrEqual(
          3,
        );
        const column = headers[e.who]!;
        expect(b!.x, `${e.time} in ${e.who}'s column`).toBeGreaterThanOrEqual(column.x - 1);
        expect(b!.x + b!.width, `${e.time} in ${e.who}'s column`).toBeLessThanOrEqual(
          column.x + column.width + 1,
        );
      }
      // No block is drawn over another.
      const ids = Object.keys(blocks);
      for (const [i, a] of ids.entries()) {
        for (const b of ids.slice(i + 1)) {
          expect(overlapArea(blocks[a]!, blocks[b]!), `${a} over ${b}`).toBeLessThan(1);
        }
      }
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.screenshot({ path: join(screenshotDir, `calendar-grid-day-${size}.png`), fullPage: true });
      expect(errors).toEqual([]);
    }, 90_000);
  }

  it('week view: the blocks of one practitioner at their times, overlaps side by side', async () => {
    const page = await world.staffPage('bo@clinic.example');
    const p3 = world.clinic.practitionerIds[2]!;
    await page.goto(`${world.base}/staff/calendar?view=week&date=${world.date}&practitioner=${p3}`);
    await page.locator('a.appt').first().waitFor();
    const { rows, blocks } = await drawn(page);
    const time = axis(rows);
    for (const r of time.rows)
      expect(Math.abs(r.height - time.pitch), `row ${r.label}`).toBeLessThanOrEqual(1);
    const mine = expected.filter((e) => e.who === 'Dr P3');
    for (const e of mine) {
      const b = blocks[`appt-${e.id}`]!;
      expect(Math.abs(b.y - time.yOf(e.time)), `${e.time}: top`).toBeLessThanOrEqual(2);
      expect(Math.abs(b.height - (e.minutes / 15) * time.pitch), `${e.time}: height`).toBeLessThanOrEqual(3);
    }
    for (const [i, a] of mine.entries()) {
      for (const b of mine.slice(i + 1)) {
        expect(
          overlapArea(blocks[`appt-${a.id}`]!, blocks[`appt-${b.id}`]!),
          `${a.time} over ${b.time}`,
        ).toBeLessThan(1);
      }
    }
    await page.screenshot({ path: join(screenshotDir, 'calendar-grid-week.png'), fullPage: true });
  }, 90_000);
});
