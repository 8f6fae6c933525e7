import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import { newSecretToken, tokenId } from '../../lib/ids.ts';
import { findStaffMemberById } from '../accounts/index.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import { listPractitionerAppointmentsBetween } from './appointments.repo.ts';
import {
  deleteCalendarFeed,
  findCalendarFeed,
  hasCalendarFeed,
  listCalendarFeedOwners,
  replaceCalendarFeed,
} from './calendar-feeds.repo.ts';
import { calendarDocument } from './ical.ts';
import { findPractitionerProfile } from './practitioners.repo.ts';
import { withPatientNames } from './with-patients.ts';

const DAY = 86_400_000;

/** Whether the account is an active practitioner's: the only kind a feed serves. */
const isActivePractitioner = async (ctx: DbCtx, accountId: string) => {
  const member = await findStaffMemberById(ctx, accountId);
  return member?.status === 'active' && member.role === 'practitioner';
};

/**
 * A practitioner's appointments as an iCalendar feed at a secret URL, for their phone's calendar.
 * A calendar app stores the feed on someone else's servers, so events carry the patient's
 * initials and the service only — never a full name or anything clinical. Making a new link
 * kills the old one; every fetch is audited. A feed ends with its practitioner's access
 * (deactivation, role change: `endFor`, run by the accounts area), an admin can revoke it, and
 * it serves only an active practitioner's account whatever was left in the table.
 */
export function calendarFeeds(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  clinic: ClinicService;
  baseUrl: string;
}) {
  const { db, clock, audit, clinic } = deps;

  return {
    /** A new secret feed URL for the practitioner (the previous one stops working). */
    async issue(actor: Actor, practitionerId: string): Promise<string> {
      const token = newSecretToken();
      await db.tx(async (ctx) => {
        if (
          !(await findPractitionerProfile(ctx, practitionerId)) ||
          !(await isActivePractitioner(ctx, practitionerId))
        )
          throw notFound('that_practitioner');
        await replaceCalendarFeed(ctx, practitionerId, tokenId(token), clock.now());
        await audit.record(ctx, actor, {
          action: 'calendar-feed.issue',
          entity: 'practitioner',
          entityId: practitionerId,
        });
      });
      return `${deps.baseUrl}/ical/${token}.ics`;
    },

    /** Admin: ends a member's feed link (audited); 404 when they have none. */
    async revoke(actor: Actor, practitionerId: string): Promise<void> {
      await db.tx(async (ctx) => {
        if (!(await deleteCalendarFeed(ctx, practitionerId))) throw notFound('That calendar feed');
        await audit.record(ctx, actor, {
          action: 'calendar-feed.revoke',
          entity: 'practitioner',
          entityId: practitionerId,
        });
      });
    },

    /**
     * Ends the member's feed link in the caller's transaction, when their access ends (`reason`:
     * the change's audit action); audited when there was one.
     */
    async endFor(ctx: DbCtx, actor: Actor, accountId: string, reason: string): Promise<void> {
      if (!(await deleteCalendarFeed(ctx, accountId))) return;
      await audit.record(ctx, actor, {
        action: 'calendar-feed.end',
        entity: 'practitioner',
        entityId: accountId,
        details: { reason },
      });
    },

    /** The members who have a feed link (the staff page offers to revoke theirs). */
    async owners(): Promise<Set<string>> {
      return new Set(await listCalendarFeedOwners(db.reader));
    },

    /** Whether the practitioner has a live feed link. */
    async has(practitionerId: string): Promise<boolean> {
      return hasCalendarFeed(db.reader, practitionerId);
    },

    /**
     * The feed for a token: the last 30 and next 180 days; null for an unknown token, or one whose
     * account is no longer an active practitioner's.
     */
    async render(token: string, from: Actor): Promise<string | null> {
      if (!/^[\w-]{43}$/.test(token)) return null;
      const feed = await findCalendarFeed(db.reader, tokenId(token));
      if (!feed || !(await isActivePractitioner(db.reader, feed.practitionerId))) return null;
      const now = clock.now().getTime();
      const rows = await withPatientNames(
        db.reader,
        await listPractitionerAppointmentsBetween(db.reader, feed.practitionerId, {
          from: new Date(now - 30 * DAY),
          to: new Date(now + 180 * DAY),
        }),
        (r) => r.appointment.patientId,
      );
      const practitioner: Actor = { ...from, type: 'staff', id: feed.practitionerId };
      const event = { action: 'calendar-feed.read', entity: 'practitioner', entityId: feed.practitionerId };
      await audit.recordListRead(practitioner, event, rows);
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
