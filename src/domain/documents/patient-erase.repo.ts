import { and, eq, isNull, ne } from 'drizzle-orm';
import { countPointingAt } from '../../db/reassign.ts';
import { countWhere, deleteWhere } from '../../db/rows.ts';
import { definePatientEraseStep } from '../patient-erase.ts';

/**
 * The documents area's part of erasing a patient. Clinical content: every document on the chart
 * (not deleted) but a copy of an ID or insurance card (`id-insurance`, administrative) — a
 * referral, result, image, letter, consent or other file is kept by law, so the record is
 * restricted instead. The erase (or the purge) deletes the rows, then the stored objects once the
 * transaction has committed (the orphan sweeper removes any that a crash left behind).
 */
export const documentsEraseStep = definePatientEraseStep({
  area: 'documents',
  deletes: ['documents'],
  async clinical(ctx, patientId) {
    const d = ctx.t.documents;
    const live = and(eq(d.patientId, patientId), isNull(d.deletedAt), ne(d.category, 'id-insurance'));
    return { clinicalDocuments: await countWhere(ctx, d, live) };
  },
  async count(ctx, patientId) {
    const d = ctx.t.documents;
    return { documents: await countPointingAt(ctx, d, d.patientId, patientId) };
  },
  async erase(ctx, patientId, after) {
    const d = ctx.t.documents;
    const rows = await ctx.db
      .select({ objectKey: d.objectKey, purgedAt: d.purgedAt })
      .from(d)
      .where(eq(d.patientId, patientId));
    after.objects.push(...rows.filter((r) => !r.purgedAt).map((r) => r.objectKey));
    return { documents: await deleteWhere(ctx, d, eq(d.patientId, patientId)) };
  },
});
