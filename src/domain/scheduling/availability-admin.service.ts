import { DateTime } from 'luxon';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound, validated, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import {
  deleteClosure,
  deleteExtraHours,
  deleteTimeOff,
  insertExtraHours,
  insertTimeOff,
  listClosuresFrom,
  listExtraHoursFrom,
  listTimeOffEndingFrom,
  upsertClosure,
} from './availability.repo.ts';
import { closureInput, extraHoursInput, roomInput, timeOffInput } from './availability-admin.schema.ts';
import { findPractitionerProfile } from './practitioners.repo.ts';
import {
  archiveRoomById,
  clearDefaultRoom,
  findActiveRoom,
  hasActiveRoom,
  insertRoom,
  listActiveRooms,
  markRoomDefault,
} from './rooms.repo.ts';

type AdminDeps = { db: Db; clock: Clock; audit: AuditService; clinic: ClinicService };

/**
 * What changes availability besides weekly hours — time off, clinic closures, dated extra hours —
 * and the rooms appointments take place in. Admins edit them; slot search and the booking
 * transaction read them live, so a change applies to the next search. Every change is audited.
 */
export function availabilityAdmin(deps: AdminDeps) {
  return { ...manageTimeOff(deps), ...manageClosures(deps), ...manageExtraHours(deps), ...manageRooms(deps) };
}

export type AvailabilityAdmin = ReturnType<typeof availabilityAdmin>;

/** Today's local date in the clinic. */
const clinicToday = async ({ clock, clinic }: AdminDeps) =>
  DateTime.fromJSDate(clock.now(), { zone: (await clinic.get()).timeZone }).toISODate()!;

function manageTimeOff({ db, clock, audit, clinic }: AdminDeps) {
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
        if (!(await findPractitionerProfile(ctx, d.practitionerId))) throw notFound('that_practitioner');
        await insertTimeOff(ctx, {
          id: newId(),
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
        const removed = await deleteTimeOff(ctx, id);
        if (!removed) throw notFound('That time off');
        await audit.record(ctx, actor, {
          action: 'time-off.remove',
          entity: 'practitioner',
          entityId: removed.practitionerId,
        });
      });
    },

    /** Time off that has not ended yet, soonest first. */
    listTimeOff() {
      return listTimeOffEndingFrom(db.reader, clock.now());
    },
  };
}

function manageClosures(deps: AdminDeps) {
  const { db, clock, audit } = deps;
  return {
    async addClosure(actor: Actor, input: z.input<typeof closureInput>): Promise<void> {
      const d = validated(closureInput, input);
      await db.tx(async (ctx) => {
        await upsertClosure(ctx, { date: d.date, reason: d.reason, createdAt: clock.now() });
        await audit.record(ctx, actor, { action: 'closure.add', entity: 'clinic', entityId: d.date });
      });
    },

    async removeClosure(actor: Actor, day: string): Promise<void> {
      await db.tx(async (ctx) => {
        if (!(await deleteClosure(ctx, day))) throw notFound('That closure');
        await audit.record(ctx, actor, { action: 'closure.remove', entity: 'clinic', entityId: day });
      });
    },

    async listClosures() {
      return listClosuresFrom(db.reader, await clinicToday(deps));
    },
  };
}

function manageExtraHours(deps: AdminDeps) {
  const { db, audit } = deps;
  return {
    async addExtraHours(actor: Actor, input: z.input<typeof extraHoursInput>): Promise<void> {
      const d = validated(extraHoursInput, input);
      await db.tx(async (ctx) => {
        if (!(await findPractitionerProfile(ctx, d.practitionerId))) throw notFound('that_practitioner');
        await insertExtraHours(ctx, {
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
        const removed = await deleteExtraHours(ctx, id);
        if (!removed) throw notFound('Those extra hours');
        await audit.record(ctx, actor, {
          action: 'extra-hours.remove',
          entity: 'practitioner',
          entityId: removed.practitionerId,
        });
      });
    },

    async listExtraHours() {
      return listExtraHoursFrom(db.reader, await clinicToday(deps));
    },
  };
}

function manageRooms({ db, clock, audit }: AdminDeps) {
  return {
    /** Rooms: one at most is the default, given to bookings that name none. */
    async addRoom(actor: Actor, input: z.input<typeof roomInput>): Promise<void> {
      const d = validated(roomInput, input);
      await db.tx(async (ctx) => {
        const isDefault = d.isDefault || !(await hasActiveRoom(ctx));
        if (isDefault) await clearDefaultRoom(ctx);
        const id = newId();
        await insertRoom(ctx, { id, name: d.name, isDefault, active: true, createdAt: clock.now() });
        await audit.record(ctx, actor, { action: 'room.add', entity: 'room', entityId: id });
      });
    },

    async setDefaultRoom(actor: Actor, id: string): Promise<void> {
      await db.tx(async (ctx) => {
        if (!(await findActiveRoom(ctx, id))) throw notFound('That room');
        await clearDefaultRoom(ctx);
        await markRoomDefault(ctx, id);
        await audit.record(ctx, actor, { action: 'room.set-default', entity: 'room', entityId: id });
      });
    },

    async archiveRoom(actor: Actor, id: string): Promise<void> {
      await db.tx(async (ctx) => {
        if (!(await archiveRoomById(ctx, id))) throw notFound('That room');
        await audit.record(ctx, actor, { action: 'room.archive', entity: 'room', entityId: id });
      });
    },

    listRooms() {
      return listActiveRooms(db.reader);
    },
  };
}
