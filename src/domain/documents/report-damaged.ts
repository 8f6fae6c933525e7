import { DateTime } from 'luxon';
import type { Actor } from '../audit/index.ts';
import { recordChange } from '../record-change.ts';
import type { DocumentsDeps } from './documents.deps.ts';
import { fileDamagedMessage } from './documents.messages.ts';
import type { DocumentRow } from './documents.repo.ts';

/**
 * A stored file that failed its check on read (a flipped byte, a cut or missing object): never
 * served. Reported where admins look: an error in the log, a `document.integrity-failed` audit row
 * (the audit page lists it) and an email to every active admin — once a day per document, however
 * often it is asked for. The report never fails the request further: the caller refuses it anyway.
 */
export async function reportDamagedFile(
  deps: DocumentsDeps,
  actor: Actor,
  doc: DocumentRow,
  error: unknown,
): Promise<void> {
  const detail = error instanceof Error ? error.name : 'unknown';
  deps.log.error('stored file failed its check', { documentId: doc.id, error: detail });
  try {
    const admins = (await deps.accounts.list()).filter((a) => a.role === 'admin' && a.status === 'active');
    const day = DateTime.fromJSDate(deps.clock.now(), { zone: 'utc' }).toISODate();
    await deps.db.tx(async (ctx) => {
      await recordChange(deps.audit, ctx, actor, 'document.integrity-failed', doc, { error: detail });
      for (const admin of admins) {
        await deps.notify.dispatch(ctx, {
          type: fileDamagedMessage.type,
          to: { staffId: admin.id },
          params: { documentId: doc.id, store: deps.files.store.location },
          key: `file-damaged:${doc.id}:${day}:${admin.id}`,
        });
      }
    });
  } catch (reportError) {
    deps.log.error('could not report a damaged file', {
      documentId: doc.id,
      error: reportError instanceof Error ? reportError.message : String(reportError),
    });
  }
}
