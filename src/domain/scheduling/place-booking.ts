import type { DbCtx } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { ClinicSettings } from '../clinic/index.ts';
import { findPatientStatus } from '../patients/index.ts';
import {
  type AppointmentDeps,
  checkOffers,
  checkOnlineSlot,
  loadActiveService,
} from './appointment-steps.ts';
import { type Appointment, hasOverlappingAppointment, insertAppointment } from './appointments.repo.ts';
import type { AppointmentStatus } from './appointments.schema.ts';
import { type Booker, blockOf, endOf } from './booking-rules.ts';
import { findDefaultRoomId } from './rooms.repo.ts';
import type { Service } from './services.repo.ts';

/**
 * The one way a new appointment is put on a practitioner's timeline, for a single booking and
 * for each occurrence of a series alike.
 */

/**
 * Checks what a booking names before any time is looked at: an active service the practitioner
 * offers, an active patient. Answers the service.
 */
export async function checkBookable(
  ctx: DbCtx,
  booking: { practitionerId: string; serviceId: string; patientId: string },
): Promise<Service> {
  const service = await loadActiveService(ctx, booking.serviceId);
  await checkOffers(ctx, booking.practitionerId, service.id);
  const patient = await findPatientStatus(ctx, booking.patientId);
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

/**
 * Inserts one appointment, its audit row in the same transaction, once its block (buffers
 * included) is free — and, for a patient's booking, once online search would offer the time.
 * The caller holds the practitioner's lock (`lockPractitioner`). Answers null when the time is
 * taken, so a series can report the occurrence and go on; a single booking refuses it.
 */
export async function placeBooking(
  ctx: DbCtx,
  deps: Pick<AppointmentDeps, 'clock' | 'audit'>,
  b: NewBooking,
): Promise<Appointment | null> {
  const block = blockOf(b.service, b.start);
  if (await hasOverlappingAppointment(ctx, b.practitionerId, block)) return null;
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
    roomId: b.roomId ?? (await findDefaultRoomId(ctx)),
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
  return row;
}
