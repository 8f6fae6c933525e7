import type { Db } from '../../db/client.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { actingStaff, can, type StaffRole } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { DocumentRow } from './documents.repo.ts';
import { clinicalCategories, type DocumentCategory, documentCategories } from './documents.schema.ts';

/**
 * Who may see and change which documents. Staff: `patients.read` / `patients.write` for every
 * document, and for the clinical categories `clinical.read` / `clinical.write` besides (so the
 * front desk handles ID and insurance papers but never reads a lab result). The system (jobs, the
 * CLI) may do anything. Patients go through their own use cases, held to their own documents.
 * The route's policy already checked the first permission; this checks again, with the role
 * read from the database, so a use case called from anywhere keeps the rule.
 */
export type DocumentAccess = 'read' | 'write';

/** The categories a role may read (or change). */
export function categoriesFor(role: StaffRole | 'system', access: DocumentAccess): DocumentCategory[] {
  if (role === 'system') return [...documentCategories];
  if (!can(role, access === 'read' ? 'patients.read' : 'patients.write')) return [];
  const clinical = can(role, access === 'read' ? 'clinical.read' : 'clinical.write');
  return documentCategories.filter((c) => clinical || !clinicalCategories.includes(c));
}

/** The acting staff member's role ('system' for the system); patients and unknown staff are refused. */
export async function staffRoleOf(db: Db, actor: Actor): Promise<StaffRole | 'system'> {
  if (actor.type === 'system') return 'system';
  return (await actingStaff(db.reader, actor)).role;
}

/** Refuses unless the role may `access` a document of `category`. */
export function assertMay(
  role: StaffRole | 'system',
  access: DocumentAccess,
  category: DocumentCategory,
): void {
  if (categoriesFor(role, access).includes(category)) return;
  throw forbidden(
    clinicalCategories.includes(category)
      ? 'Clinical documents need a clinical role. Ask an administrator if you need it.'
      : 'Your role does not allow this. Ask an administrator if you need it.',
  );
}

/**
 * What a patient may see: a document of a record in their scope (their own, a dependant's) that
 * staff shared, or that was uploaded from the app — never deleted. Anything else is "not found",
 * as if it did not exist.
 */
export function assertPatientMaySee(
  scope: ReadonlySet<string>,
  doc: DocumentRow | null,
): asserts doc is DocumentRow {
  if (
    !doc ||
    !scope.has(doc.patientId) ||
    doc.deletedAt ||
    !(doc.sharedWithPatient || doc.source === 'patient')
  )
    throw notFound('that_document');
}
