import { DateTime } from 'luxon';
import type { z } from 'zod';
import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { notFound, type Subject, validated, validationFailed } from '../../lib/errors.ts';
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

/**
 * In one transaction: `insert` an entry of the practitioner's hours (time off, extra hours) once
 * the practitioner is known, audited as `action` on them.
 */
function addToPractitioner(
  { db, audit }: AdminDeps,
  actor: Actor,
  action: string,
  practitionerId: string,
  insert: (ctx: DbCtx) => Promise<void>,
): Promise<void> {
  return db.tx(async (ctx) => {
    if (!(await findPractitionerProfile(ctx, practitionerId))) throw notFound('that_practitioner');
    await insert(ctx);
    await audit.record(ctx, actor, { action, entity: 'practitioner', entityId: practitionerId });
  });
}

/** In one transaction: `remove` an entry (`missing` when there is none), audited as `action` on its practitioner. */
function removeFromPractitioner(
  { db, audit }: AdminDeps,
  actor: Actor,
  action: string,
  remove: (ctx: DbCtx) => Promise<{ practitionerId: string } | null>,
  missing: Subject,
): Promise<void> {
  return db.tx(async (ctx) => {
    const removed = await remove(ctx);
    if (!removed) throw notFound(missing);
    await audit.record(ctx, actor, { action, entity: 'practitioner', entityId: removed.practitionerId });
  });
}

/** Today's local date in the clinic. */
const clinicToday = async ({ clock, clinic }: AdminDeps) =>
  DateTime.fromJSDate(clock.now(), { zone: (await clinic.get()).timeZone }).toISODate()!;

function manageTimeOff(deps: AdminDeps) {
  const { db, clock, clinic } = deps;
  return {
    async addTimeOff(actor: Actor, input: z.input<typeof timeOffInput>): Promise<void> {
      const d = validated(timeOffInput, input);
      const { timeZone } = await clinic.get();
      const start = DateTime.fromISO(`${d.fromDate}T${d.fromTime}`, { zone: timeZone });
      const end = DateTime.fromISO(`${d.toDate}T${d.toTime}`, { zone: timeZone });
      if (!start.isValid || !end.isValid || end <= start) {
        throw validationFailed([{ path: 'toDate', message: 'The time off must end after it starts.' }]);
      }
      await addToPractitioner(deps, actor, 'time-off.add', d.practitionerId, (ctx) =>
        insertTimeOff(ctx, {
          id: newId(),
          practitionerId: d.practitionerId,
          startAt: start.toJSDate(),
          endAt: end.toJSDate(),
          reason: d.reason,
          createdAt: clock.now(),
        }),
      );
    },

    removeTimeOff(actor: Actor, id: string): Promise<void> {
      const remove = (ctx: DbCtx) => deleteTimeOff(ctx, id);
      return removeFromPractitioner(deps, actor, 'time-off.remove', remove, 'That time off');
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
  const { db } = deps;
  return {
    async addExtraHours(actor: Actor, input: z.input<typeof extraHoursInput>): Promise<void> {
      const d = validated(extraHoursInput, input);
      await addToPractitioner(deps, actor, 'extra-hours.add', d.practitionerId, (ctx) =>
        insertExtraHours(ctx, {
          id: newId(),
          practitionerId: d.practitionerId,
          date: d.date,
          startTime: d.start,
          endTime: d.end,
        }),
      );
    },

    removeExtraHours(actor: Actor, id: string): Promise<void> {
      const remove = (ctx: DbCtx) => deleteExtraHours(ctx, id);
      return removeFromPractitioner(deps, actor, 'extra-hours.remove', remove, 'Those extra hours');
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
