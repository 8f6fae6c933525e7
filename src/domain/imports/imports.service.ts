import { Readable } from 'node:stream';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import {
  type ColumnChoice,
  choiceOf,
  detectSource,
  type ImportKind,
  importFields,
  importKinds,
  type Mapping,
  missingFields,
  recogniseColumns,
} from './columns.ts';
import { type CsvTable, readCsvTable } from './csv-table.ts';
import { type ImportsDeps, MAX_IMPORT_BYTES } from './imports.deps.ts';
import { RUN_IMPORT } from './imports.jobs.ts';
import {
  findImportById,
  type ImportRow,
  insertImport,
  listRecentImports,
  updateImportIn,
} from './imports.repo.ts';
import { type DateFormat, dateFormats } from './rows.ts';
import { openRowImport, type RowOutcome, runImport } from './run-import.ts';

/** An import as the admin page shows it (no file keys). */
export type ImportView = Omit<
  ImportRow,
  'objectKey' | 'wrappedKey' | 'sha256' | 'rejectedObjectKey' | 'rejectedWrappedKey' | 'rejectedSha256'
> & { hasRejectedFile: boolean };

export const importView = (row: ImportRow): ImportView => {
  const { objectKey, wrappedKey, sha256, rejectedObjectKey, rejectedWrappedKey, rejectedSha256, ...rest } =
    row;
  return { ...rest, hasRejectedFile: Boolean(rejectedObjectKey) };
};

/** A row of the preview: the line, each mapped field's value, and what would become of it. */
export interface PreviewRow {
  line: number;
  values: Record<string, string>;
  outcome: RowOutcome;
}

/** What the mapping step shows: the columns, the mapping, the first rows' outcomes and the dry run's counts. */
export interface ImportInspection {
  import: ImportView;
  header: string[];
  /** The field → columns chosen (prefilled from what was recognised). */
  choice: ColumnChoice;
  /** What the mapping still lacks ('' when it is complete; then there is a preview). */
  missing: string;
  preview: PreviewRow[];
  /** The dry run over the whole file (null while the mapping is incomplete). */
  summary: { total: number; imported: number; onFile: number; rejected: number } | null;
}

const PREVIEW_ROWS = 20;

