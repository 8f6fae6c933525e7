import { and, asc, eq, gt, lt, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import { newSecretToken, tokenId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import { calendarDocument } from './ical.ts';

const DAY = 86_400_000;

/**
 * A practitioner's appointments as an iCalendar feed at a secret URL, for their phone's calendar.
 * A calendar app stores the feed on someone else's servers, so events carry the patient's
 * initials and the service only — never a full name or anything clinical. Making a new link
 * kills the old one; every fetch is audited.
 */
export function calendarFeeds(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  clinic: ClinicService;
  baseUrl: string;
}) {
  const { db, clock, audit, clinic } = deps;
  const t = db.reader.t;

  return {
    /** A new secret feed URL for the practitioner (the previous one stops working). */
    async issue(actor: Actor, practitionerId: string): Promise<string> {
      const token = newSecretToken();
      await db.tx(async (ctx) => {
        const [profile] = await ctx.db
          .select({ id: ctx.t.practitionerProfiles.accountId })
          .from(ctx.t.practitionerProfiles)
          .where(eq(ctx.t.practitionerProfiles.accountId, practitionerId));
        if (!profile) throw notFound('That practitioner');
        await ctx.db
          .delete(ctx.t.calendarFeeds)
          .where(eq(ctx.t.calendarFeeds.practitionerId, practitionerId));
        await ctx.db
          .insert(ctx.t.calendarFeeds)
          .values({ tokenHash: tokenId(token), practitionerId, createdAt: clock.now() });
        await audit.record(ctx, actor, {
          action: 'calendar-feed.issue',
          entity: 'practitioner',
          entityId: practitionerId,
        });
      });
      return `${deps.baseUrl}/ical/${token}.ics`;
    },

    /** Whether the practitioner has a live feed link. */
    async has(practitionerId: string): Promise<boolean> {
      const rows = await db.reader.db
        .select({ id: t.calendarFeeds.tokenHash })
        .from(t.calendarFeeds)
        .where(eq(t.calendarFeeds.practitionerId, practitionerId));
      return rows.length > 0;
    },

    /** The feed for a token: the last 30 and next 180 days; null for an unknown token. */
    async render(token: string, from: Actor): Promise<string | null> {
      if (!/^[\w-]{43}$/.test(token)) return null;
      const [feed] = await db.reader.db
        .select({ practitionerId: t.calendarFeeds.practitionerId, name: t.practitionerProfiles.displayName })
        .from(t.calendarFeeds)
        .innerJoin(
          t.practitionerProfiles,
          eq(t.practitionerProfiles.accountId, t.calendarFeeds.practitionerId),
        )
        .where(eq(t.calendarFeeds.tokenHash, tokenId(token)));
      if (!feed) return null;
      const now = clock.now().getTime();
      const a = t.appointments;
      const rows = await db.reader.db
        .select({
          appointment: a,
          patient: { firstName: t.patients.firstName, lastName: t.patients.lastName },
          service: { name: t.services.name },
        })
        .from(a)
        .innerJoin(t.patients, eq(t.patients.id, a.patientId))
        .innerJoin(t.services, eq(t.services.id, a.serviceId))
        .where(
          and(
            eq(a.practitionerId, feed.practitionerId),
            gt(a.blockStartAt, new Date(now - 30 * DAY)),
            lt(a.blockStartAt, new Date(now + 180 * DAY)),
            ne(a.status, 'cancelled'),
          ),
        )
        .orderBy(asc(a.startAt));
      await audit.recordRead(
        { ...from, type: 'staff', id: feed.practitionerId },
        {
          action: 'calendar-feed.read',
          entity: 'practitioner',
          entityId: feed.practitionerId,
          details: { count: rows.length },
        },
      );
      const settings = await clinic.get();
      const initials = (p: { firstName: string; lastName: string }) =>
        `${p.firstName.slice(0, 1)}. ${p.lastName.slice(0, 1)}.`;
      const base = deps.baseUrl;
      return calendarDocument({
        name: `${settings.name} — ${feed.name}`,
        events: rows.map(({ appointment: ap, patient, service }) => ({
          id: ap.id,
          start: ap.startAt,
          end: ap.endAt,
          summary: `${service.name} · ${initials(patient)}`,
          description: `${base}/staff/appointments/${ap.id}`,
          location: settings.address,
          sequence: ap.version,
          updatedAt: ap.updatedAt,
        })),
      });
    },
  };
}

export type CalendarFeeds = ReturnType<typeof calendarFeeds>;
