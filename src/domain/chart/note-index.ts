import type { DbCtx } from '../../db/client.ts';
import type { ChartDeps } from './chart.deps.ts';
import { indexNoteText, listAddenda, type NoteRow, notesMissingFromIndex } from './chart.repo.ts';
import type { TemplateField } from './chart.schema.ts';
import { searchText } from './search-text.ts';
import { versionFieldsOf } from './templates.ts';

/**
 * Keeps the notes' full-text index (migration 0021) in step with the notes: a note's words are
 * written again, in the same transaction, whenever it is created, saved or given an addendum
 * (`fields`: its template version's, read before the transaction).
 */
export async function indexNote(ctx: DbCtx, note: NoteRow, fields: readonly TemplateField[]): Promise<void> {
  const addenda = note.status === 'signed' ? (await listAddenda(ctx, note.id)).map((a) => a.text) : [];
  await indexNoteText(ctx, note.id, note.patientId, searchText(fields, JSON.parse(note.answers), addenda));
}

const backfills = new WeakMap<ChartDeps, Promise<void>>();

/**
 * Indexes the notes written before the index existed, once per process before the first search
 * (a few hundred at a time; nothing to do after that but one query).
 */
export function indexMissingNotes(deps: ChartDeps): Promise<void> {
  let done = backfills.get(deps);
  if (!done) {
    done = (async () => {
      for (;;) {
        const missing = await notesMissingFromIndex(deps.db.reader, 200);
        if (!missing.length) return;
        const fields = await Promise.all(
          missing.map((n) => versionFieldsOf(deps, n.templateId, n.templateVersion)),
        );
        await deps.db.tx(async (ctx) => {
          for (const [i, note] of missing.entries()) await indexNote(ctx, note, fields[i]!);
        });
      }
    })();
    done.catch(() => backfills.delete(deps));
    backfills.set(deps, done);
  }
  return done;
}
