import { and, asc, eq, gte } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound, validated, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';

const date = z.iso.date({ error: 'Enter a date.' });
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time such as 09:30.');

export const timeOffInput = z.object({
  practitionerId: z.string().min(1, 'Choose a practitioner.'),
  fromDate: date,
  fromTime: time.default('00:00'),
  toDate: date,
  toTime: time.default('23:59'),
  reason: z.string().trim().max(200).default(''),
});
export const closureInput = z.object({
  date,
  reason: z.string().trim().min(1, 'Say why (shown to staff).').max(200),
});
export const extraHoursInput = z
  .object({ practitionerId: z.string().min(1, 'Choose a practitioner.'), date, start: time, end: time })
  .refine((x) => x.end > x.start, { message: 'The hours must end after they start.', path: ['end'] });
export const roomInput = z.object({
  name: z.string().trim().min(1, 'Name the room.').max(80),
  isDefault: z.boolean(),
});

/**
 * What changes availability besides weekly hours — time off, clinic closures, dated extra hours —
 * and the rooms appointments take place in. Admins edit them; slot search and the booking
 * transaction read them live, so a change applies to the next search. Every change is audited.
 */
export function availabilityAdmin(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  clinic: ClinicService;
}) {
  const { db, clock, audit, clinic } = deps;
  const t = db.reader.t;
  const today = async () =>
    DateTime.fromJSDate(clock.now(), { zone: (await clinic.get()).timeZone }).toISODate()!;

  return {
    async addTimeOff(actor: Actor, input: z.input<typeof timeOffInput>): Promise<void> {
      const d = validated(timeOffInput, input);
      const { timeZone } = await clinic.get();
      const start = DateTime.fromISO(`${d.fromDate}T${d.fromTime}`, { zone: timeZone });
      const end = DateTime.fromISO(`${d.toDate}T${d.toTime}`, { zone: timeZone });
      if (!start.isValid || !end.isValid || end <= start) {
        throw validationFailed([{ path: 'toDate', message: 'The time off must end after it starts.' }]);
      }
      await db.tx(async (ctx) => {
        const [p] = await ctx.db
          .select({ id: ctx.t.practitionerProfiles.accountId })
          .from(ctx.t.practitionerProfiles)
          .where(eq(ctx.t.practitionerProfiles.accountId, d.practitionerId));
        if (!p) throw notFound('That practitioner');
        const id = newId();
        await ctx.db.insert(ctx.t.timeOff).values({
          id,
          practitionerId: d.practitionerId,
          startAt: start.toJSDate(),
          endAt: end.toJSDate(),
          reason: d.reason,
          createdAt: clock.now(),
        });
        await audit.record(ctx, actor, {
          action: 'time-off.add',
          entity: 'practitioner',
          entityId: d.practitionerId,
        });
      });
    },

    async removeTimeOff(actor: Actor, id: string): Promise<void> {
      await db.tx(async (ctx) => {
        const rows = await ctx.db.delete(ctx.t.timeOff).where(eq(ctx.t.timeOff.id, id)).returning();
        if (!rows[0]) throw notFound('That time off');
        await audit.record(ctx, actor, {
          action: 'time-off.remove',
          entity: 'practitioner',
          entityId: rows[0].practitionerId,
        });
      });
    },

    /** Time off that has not ended yet, soonest first. */
    listTimeOff() {
      return db.reader.db
        .select()
        .from(t.timeOff)
        .where(gte(t.timeOff.endAt, clock.now()))
        .orderBy(asc(t.timeOff.startAt));
    },

    async addClosure(actor: Actor, input: z.input<typeof closureInput>): Promise<void> {
      const d = validated(closureInput, input);
      await db.tx(async (ctx) => {
        await ctx.db
          .insert(ctx.t.clinicClosures)
          .values({ date: d.date, reason: d.reason, createdAt: clock.now() })
          .onConflictDoUpdate({ target: ctx.t.clinicClosures.date, set: { reason: d.reason } });
        await audit.record(ctx, actor, { action: 'closure.add', entity: 'clinic', entityId: d.date });
      });
    },

    async removeClosure(actor: Actor, day: string): Promise<void> {
      await db.tx(async (ctx) => {
        const rows = await ctx.db
          .delete(ctx.t.clinicClosures)
          .where(eq(ctx.t.clinicClosures.date, day))
          .returning();
        if (!rows[0]) throw notFound('That closure');
        await audit.record(ctx, actor, { action: 'closure.remove', entity: 'clinic', entityId: day });
      });
    },

    async listClosures() {
      return db.reader.db
        .select()
        .from(t.clinicClosures)
        .where(gte(t.clinicClosures.date, await today()))
        .orderBy(asc(t.clinicClosures.date));
    },

    async addExtraHours(actor: Actor, input: z.input<typeof extraHoursInput>): Promise<void> {
      const d = validated(extraHoursInput, input);
      await db.tx(async (ctx) => {
        const [p] = await ctx.db
          .select({ id: ctx.t.practitionerProfiles.accountId })
          .from(ctx.t.practitionerProfiles)
          .where(eq(ctx.t.practitionerProfiles.accountId, d.practitionerId));
        if (!p) throw notFound('That practitioner');
        await ctx.db.insert(ctx.t.availabilityExceptions).values({
          id: newId(),
          practitionerId: d.practitionerId,
          date: d.date,
          startTime: d.start,
          endTime: d.end,
        });
        await audit.record(ctx, actor, {
          action: 'extra-hours.add',
          entity: 'practitioner',
          entityId: d.practitionerId,
        });
      });
    },

    async removeExtraHours(actor: Actor, id: string): Promise<void> {
      await db.tx(async (ctx) => {
        const rows = await ctx.db
          .delete(ctx.t.availabilityExceptions)
          .where(eq(ctx.t.availabilityExceptions.id, id))
          .returning();
        if (!rows[0]) throw notFound('Those extra hours');
        await audit.record(ctx, actor, {
          action: 'extra-hours.remove',
          entity: 'practitioner',
          entityId: rows[0].practitionerId,
        });
      });
    },

    async listExtraHours() {
      return db.reader.db
        .select()
        .from(t.availabilityExceptions)
        .where(gte(t.availabilityExceptions.date, await today()))
        .orderBy(asc(t.availabilityExceptions.date), asc(t.availabilityExceptions.startTime));
    },

    /** Rooms: one at most is the default, given to bookings that name none. */
    async addRoom(actor: Actor, input: z.input<typeof roomInput>): Promise<void> {
      const d = validated(roomInput, input);
      await db.tx(async (ctx) => {
        const [any] = await ctx.db
          .select({ id: ctx.t.rooms.id })
          .from(ctx.t.rooms)
          .where(eq(ctx.t.rooms.active, true))
          .limit(1);
        const isDefault = d.isDefault || !any;
        if (isDefault) await ctx.db.update(ctx.t.rooms).set({ isDefault: false });
        const id = newId();
        await ctx.db
          .insert(ctx.t.rooms)
          .values({ id, name: d.name, isDefault, active: true, createdAt: clock.now() });
        await audit.record(ctx, actor, { action: 'room.add', entity: 'room', entityId: id });
      });
    },

    async setDefaultRoom(actor: Actor, id: string): Promise<void> {
      await db.tx(async (ctx) => {
        const [room] = await ctx.db
          .select()
          .from(ctx.t.rooms)
          .where(and(eq(ctx.t.rooms.id, id), eq(ctx.t.rooms.active, true)));
        if (!room) throw notFound('That room');
        await ctx.db.update(ctx.t.rooms).set({ isDefault: false });
        await ctx.db.update(ctx.t.rooms).set({ isDefault: true }).where(eq(ctx.t.rooms.id, id));
        await audit.record(ctx, actor, { action: 'room.set-default', entity: 'room', entityId: id });
      });
    },

    async archiveRoom(actor: Actor, id: string): Promise<void> {
      await db.tx(async (ctx) => {
        const rows = await ctx.db
          .update(ctx.t.rooms)
          .set({ active: false, isDefault: false })
          .where(eq(ctx.t.rooms.id, id))
          .returning();
        if (!rows[0]) throw notFound('That room');
        await audit.record(ctx, actor, { action: 'room.archive', entity: 'room', entityId: id });
      });
    },

    listRooms() {
      return db.reader.db.select().from(t.rooms).where(eq(t.rooms.active, true)).orderBy(asc(t.rooms.name));
    },
  };
}

export type AvailabilityAdmin = ReturnType<typeof availabilityAdmin>;
