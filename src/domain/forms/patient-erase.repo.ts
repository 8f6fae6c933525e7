import { and, eq, ne } from 'drizzle-orm';
import { countPointingAt } from '../../db/reassign.ts';
import { countWhere, deleteWhere } from '../../db/rows.ts';
import { definePatientEraseStep } from '../patient-erase.ts';

/**
 * The forms area's part of erasing a patient: a form the patient started or submitted is a form
 * response, clinical content (the record is restricted instead); one only sent, never opened, is
 * not. The erase (or the purge) deletes them all; their PDFs are documents (the documents area's).
 */
export const formsEraseStep = definePatientEraseStep({
  area: 'forms',
  deletes: ['patient_forms'],
  async clinical(ctx, patientId) {
    const f = ctx.t.patientForms;
    return { formResponses: await countWhere(ctx, f, and(eq(f.patientId, patientId), ne(f.status, 'sent'))) };
  },
  async count(ctx, patientId) {
    const f = ctx.t.patientForms;
    return { forms: await countPointingAt(ctx, f, f.patientId, patientId) };
  },
  async erase(ctx, patientId) {
    const f = ctx.t.patientForms;
    return { forms: await deleteWhere(ctx, f, eq(f.patientId, patientId)) };
  },
});
