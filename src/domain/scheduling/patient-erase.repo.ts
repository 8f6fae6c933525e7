import { and, desc, eq, gt, inArray, lt, notInArray, sql } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { countPointingAt } from '../../db/reassign.ts';
import { countWhere, deleteWhere, firstRow, updateWhere } from '../../db/rows.ts';
import { definePatientEraseStep } from '../patient-erase.ts';

/**
 * Scheduling's part of erasing a patient: the waiting-list entries go; the appointments stay, so
 * reports still count them (time, service, practitioner, room, status), with their free text (the
 * reason for the visit, a cancellation's reason) cleared. An upcoming one is cancelled by the
 * clinic (its time is given back; nobody is told: the record has no address any more).
 */

const open = ['requested', 'booked', 'arrived'] as const;
const notVisits = ['cancelled', 'no_show', 'requested'] as const;

export function schedulingEraseStep(now: () => Date) {
  return definePatientEraseStep({
    area: 'scheduling',
    deletes: ['waitlist_entries'],
    wipes: { appointments: ['visit_reason', 'cancel_reason', 'status', 'cancelled_by', 'cancelled_at'] },
    keeps: {
      appointments: [
        'id',
        'patient_id',
        'practitioner_id',
        'service_id',
        'room_id',
        'start_at',
        'end_at',
        'block_start_at',
        'block_end_at',
        'late_cancel',
        'series_id',
        'booked_by_type',
        'booked_by_id',
        'version',
        'created_at',
        'updated_at',
      ],
    },
    async count(ctx, patientId) {
      const { appointments: a, waitlistEntries: w } = ctx.t;
      return {
        appointments: await countPointingAt(ctx, a, a.patientId, patientId),
        upcomingCancelled: await countWhere(ctx, a, upcoming(ctx, patientId, now())),
        waitlistEntries: await countPointingAt(ctx, w, w.patientId, patientId),
      };
    },
    async erase(ctx, patientId) {
      const { appointments: a, waitlistEntries: w } = ctx.t;
      const at = now();
      const cancelled = await countWhere(ctx, a, upcoming(ctx, patientId, at));
      await updateWhere(ctx, a, upcoming(ctx, patientId, at), {
        status: 'cancelled',
        cancelledBy: 'clinic',
        cancelledAt: at,
        lateCancel: false,
        updatedAt: at,
        version: sql`${a.version} + 1`,
      });
      const appointments = await countPointingAt(ctx, a, a.patientId, patientId);
      await updateWhere(ctx, a, eq(a.patientId, patientId), {
        visitReason: null,
        cancelReason: null,
      });
      return {
        appointments,
        upcomingCancelled: cancelled,
        waitlistEntries: await deleteWhere(ctx, w, eq(w.patientId, patientId)),
      };
    },
  });
}

function upcoming(ctx: DbCtx, patientId: string, now: Date) {
  const a = ctx.t.appointments;
  return and(eq(a.patientId, patientId), inArray(a.status, [...open]), gt(a.startAt, now));
}

/** The start of the patient's last visit (a past appointment neither cancelled, missed nor only requested), or null. */
export async function findLastVisit(ctx: DbCtx, patientId: string, now: Date): Promise<Date | null> {
  const a = ctx.t.appointments;
  const row = await firstRow(
    ctx.db
      .select({ startAt: a.startAt })
      .from(a)
      .where(and(eq(a.patientId, patientId), notInArray(a.status, [...notVisits]), lt(a.startAt, now)))
      .orderBy(desc(a.startAt))
      .limit(1),
  );
  return row?.startAt ?? null;
}
