import { z } from 'zod';
import { type AreaJobs, defineJob, isLastAttempt, jobType } from '../../jobs/index.ts';
import { newId } from '../../lib/ids.ts';
import { systemActor } from '../audit/index.ts';
import { openArchiveShelf } from './archive-shelf.ts';
import type { BackupsDeps } from './backups.deps.ts';
import { findBackupRunOfJob, insertBackupRun, updateBackupRun } from './backups.repo.ts';
import { readableError } from './readable-error.ts';
import { archivesToDelete } from './retention.ts';
import { writeArchive } from './write-archive.ts';

/** One backup run: scheduled (payload {}) or asked for by an admin ("Back up now"). */
export const RUN_BACKUP = jobType(
  'backups.run',
  z.object({ trigger: z.enum(['schedule', 'manual']).default('schedule') }).passthrough(),
);
/** The schedule's stable id; its ticks and "Back up now" share one unique key, so runs never overlap. */
export const BACKUP_SCHEDULE_ID = 'backups.run';
export const BACKUP_JOB_KEY = `schedule:${BACKUP_SCHEDULE_ID}`;

export const BACKUP_MAX_ATTEMPTS = 5;
/** Retries after about 1, 2, 4 and 8 minutes (with jitter): a target back online, space freed. */
export const BACKUP_BACKOFF = { baseMs: 60_000, capMs: 30 * 60_000 };

export function backupsJobs(deps: BackupsDeps): AreaJobs {
  const { settings } = deps;
  /*
   * Writes one archive to the target, records the run (its row follows the job's attempts:
   * running, retrying with the last error, succeeded or failed), then applies retention. The
   * row is found by the job's id, so a retry or a run again after a crash continues the same
   * row; a run already succeeded is left as it is. Never logs or records a secret.
   */
  const run = defineJob(RUN_BACKUP, {
    maxAttempts: BACKUP_MAX_ATTEMPTS,
    backoff: BACKUP_BACKOFF,
    timeoutMs: 4 * 3_600_000,
    async handle(payload, ctx) {
      if (!settings) {
        ctx.log.warn('a backup job ran but no --backup-to is set here: nothing done');
        return;
      }
      const shelf = openArchiveShelf(settings.target, deps.config);
      const jobId = ctx.job.id;
      const began = deps.clock.now();
      let row = await findBackupRunOfJob(deps.db.reader, jobId);
      if (row?.status === 'succeeded') return;
      row = row
        ? await deps.db.tx((tx) =>
            updateBackupRun(tx, row!.id, {
              status: 'running',
              attempts: ctx.attempt,
              startedAt: row!.startedAt ?? began,
              target: shelf.location,
            }),
          )
        : await deps.db.tx((tx) =>
            insertBackupRun(tx, {
              id: newId(),
              jobId,
              trigger: payload.trigger,
              status: 'running',
              attempts: ctx.attempt,
              target: shelf.location,
              createdAt: began,
              startedAt: began,
            }),
          );
      const runId = row!.id;
      const started = performance.now();
      try {
        // Audit rows committed a moment ago are chained before the snapshot takes them.
        await deps.audit.seal();
        const written = await writeArchive(
          { config: deps.config, db: deps.db, clock: deps.clock, store: deps.files.store },
          shelf,
          settings.encryption,
        );
        const durationMs = Math.round(performance.now() - started);
        await deps.db.tx(async (tx) => {
          await updateBackupRun(tx, runId, {
            status: 'succeeded',
            archive: written.name,
            size: written.size,
            durationMs,
            error: null,
            finishedAt: deps.clock.now(),
          });
          await deps.audit.record(tx, systemActor, {
            action: 'backup.create',
            entity: 'backup',
            entityId: runId,
            details: { size: written.size, tables: written.tables, files: written.files },
          });
        });
        deps.lastSuccess.clear();
        ctx.log.info('backup written', {
          target: shelf.location,
          archive: written.name,
          size: written.size,
          durationMs,
        });
        await applyRetention(deps, shelf, ctx.log);
      } catch (error) {
        const last = isLastAttempt(ctx);
        const message = readableError(error);
        await deps.db.tx((tx) =>
          updateBackupRun(tx, runId, {
            status: last ? 'failed' : 'retrying',
            error: message,
            durationMs: Math.round(performance.now() - started),
            ...(last ? { finishedAt: deps.clock.now() } : {}),
          }),
        );
        ctx.log.warn(last ? 'backup failed' : 'backup attempt failed; will retry', {
          target: shelf.location,
          attempt: ctx.attempt,
          error: message,
        });
        throw new Error(message);
      } finally {
        await shelf.close();
      }
    },
  });

  return {
    definitions: [run],
    schedules: settings
      ? [
          {
            id: BACKUP_SCHEDULE_ID,
            cron: settings.schedule,
            // Read when the worker syncs its schedules, after start-up has read the clinic's zone.
            get timeZone() {
              return deps.timeZone();
            },
            job: RUN_BACKUP,
          },
        ]
      : [],
  };
}

/** Deletes the archives retention no longer keeps (only names Clinicbox gave); a failure is logged, never fatal. */
async function applyRetention(
  deps: BackupsDeps,
  shelf: ReturnType<typeof openArchiveShelf>,
  log: BackupsDeps['log'],
): Promise<void> {
  try {
    const doomed = archivesToDelete(await shelf.list(), deps.settings!.keep, deps.timeZone());
    for (const name of doomed) await shelf.remove(name);
    if (doomed.length)
      log.info('old backups removed (retention)', { count: doomed.length, archives: doomed });
  } catch (error) {
    log.warn('could not apply backup retention', { target: shelf.location, error: readableError(error) });
  }
}
