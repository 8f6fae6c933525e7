import { type AreaJobs, areaJobs, upkeepJob, upkeepJobType } from '../../jobs/index.ts';
import { systemActor } from '../audit/index.ts';
import { recordChange } from '../record-change.ts';
import type { StoredFilesRegistry } from '../stored-files.ts';
import type { DocumentsDeps } from './documents.deps.ts';
import { listDocumentsToPurge, markDocumentPurged } from './documents.repo.ts';

/** Hourly: removes the files of documents deleted longer ago than the retention period. */
export const PURGE_DELETED_DOCUMENTS = upkeepJobType('documents.purge-deleted', '17 * * * *');
/** Nightly: removes stored objects no area's rows name (an upload or a build that died before its row was written). */
export const SWEEP_ORPHAN_FILES = upkeepJobType('documents.sweep-orphans', '23 3 * * *');

/** An object younger than this may be an upload still on its way: the sweeper leaves it. */
export const ORPHAN_AGE_MS = 86_400_000;
const BATCH = 200;

export function documentsJobs(
  deps: DocumentsDeps,
  /** Every area's stored objects (filled once every area is built): what the sweep checks against. */
  storedFiles: StoredFilesRegistry,
): AreaJobs {
  /*
   * Purges, in batches, deleted documents past the retention period: the object first, then the
   * row marked purged (with an audit row) — a re-run after a crash removes an object already gone,
   * which is no error, and two runs at once audit each purge once. The row stays, for the record.
   */
  const purge = upkeepJob(PURGE_DELETED_DOCUMENTS, async () => {
    const before = new Date(deps.clock.now().getTime() - deps.retentionDays * 86_400_000);
    for (;;) {
      const rows = await listDocumentsToPurge(deps.db.reader, before, BATCH);
      for (const doc of rows) {
        await deps.files.remove(doc.objectKey);
        await deps.db.tx(async (ctx) => {
          if (!(await markDocumentPurged(ctx, doc.id, deps.clock.now()))) return;
          await recordChange(deps.audit, ctx, systemActor, 'document.purge', doc);
        });
      }
      if (rows.length < BATCH) return;
    }
  });

  /*
   * Lists the objects under every prefix an area writes to (documents, exports, imports…) and
   * removes those older than a day that no area's rows name (written, but the row never
   * committed: a crash, a failed transaction). Younger ones may be uploads in progress. Checked in
   * batches against every area's part (stored-files.ts); objects under no area's prefix are left.
   */
  const sweep = upkeepJob(
    SWEEP_ORPHAN_FILES,
    async () => {
      const cutoff = deps.clock.now().getTime() - ORPHAN_AGE_MS;
      let batch: string[] = [];
      let removed = 0;
      const flush = async () => {
        const known = await storedFiles.committed(deps.db.reader, batch);
        const orphans = batch.filter((key) => !known.has(key));
        for (const key of orphans) await deps.files.store.delete(key);
        removed += orphans.length;
        batch = [];
      };
      for (const prefix of storedFiles.prefixes()) {
        for await (const object of deps.files.store.list(prefix)) {
          if (object.modifiedAt.getTime() >= cutoff) continue;
          batch.push(object.key);
          if (batch.length >= BATCH) await flush();
        }
        if (batch.length) await flush();
      }
      if (removed) deps.log.info('removed orphan files', { count: removed });
    },
    { timeoutMs: 30 * 60_000 },
  );

  return areaJobs(purge, sweep);
}