/** Reads an upload whole (it is checked as CSV before anything is stored), refusing one over the limit. */
async function readUpload(file: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of file) {
    size += (chunk as Buffer).length;
    if (size > MAX_IMPORT_BYTES) {
      file.resume();
      throw new AppError(
        'payload_too_large',
        { text: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.` },
        { status: 413 },
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * CSV imports from the admin page: the upload (checked as CSV, then stored encrypted), the
 * column mapping prefilled from what was recognised, a preview and dry run, and the run as a
 * durable job. Every step is audited; the file is removed when the import ends.
 */
export function importsService(deps: ImportsDeps) {
  const { db, clock, audit, queue, files } = deps;

  async function load(id: string): Promise<ImportRow> {
    const row = await findImportById(db.reader, id);
    if (!row) throw notFound('That import');
    return row;
  }

  async function tableOf(row: ImportRow): Promise<CsvTable> {
    if (!row.objectKey || !row.wrappedKey || row.size === null || !row.sha256)
      throw conflict('The uploaded file of this import is no longer kept.', 'import_file_gone');
    const body = await files.read({
      objectKey: row.objectKey,
      wrappedKey: row.wrappedKey,
      size: row.size,
      sha256: row.sha256,
    });
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return readCsvTable(Buffer.concat(chunks));
  }

  return {
    /** The latest imports, newest first. */
    list: async (): Promise<ImportView[]> => (await listRecentImports(db.reader)).map(importView),

    get: async (id: string): Promise<ImportView> => importView(await load(id)),

    /**
     * Takes an uploaded CSV: refused (422, nothing stored) unless it reads as a CSV table; else
     * stored encrypted, with the source recognised from its header and the columns it knows
     * mapped; audited.
     */
    async upload(actor: Actor & { id: string }, input: { kind: string; fileName: string; file: Readable }) {
      const kind = input.kind as ImportKind;
      if (!importKinds.includes(kind)) {
        input.file.resume();
        throw new AppError('validation_failed', 'Choose what the file holds: patients or appointments.', {
          status: 422,
        });
      }
      const bytes = await readUpload(input.file);
      const table = await readCsvTable(bytes);
      // Complete or not: the person checks it, and finishes it, on the mapping form.
      const choice = choiceOf(kind, table.header, recogniseColumns(kind, table.header));
      const id = newId();
      const stored = await files.write(Readable.from(bytes), {
        keyHint: `imports/${id}`,
        maxBytes: MAX_IMPORT_BYTES,
      });
      try {
        return await db.tx(async (ctx) => {
          const row = await insertImport(ctx, {
            id,
            kind,
            status: 'uploaded',
            source: detectSource(table.header),
            mapping: choice,
            dateFormat: 'auto',
            notify: false,
            batchSize: 500,
            fileName: input.fileName.slice(0, 200) || 'upload.csv',
            objectKey: stored.objectKey,
            wrappedKey: stored.wrappedKey,
            size: stored.size,
            sha256: stored.sha256,
            totalRows: table.rows.length,
            nextRow: 0,
            imported: 0,
            onFile: 0,
            rejected: 0,
            createdById: actor.id,
            createdAt: clock.now(),
          });
          await audit.record(ctx, actor, {
            action: 'import.upload',
            entity: 'import',
            entityId: id,
            details: { kind, rows: table.rows.length, size: stored.size },
          });
          return importView(row);
        });
      } catch (error) {
        await files.remove(stored.objectKey);
        throw error;
      }
    },

    /**
     * The mapping step: the file's columns, the mapping, the first rows with what would become of
     * each, and the dry run's counts over the whole file (nothing written). Audited as a read.
     */
    async inspect(actor: Actor, id: string): Promise<ImportInspection> {
      const row = await load(id);
      const view = importView(row);
      if (row.status !== 'uploaded') {
        return { import: view, header: [], choice: row.mapping, missing: '', preview: [], summary: null };
      }
      const table = await tableOf(row);
      const kind = row.kind as ImportKind;
      const mapping = mappingOf(kind, table.header, row.mapping);
      const missing = missingFields(kind, mapping);
      await audit.recordRead(actor, { action: 'import.preview', entity: 'import', entityId: id });
      if (missing)
        return {
          import: view,
          header: table.header,
          choice: row.mapping,
          missing,
          preview: [],
          summary: null,
        };
      const run = await openRowImport(deps, actor, kind, mapping, {
        dateFormat: row.dateFormat as DateFormat,
        notify: row.notify,
      });
      const preview: PreviewRow[] = [];
      const result = await runImport(run, table, {
        batchSize: row.batchSize,
        dryRun: true,
        onRow(line, cells, outcome) {
          if (preview.length >= PREVIEW_ROWS) return;
          const values = Object.fromEntries(
            importFields[kind]
              .filter((f) => mapping[f.name]?.length)
              .map((f) => [
                f.name,
                mapping[f.name]!.map((i) => (cells[i] ?? '').trim())
                  .filter(Boolean)
                  .join(f.name === 'address' ? ', ' : ' '),
              ]),
          );
          preview.push({ line, values, outcome });
        },
      });
      return {
        import: view,
        header: table.header,
        choice: row.mapping,
        missing,
        preview,
        summary: {
          total: result.total,
          imported: result.imported,
          onFile: result.onFile,
          rejected: result.rejected,
        },
      };
    },

    /** Saves the column mapping (each column named must be one of the file's) and the options. */
    async saveMapping(
      actor: Actor,
      id: string,
      input: { choice: ColumnChoice; dateFormat: string; notify: boolean },
    ): Promise<void> {
      const row = await load(id);
      if (row.status !== 'uploaded') throw conflict('This import has already started.', 'import_started');
      const dateFormat = dateFormats.includes(input.dateFormat as DateFormat) ? input.dateFormat : 'auto';
      const table = await tableOf(row);
      const kind = row.kind as ImportKind;
      const choice = Object.fromEntries(
        importFields[kind].map((f) => [
          f.name,
          (input.choice[f.name] ?? []).filter((h) => table.header.includes(h)),
        ]),
      );
      await db.tx(async (ctx) => {
        await updateImportIn(ctx, id, ['uploaded'], { mapping: choice, dateFormat, notify: input.notify });
        await audit.record(ctx, actor, { action: 'import.map', entity: 'import', entityId: id });
      });
    },

    /** Starts the import as a job (409 unless the mapping is complete and it has not started). */
    async start(actor: Actor, id: string): Promise<ImportView> {
      const row = await load(id);
      if (row.status !== 'uploaded') throw conflict('This import has already started.', 'import_started');
      const table = await tableOf(row);
      const missing = missingFields(
        row.kind as ImportKind,
        mappingOf(row.kind as ImportKind, table.header, row.mapping),
      );
      if (missing) throw conflict({ text: `Choose a column for ${missing} first.` }, 'mapping_incomplete');
      return db.tx(async (ctx) => {
        const queued = await updateImportIn(ctx, id, ['uploaded'], { status: 'queued' });
        if (!queued) throw conflict('This import has already started.', 'import_started');
        await queue.enqueue(ctx, RUN_IMPORT, { importId: id }, { requestId: actor.requestId ?? undefined });
        await audit.record(ctx, actor, {
          action: 'import.start',
          entity: 'import',
          entityId: id,
          details: { kind: row.kind, rows: row.totalRows },
        });
        return importView(queued);
      });
    },

    /** Drops an import that was uploaded but not started: its file is removed; audited. */
    async discard(actor: Actor, id: string): Promise<void> {
      const row = await load(id);
      const gone = await db.tx(async (ctx) => {
        const changed = await updateImportIn(ctx, id, ['uploaded'], {
          status: 'discarded',
          objectKey: null,
          wrappedKey: null,
          finishedAt: clock.now(),
        });
        if (!changed) throw conflict('This import has already started.', 'import_started');
        await audit.record(ctx, actor, { action: 'import.discard', entity: 'import', entityId: id });
        return row.objectKey;
      });
      if (gone) await files.remove(gone);
    },

    /** The rejected rows of a finished import as CSV (the file's columns, then line and reason); audited. */
    async openRejected(
      actor: Actor,
      id: string,
    ): Promise<{ body: Readable; size: number; fileName: string }> {
      const row = await load(id);
      if (
        !row.rejectedObjectKey ||
        !row.rejectedWrappedKey ||
        row.rejectedSize === null ||
        !row.rejectedSha256
      )
        throw notFound('The rejected rows of that import');
      await audit.recordRead(actor, {
        action: 'import.rejected-download',
        entity: 'import',
        entityId: id,
        details: { rows: row.rejected },
      });
      const body = await files.read({
        objectKey: row.rejectedObjectKey,
        wrappedKey: row.rejectedWrappedKey,
        size: row.rejectedSize,
        sha256: row.rejectedSha256,
      });
      const base = row.fileName.replace(/\.csv$/i, '').replace(/[^\w.-]+/g, '-') || 'import';
      return { body, size: row.rejectedSize, fileName: `${base}.rejected.csv` };
    },
  };
}

/** The columns the kept choice names (a header no longer in the file is left out). */
function mappingOf(kind: ImportKind, header: readonly string[], choice: ColumnChoice): Mapping {
  const mapping: Mapping = {};
  for (const f of importFields[kind]) {
    mapping[f.name] = (choice[f.name] ?? []).flatMap((h) => {
      const i = header.indexOf(h);
      return i >= 0 ? [i] : [];
    });
  }
  return mapping;
}

export { mappingOf };
export type ImportsService = ReturnType<typeof importsService>;
