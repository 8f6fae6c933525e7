import { nextRun } from '../../jobs/index.ts';
import { newId } from '../../lib/ids.ts';
import { type Actor, systemActor } from '../audit/index.ts';
import { openArchiveShelf } from './archive-shelf.ts';
import type { BackupsDeps } from './backups.deps.ts';
import { BACKUP_JOB_KEY, RUN_BACKUP } from './backups.jobs.ts';
import {
  type BackupRunRow,
  findActiveBackupRun,
  findBackupRunById,
  findBackupRunOfJob,
  findLastSuccessfulBackup,
  insertBackupRun,
  listRecentBackupRuns,
} from './backups.repo.ts';

/** After this long without a successful backup, admins are warned on every page (and by doctor). */
export const BACKUP_STALE_MS = 48 * 3_600_000;

export type BackupRun = BackupRunRow;

/** What the Backups page shows. */
export interface BackupsOverview {
  /** Null when no `--backup-to` is set. */
  target: string | null;
  schedule: string | null;
  timeZone: string;
  nextRunAt: Date | null;
  lastSuccess: BackupRun | null;
  /** No success ever, or none for 48 hours. */
  stale: boolean;
  /** The run queued, running or between attempts, if any. */
  active: BackupRun | null;
  recent: BackupRun[];
  keep: { daily: number; weekly: number; monthly: number };
}

/** Whether admins should be warned: no successful backup ever, or none for 48 hours. */
export interface BackupStaleness {
  stale: boolean;
  lastSuccessAt: Date | null;
}

export function backupsService(deps: BackupsDeps) {
  const { settings } = deps;
  const lastSuccessAt = async (): Promise<Date | null> => {
    const { at } = await deps.lastSuccess.getOrLoad('last', async () => {
      const row = await findLastSuccessfulBackup(deps.db.reader);
      return { at: row?.finishedAt?.getTime() ?? null };
    });
    return at === null ? null : new Date(at);
  };

  return {
    /** Whether scheduled backups are configured (a target and a way to encrypt). */
    get configured(): boolean {
      return settings !== null;
    },

    /**
     * When the last backup succeeded and whether that is too long ago. Cached for a minute per
     * instance (every admin page asks), dropped at once when this instance finishes a backup.
     */
    async staleness(): Promise<BackupStaleness> {
      const at = await lastSuccessAt();
      const stale = at === null || deps.clock.now().getTime() - at.getTime() > BACKUP_STALE_MS;
      return { stale, lastSuccessAt: at };
    },

    async overview(): Promise<BackupsOverview> {
      const reader = deps.db.reader;
      const [lastSuccess, active, recent] = await Promise.all([
        findLastSuccessfulBackup(reader),
        findActiveBackupRun(reader),
        listRecentBackupRuns(reader, 10),
      ]);
      const timeZone = deps.timeZone();
      // Read fresh here: the cached answer of every page catches up at once (another instance's
      // worker may have finished a backup within the cache's minute).
      const lastAt = lastSuccess?.finishedAt ?? null;
      deps.lastSuccess.set('last', { at: lastAt?.getTime() ?? null });
      return {
        stale: lastAt === null || deps.clock.now().getTime() - lastAt.getTime() > BACKUP_STALE_MS,
        target: settings ? openArchiveShelf(settings.target, deps.config).location : null,
        schedule: settings?.schedule ?? null,
        timeZone,
        nextRunAt: settings ? nextRun(settings.schedule, timeZone, deps.clock.now()) : null,
        lastSuccess,
        active,
        recent,
        keep: settings?.keep ?? { daily: 0, weekly: 0, monthly: 0 },
      };
    },

    /** One run, for the page's polling of a run it started. */
    run: (id: string): Promise<BackupRun | null> => findBackupRunById(deps.db.reader, id),

    /**
     * A backup `clinicbox backup` wrote (cron, or by hand): recorded as a succeeded run, audited,
     * so the Backups page lists it and the 48-hour warning counts it.
     */
    async recordCommandBackup(written: {
      target: string;
      archive: string;
      size: number;
      startedAt: Date;
      durationMs: number;
    }): Promise<BackupRun> {
      const run = await deps.db.tx(async (tx) => {
        const row = await insertBackupRun(tx, {
          id: newId(),
          jobId: null,
          trigger: 'command',
          requestedBy: null,
          status: 'succeeded',
          attempts: 1,
          target: written.target,
          archive: written.archive,
          size: written.size,
          durationMs: written.durationMs,
          createdAt: written.startedAt,
          startedAt: written.startedAt,
          finishedAt: deps.clock.now(),
        });
        await deps.audit.record(tx, systemActor, {
          action: 'backup.create',
          entity: 'backup',
          entityId: row.id,
          details: { size: written.size, by: 'command' },
        });
        return row;
      });
      deps.lastSuccess.clear();
      return run;
    },

    /**
     * "Back up now": enqueues a backup at once (audited), or joins the one already queued or
     * running (the schedule's ticks and this share one job key). Answers that run. Null when no
     * target is configured.
     */
    async backUpNow(actor: Actor): Promise<BackupRun | null> {
      if (!settings) return null;
      const target = openArchiveShelf(settings.target, deps.config).location;
      return deps.db.tx(async (tx) => {
        const job = await deps.queue.enqueue(
          tx,
          RUN_BACKUP,
          { trigger: 'manual' },
          { uniqueKey: BACKUP_JOB_KEY },
        );
        const existing = job.created ? null : await findBackupRunOfJob(tx, job.id);
        if (existing) return existing;
        const run = await insertBackupRun(tx, {
          id: newId(),
          jobId: job.id,
          trigger: job.created ? 'manual' : 'schedule',
          requestedBy: job.created && actor.type === 'staff' ? actor.id : null,
          status: 'queued',
          attempts: 0,
          target,
          createdAt: deps.clock.now(),
        });
        await deps.audit.record(tx, actor, { action: 'backup.request', entity: 'backup', entityId: run.id });
        return run;
      });
    },
  };
}

export type BackupsService = ReturnType<typeof backupsService>;
