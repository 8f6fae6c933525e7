import { and, eq, sql } from 'drizzle-orm';
import { execute } from '../../db/client.ts';
import { countPointingAt } from '../../db/reassign.ts';
import { countWhere, deleteWhere } from '../../db/rows.ts';
import { definePatientEraseStep } from '../patient-erase.ts';

/**
 * The chart's part of erasing a patient: treatment notes (drafts and signed) are clinical
 * content — a record that has any is restricted, not erased, until its retention period ends; then
 * the purge deletes them, their addenda and their words in the full-text index.
 */
export const chartEraseStep = definePatientEraseStep({
  area: 'chart',
  deletes: ['notes', 'note_addenda'],
  async clinical(ctx, patientId) {
    const n = ctx.t.notes;
    return {
      signedNotes: await countWhere(ctx, n, and(eq(n.patientId, patientId), eq(n.status, 'signed'))),
      draftNotes: await countWhere(ctx, n, and(eq(n.patientId, patientId), eq(n.status, 'draft'))),
    };
  },
  async count(ctx, patientId) {
    const { notes: n, noteAddenda: a } = ctx.t;
    return {
      notes: await countPointingAt(ctx, n, n.patientId, patientId),
      addenda: await countPointingAt(ctx, a, a.patientId, patientId),
    };
  },
  async erase(ctx, patientId) {
    const { notes: n, noteAddenda: a } = ctx.t;
    // The index (migration 0021, outside drizzle's schema) first: on PostgreSQL it references notes.
    await execute(
      ctx,
      ctx.dialect === 'sqlite'
        ? sql`delete from note_search where rowid in (select rowid from note_search where patient_id = ${patientId})`
        : sql`delete from note_search where patient_id = ${patientId}`,
    );
    const addenda = await deleteWhere(ctx, a, eq(a.patientId, patientId));
    return { notes: await deleteWhere(ctx, n, eq(n.patientId, patientId)), addenda };
  },
});
