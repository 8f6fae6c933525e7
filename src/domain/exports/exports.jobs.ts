import { z } from 'zod';
import {
  type AreaJobs,
  areaJobs,
  defineJob,
  jobType,
  markFailedOnLastAttempt,
  upkeepJob,
  upkeepJobType,
} from '../../jobs/index.ts';
import { systemActor } from '../audit/index.ts';
import { recordChange } from '../record-change.ts';
import { buildExportZip } from './build-export.ts';
import type { ExportsDeps } from './exports.deps.ts';
import { findExportById, listExpiredExports, updateExport } from './exports.repo.ts';

/** Builds one export's zip (carries the export's id only). */
export const BUILD_EXPORT = jobType('exports.build', z.object({ exportId: z.string() }));
/** Hourly: removes the files of exports whose 24 hours are over (the row stays, as expired). */
export const PURGE_EXPIRED_EXPORTS = upkeepJobType('exports.purge-expired', '17 * * * *');

/** How long a built export may be downloaded. */
export const EXPORT_TTL_MS = 24 * 3_600_000;

export function exportsJobs(deps: ExportsDeps): AreaJobs {
  /*
   * Builds the zip as the person who asked reads the record, stores it encrypted, then marks the
   * export ready for 24 hours (audited as built). Run again, a ready export is left as it is; the
   * last failed attempt marks it failed, so the chart and the app stop waiting.
   */
  const build = defineJob(BUILD_EXPORT, {
    maxAttempts: 4,
    backoff: { baseMs: 30_000, capMs: 600_000 },
    timeoutMs: 30 * 60_000,
    async handle(p, ctx) {
      const row = await findExportById(deps.db.reader, p.exportId);
      if (!row || row.status !== 'queued') return;
      await markFailedOnLastAttempt(
        ctx,
        async () => {
          const { file, counts } = await buildExportZip(deps, row);
          const now = deps.clock.now();
          await deps.db.tx(async (tx) => {
            await updateExport(tx, row.id, {
              status: 'ready',
              objectKey: file.objectKey,
              wrappedKey: file.wrappedKey,
              size: file.size,
              sha256: file.sha256,
              readyAt: now,
              expiresAt: new Date(now.getTime() + EXPORT_TTL_MS),
            });
            await recordChange(deps.audit, tx, systemActor, 'export.build', row, {
              ...counts,
              size: file.size,
            });
          });
        },
        () =>
          deps.db.tx(async (tx) => {
            await updateExport(tx, row.id, { status: 'failed' });
            await recordChange(deps.audit, tx, systemActor, 'export.fail', row);
          }),
      );
    },
  });

  const purge = upkeepJob(PURGE_EXPIRED_EXPORTS, async () => {
    for (const row of await listExpiredExports(deps.db.reader, deps.clock.now())) {
      if (row.objectKey) await deps.files.remove(row.objectKey);
      await deps.db.tx((tx) => updateExport(tx, row.id, { purgedAt: deps.clock.now() }));
    }
  });

  return areaJobs(build, purge);
}
