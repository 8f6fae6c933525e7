import type { DbCtx } from '../../db/client.ts';
import { conflict, fieldIssue, notFound, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { ClinicSettings } from '../clinic/index.ts';
import { findPatientStatus } from '../patients/index.ts';
import {
  type AppointmentDeps,
  checkOffers,
  checkOnlineSlot,
  loadActiveService,
} from './appointment-steps.ts';
import {
  type Appointment,
  hasOverlappingAppointment,
  hasOverlappingRoomAppointment,
  insertAppointment,
} from './appointments.repo.ts';
import type { AppointmentStatus } from './appointments.schema.ts';
import { type Booker, blockOf, endOf, roomTaken } from './booking-rules.ts';
import { findRoomById, listActiveRoomsById, lockRoom } from './rooms.repo.ts';
import type { Service } from './services.repo.ts';

/**
 * The one way a new appointment is put on a practitioner's timeline, for a single booking and
 * for each occurrence of a series alike.
 */

/**
 * Checks what a booking names before any time is looked at: an active service the practitioner
 * offers, an active patient (an archived one: 409 patient_archived). Answers the service.
 */
export async function checkBookable(
  ctx: DbCtx,
  booking: { practitionerId: string; serviceId: string; patientId: string },
): Promise<Service> {
  const service = await loadActiveService(ctx, booking.serviceId);
  await checkOffers(ctx, booking.practitionerId, service.id);
  const patient = await findPatientStatus(ctx, booking.patientId);
  if (patient?.status === 'archived')
    throw conflict(
      'This patient’s record is archived: unarchive it on the chart to book.',
      'patient_archived',
    );
  if (patient?.status !== 'active') throw notFound('that_patient');
  return service;
}

export interface NewBooking {
  booker: Booker;
  patientId: string;
  practitionerId: string;
  service: Service;
  start: Date;
  /** None: the clinic's default room (if it has rooms). */
  roomId?: string | undefined;
  /** The reason for the visit (empty: none). */
  reason?: string | undefined;
  status: Extract<AppointmentStatus, 'booked' | 'requested'>;
  seriesId?: string | null | undefined;
  /** Booked as one occurrence of a series (said so in the audit row). */
  inSeries?: boolean;
  /** Given for a patient's own booking: the time must also be one online search offers. */
  online?: { settings: ClinicSettings } | undefined;
}

/** Why a time could not be placed: the practitioner, or the room asked for, is taken then. */
export type PlacementRefusal = 'slot_taken' | 'room_taken';

/**
 * Inserts one appointment, its audit row in the same transaction, once its block (buffers
 * included) is free for the practitioner and for its room — and, for a patient's booking, once
 * online search would offer the time. The caller holds the practitioner's lock
 * (`lockPractitioner`); the room's is taken here, after it (always in that order). Answers the
 * refusal when the time is taken, so a series can report the occurrence and go on; a single
 * booking refuses it.
 */
export async function placeBooking(
  ctx: DbCtx,
  deps: Pick<AppointmentDeps, 'clock' | 'audit'>,
  b: NewBooking,
): Promise<{ row: Appointment } | { refused: PlacementRefusal }> {
  const block = blockOf(b.service, b.start);
  if (await hasOverlappingAppointment(ctx, b.practitionerId, block)) return { refused: 'slot_taken' };
  const room = await claimRoom(ctx, block, b.roomId);
  if (room === 'taken') return { refused: 'room_taken' };
  if (b.online) {
    await checkOnlineSlot(ctx, deps, {
      settings: b.online.settings,
      service: b.service,
      practitionerId: b.practitionerId,
      start: b.start,
    });
  }
  const now = deps.clock.now();
  const row = await insertAppointment(ctx, {
    id: newId(),
    patientId: b.patientId,
    practitionerId: b.practitionerId,
    serviceId: b.service.id,
    roomId: room,
    startAt: b.start,
    endAt: endOf(b.service, b.start),
    blockStartAt: block.start,
    blockEndAt: block.end,
    status: b.status,
    lateCancel: false,
    seriesId: b.seriesId ?? null,
    visitReason: b.reason || null,
    bookedByType: b.booker.actor.type === 'patient' ? 'patient' : 'staff',
    bookedById: b.booker.actor.id,
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  await deps.audit.record(ctx, b.booker.actor, {
    action: 'appointment.book',
    entity: 'appointment',
    entityId: row.id,
    patientId: b.patientId,
    details: b.inSeries ? { status: b.status, series: true } : { status: b.status },
  });
  return { row };
}

/**
 * The room a new appointment takes, locked for the rest of the transaction. The room asked for
 * must be open (else 422 choose_open_room) and free for the whole block ('taken' otherwise).
 * None asked for: the default room if it is free, else another free room (by name), else none —
 * a room is never given twice, and a clinic whose rooms are all busy still books its practitioners.
 */
async function claimRoom(
  ctx: DbCtx,
  block: { start: Date; end: Date },
  roomId: string | undefined,
): Promise<string | null | 'taken'> {
  if (roomId) {
    const locked = await lockRoom(ctx, roomId);
    const room = locked ? await findRoomById(ctx, roomId) : null;
    if (!room?.active) throw validationFailed([fieldIssue('roomId', 'choose_open_room')]);
    return (await hasOverlappingRoomAppointment(ctx, roomId, block)) ? 'taken' : roomId;
  }
  // Every open room, locked in id order (as every booking locks them), then tried default first.
  const rooms = await listActiveRoomsById(ctx);
  for (const room of rooms) await lockRoom(ctx, room.id);
  const preferred = [...rooms].sort(
    (x, y) => Number(y.isDefault) - Number(x.isDefault) || x.name.localeCompare(y.name),
  );
  for (const room of preferred) {
    if (!(await hasOverlappingRoomAppointment(ctx, room.id, block))) return room.id;
  }
  return null;
}

/**
 * Keeps an appointment's room for its new block (a move): locks the room and refuses the move
 * (409 room_taken) when another appointment holds it then. The caller holds the practitioner's lock.
 */
export async function holdRoom(
  ctx: DbCtx,
  roomId: string | null,
  block: { start: Date; end: Date },
  appointmentId: string,
): Promise<void> {
  if (!roomId) return;
  await lockRoom(ctx, roomId);
  if (await hasOverlappingRoomAppointment(ctx, roomId, block, appointmentId)) throw roomTaken();
}
