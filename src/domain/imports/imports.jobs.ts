import { Readable } from 'node:stream';
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
import { type Actor, systemActor } from '../audit/index.ts';
import { type ImportKind, mappingFor } from './columns.ts';
import { type CsvTable, readCsvTable, rejectedCsv } from './csv-table.ts';
import { type ImportsDeps, MAX_IMPORT_BYTES, REJECTED_FILE_TTL_MS } from './imports.deps.ts';
import {
  findImportById,
  type ImportRow,
  listAbandonedImports,
  listImportsWithOldFiles,
  updateImport,
  updateImportIn,
} from './imports.repo.ts';
import type { DateFormat } from './rows.ts';
import { openRowImport, runImport } from './run-import.ts';

/** Runs one import started from the admin page (carries the import's id only). */
export const RUN_IMPORT = jobType('imports.run', z.object({ importId: z.string() }));
/** Hourly: removes the files of imports no longer needed (rejected rows after 7 days, uploads never run after a day). */
export const PURGE_IMPORT_FILES = upkeepJobType('imports.purge-files', '41 * * * *');

export function importsJobs(deps: ImportsDeps): AreaJobs {
  async function tableOf(row: ImportRow): Promise<CsvTable> {
    const body = await deps.files.read({
      objectKey: row.objectKey!,
      wrappedKey: row.wrappedKey!,
      size: row.size!,
      sha256: row.sha256!,
    });
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return readCsvTable(Buffer.concat(chunks));
  }

  /* Reads the import's rows and writes the new ones; the import is done, its upload removed. */
  async function importAll(row: ImportRow, upload: string, signal: AbortSignal): Promise<void> {
    const actor: Actor = { type: 'staff', id: row.createdById };
    if (row.status === 'queued') {
      await deps.db.tx((tx) =>
        updateImportIn(tx, row.id, ['queued'], { status: 'running', startedAt: deps.clock.now() }),
      );
    }
    const table = await tableOf(row);
    const kind = row.kind as ImportKind;
    const mapping = mappingFor(kind, table.header, row.mapping);
    const rows = await openRowImport(deps, actor, kind, mapping, {
      dateFormat: row.dateFormat as DateFormat,
      notify: row.notify,
    });
    const result = await runImport(rows, table, {
      batchSize: row.batchSize,
      dryRun: false,
      resume: {
        nextRow: row.nextRow,
        imported: row.imported,
        onFile: row.onFile,
        rejected: row.rejected,
      },
      inTx: async (tx, progress) => {
        await updateImport(tx, row.id, progress);
      },
      onBatch() {
        if (signal.aborted) throw new Error('import stopped: it goes on from the next batch');
      },
    });
    const rejectedFile = result.rejectedRows.length
      ? await deps.files.write(Readable.from(Buffer.from(rejectedCsv(table.header, result.rejectedRows))), {
          keyHint: `imports/${row.id}-rejected`,
          maxBytes: MAX_IMPORT_BYTES * 2,
        })
      : null;
    await deps.db.tx(async (tx) => {
      await updateImport(tx, row.id, {
        status: 'done',
        finishedAt: deps.clock.now(),
        objectKey: null,
        wrappedKey: null,
        rejectedObjectKey: rejectedFile?.objectKey ?? null,
        rejectedWrappedKey: rejectedFile?.wrappedKey ?? null,
        rejectedSize: rejectedFile?.size ?? null,
        rejectedSha256: rejectedFile?.sha256 ?? null,
      });
      await deps.audit.record(tx, actor, {
        action: 'import.finish',
        entity: 'import',
        entityId: row.id,
        details: {
          kind,
          rows: result.total,
          imported: result.imported,
          onFile: result.onFile,
          rejected: result.rejected,
        },
      });
    });
    await deps.files.remove(upload);
  }

  /* The import failed for good: so marked (with why), audited, its upload removed. */
  async function markFailed(row: ImportRow, upload: string, error: unknown): Promise<void> {
    await deps.db.tx(async (tx) => {
      await updateImport(tx, row.id, {
        status: 'failed',
        finishedAt: deps.clock.now(),
        error: error instanceof Error ? error.message.slice(0, 500) : 'failed',
        objectKey: null,
        wrappedKey: null,
      });
      await deps.audit.record(tx, systemActor, {
        action: 'import.fail',
        entity: 'import',
        entityId: row.id,
      });
    });
    await deps.files.remove(upload);
  }

  /*
   * Runs the import as the admin who started it: every row checked, the new ones written in
   * batches, each batch's transaction also moving `next_row` and the counts — so after a crash
   * or restart the job runs again, re-checks the rows already done without writing them, and
   * goes on from the next whole batch. At the end the rejected rows are stored (encrypted), the
   * uploaded file is removed, and the import is audited as finished. The last failed attempt
   * marks it failed (its file removed too).
   */
  const run = defineJob(RUN_IMPORT, {
    maxAttempts: 3,
    backoff: { baseMs: 10_000, capMs: 300_000 },
    timeoutMs: 60 * 60_000,
    async handle(p, ctx) {
      const row = await findImportById(deps.db.reader, p.importId);
      if (!row || (row.status !== 'queued' && row.status !== 'running') || !row.objectKey) return;
      const upload = row.objectKey;
      await markFailedOnLastAttempt(
        ctx,
        () => importAll(row, upload, ctx.signal),
        (error) => markFailed(row, upload, error),
      );
    },
  });

  /* Rejected-rows files older than 7 days, and uploads never started after a day, are removed. */
  const purge = upkeepJob(PURGE_IMPORT_FILES, async () => {
    const now = deps.clock.now().getTime();
    for (const row of await listImportsWithOldFiles(deps.db.reader, new Date(now - REJECTED_FILE_TTL_MS))) {
      await deps.files.remove(row.rejectedObjectKey!);
      await deps.db.tx((tx) =>
        updateImport(tx, row.id, { rejectedObjectKey: null, rejectedWrappedKey: null }),
      );
    }
    for (const row of await listAbandonedImports(deps.db.reader, new Date(now - 86_400_000))) {
      await deps.files.remove(row.objectKey!);
      await deps.db.tx((tx) =>
        updateImportIn(tx, row.id, ['uploaded'], {
          status: 'discarded',
          objectKey: null,
          wrappedKey: null,
          finishedAt: deps.clock.now(),
        }),
      );
    }
  });

  return areaJobs(run, purge);
}
