import type { Context } from 'hono';
import { DateTime } from 'luxon';
import { type PanelDone, panelNotices } from '../../../views/pages/staff/appointment-panel.tsx';
import { redirect } from '../middleware/staff-auth.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import type { appointmentPanels } from './appointment-panel.tsx';
import { type CalendarPages, DATE } from './calendar-page.tsx';

/** The event (HX-Trigger) after which the calendar grid reloads; the grid's drag-to-move sends it too. */
export const CALENDAR_CHANGED = JSON.stringify({ 'calendar-changed': { target: 'body' } });

/** The page of one appointment's panel over its day (or week), with what was just done. */
export const panelUrl = (id: string, view: 'day' | 'week', day: string, done?: PanelDone) =>
  `/staff/appointments/${id}?view=${view}&date=${day}${done ? `&done=${done}` : ''}`;

/** A `done` from a URL or a status, if the panel has words for it. */
export const doneOf = (value: string | undefined): PanelDone | undefined =>
  value && Object.hasOwn(panelNotices, value) ? (value as PanelDone) : undefined;

type PanelOf = ReturnType<typeof appointmentPanels>;

/**
 * After a change went through: htmx gets the panel again, saying what was done, and the grid
 * is told to reload (`calendar-changed`); if the appointment is now on a day the page does not
 * show, the page goes there instead. Without JavaScript, the same panel as a page.
 */
export function afterChange(deps: HttpDeps, calendar: CalendarPages, panelOf: PanelOf) {
  /**
   * Whether the calendar page the member is on (htmx's HX-Current-URL) shows `day`: true, or the
   * view to open that day in (`false`: not a calendar page).
   */
  async function shownOnPage(current: string | undefined, day: string): Promise<boolean | 'day' | 'week'> {
    if (!current) return true;
    let url: URL;
    try {
      url = new URL(current);
    } catch {
      return true;
    }
    if (!/^\/staff\/(calendar|appointments\/[^/]+)\/?$/.test(url.pathname)) return false;
    const view = url.searchParams.get('view') === 'week' ? 'week' : 'day';
    const asked = url.searchParams.get('date') ?? '';
    const date = DATE.test(asked) ? asked : await calendar.dayOf(deps.clock.now().toISOString());
    if (view === 'day') return date === day || view;
    const first = DateTime.fromISO(date!).startOf('week');
    const at = DateTime.fromISO(day);
    return (at >= first && at < first.plus({ weeks: 1 })) || view;
  }

  return async function changed(c: Context<AppEnv>, id: string, day: string, done: PanelDone) {
    if (!c.req.header('hx-request')) return c.redirect(panelUrl(id, 'day', day, done), 303);
    const shown = await shownOnPage(c.req.header('hx-current-url'), day);
    if (shown === false) return redirect(c, panelUrl(id, 'day', day, done));
    if (shown !== true) return redirect(c, panelUrl(id, shown, day, done));
    c.header('HX-Trigger', CALENDAR_CHANGED);
    return c.html(await panelOf(c, id, { done }));
  };
}
