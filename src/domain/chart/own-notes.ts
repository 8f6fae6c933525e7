import { notFound, unauthorized } from '../../lib/errors.ts';
import type { Actor } from '../audit/index.ts';
import { patientScope } from '../patients/index.ts';
import type { ChartDeps } from './chart.deps.ts';
import { listPatientNotes } from './chart.repo.ts';
import { type NoteRead, readOpened } from './read-note.ts';

/**
 * A patient's signed notes, oldest first, for the copy of their record they ask for (GDPR
 * access and portability: the app's "Download my data"); the app itself shows no notes. Only the
 * patient's own record or a dependant's (`patientScope`); else 404. Drafts are not part of the
 * record. Each note is an audited read by the patient.
 */
export async function signedNotesForPatient(
  deps: ChartDeps,
  actor: Actor,
  patientId: string,
): Promise<NoteRead[]> {
  if (actor.type !== 'patient' || !actor.id) throw unauthorized();
  const scope = await patientScope(deps.db.reader, actor.id, deps.clock.now());
  if (!scope.has(patientId)) throw notFound('that_patient');
  const rows = (await listPatientNotes(deps.db.reader, patientId))
    .map((r) => r.note)
    .filter((n) => n.status === 'signed')
    .reverse();
  const reads: NoteRead[] = [];
  for (const row of rows) reads.push(await readOpened(deps, actor, row, { for: 'export' }));
  return reads;
}
