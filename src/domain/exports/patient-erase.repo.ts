import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { DbCtx } from '../../db/client.ts';
import { countWhere, updateWhere } from '../../db/rows.ts';
import { definePatientEraseStep } from '../patient-erase.ts';

/**
 * The exports area's part of erasing a patient: each export's zip is removed once the erasure has
 * committed, and its link ends now (so the hourly sweep removes the file too if that removal
 * failed). The rows stay: ids, times and sizes say nothing about the person.
 */
export function exportsEraseStep(now: () => Date) {
  return definePatientEraseStep({
    area: 'exports',
    deletes: [],
    wipes: { patient_exports: ['expires_at'] },
    keeps: {
      patient_exports: [
        'id',
        'patient_id',
        'requested_by_type',
        'requested_by_id',
        'status',
        'object_key',
        'wrapped_key',
        'size',
        'sha256',
        'created_at',
        'ready_at',
        'purged_at',
      ],
    },
    async count(ctx, patientId) {
      const e = ctx.t.patientExports;
      return { exportFiles: await countWhere(ctx, e, stored(ctx, patientId)) };
    },
    async erase(ctx, patientId, after) {
      const e = ctx.t.patientExports;
      const rows = await ctx.db.select({ objectKey: e.objectKey }).from(e).where(stored(ctx, patientId));
      after.objects.push(...rows.flatMap((r) => (r.objectKey ? [r.objectKey] : [])));
      await updateWhere(ctx, e, eq(e.patientId, patientId), { expiresAt: now() });
      return { exportFiles: rows.length };
    },
  });
}

function stored(ctx: DbCtx, patientId: string) {
  const e = ctx.t.patientExports;
  return and(eq(e.patientId, patientId), isNotNull(e.objectKey), isNull(e.purgedAt));
}
