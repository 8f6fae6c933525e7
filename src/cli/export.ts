import {
  chmodSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import type { Column } from 'drizzle-orm';
import { version } from '../app.ts';
import { rowLine, rowObject, scratchDatabase, type TableSpec, tableSpecs } from '../backup/index.ts';
import { configFrom, dataOptions, storageOptions, textOption } from '../config/index.ts';
import { openSnapshot } from '../db/snapshot.ts';
import { systemActor } from '../domain/audit/index.ts';
import { defineCommand } from './command.ts';
import { withCommandApp } from './start.ts';

const usage = 'clinicbox export --to DIR [flags]';

/**
 * `clinicbox export --to DIR`: everything the clinic holds, readable without Clinicbox — every
 * table as NDJSON and CSV (from one consistent snapshot, the backup's reader and encoding), every
 * kept document decrypted and checked, and a README describing the columns. DIR must be new or
 * empty; files are owner-only (patient data).
 */
export const exportCommand = defineCommand({
  name: 'export',
  usage,
  summary:
    'Write every table (CSV and NDJSON), every document (decrypted) and a README describing them into an empty folder (--to DIR).',
  options: {
    ...dataOptions,
    ...storageOptions,
    to: textOption('to', 'dir', 'a folder path', 'The folder to write into (must not exist or be empty).'),
  },
  async run(values, positionals, ctx) {
    if (positionals.length || !values.to) {
      ctx.err(`usage: ${usage}`);
      return 2;
    }
    const to = values.to;
    if (existsSync(to) && (!statSync(to).isDirectory() || readdirSync(to).length)) {
      ctx.err(`${to} is not an empty folder: export writes only into a new or empty one`);
      return 2;
    }
    const config = configFrom({ ...values, logLevel: 'warn' as const });
    if (config.databaseUrl === '' && !existsSync(config.sqlitePath)) {
      ctx.err(`no database at ${config.sqlitePath}: nothing to export`);
      return 1;
    }
    return withCommandApp(config, ctx, 'export', async (app) => {
      const snapshot = await openSnapshot({
        url: config.databaseUrl,
        sqlitePath: config.sqlitePath,
        tempPath: scratchDatabase(config.dataPath, 'export-snapshot').path,
      });
      try {
        mkdirSync(join(to, 'tables'), { recursive: true, mode: 0o700 });
        mkdirSync(join(to, 'documents'), { mode: 0o700 });
        chmodSync(to, 0o700);
        const present = await snapshot.tableNames();
        const specs = tableSpecs(snapshot.dialect).filter((s) => present.has(s.name));
        const documents: Record<string, unknown>[] = [];
        let rowsTotal = 0;
        for (const spec of specs) {
          const names = [...spec.columns.keys()];
          const ndjson = createWriteStream(join(to, 'tables', `${spec.name}.ndjson`), {
            flags: 'wx',
            mode: 0o600,
          });
          const csv = createWriteStream(join(to, 'tables', `${spec.name}.csv`), { flags: 'wx', mode: 0o600 });
          let rows = 0;
          await write(csv, stringify([names]));
          for await (const batch of snapshot.rows(spec.name, names, spec.primaryKey)) {
            await write(ndjson, batch.map((row) => rowLine(spec, names, row)).join(''));
            const objects = batch.map((row) => rowObject(spec, names, row));
            await write(csv, stringify(objects.map((o) => names.map((n) => csvCell(o[n])))));
            if (spec.name === 'documents') documents.push(...objects);
            rows += batch.length;
          }
          await Promise.all([close(ndjson), close(csv)]);
          rowsTotal += rows;
          ctx.out(`${spec.name}: ${rows} rows`);
        }

        // Each kept document, decrypted; a whole read checks its SHA-256 before the last bytes.
        let files = 0;
        for (const doc of documents) {
          if (doc.purged_at) continue;
          const body = await app.deps.files.read({
            objectKey: doc.object_key as string,
            wrappedKey: doc.wrapped_key as string,
            size: doc.size as number,
            sha256: doc.sha256 as string,
          });
          await pipeline(
            body,
            createWriteStream(join(to, 'documents', documentFileName(doc)), { flags: 'wx', mode: 0o600 }),
          );
          files++;
        }
        ctx.out(`documents: ${files} files`);

        writeFileSync(join(to, 'README.md'), readme(specs, snapshot.dialect, new Date()), {
          flag: 'wx',
          mode: 0o600,
        });
        const { db, audit } = app.deps;
        await db.tx((c) =>
          audit.record(c, systemActor, {
            action: 'export.all',
            entity: 'settings',
            entityId: 'export',
            details: { to, tables: specs.length, rows: rowsTotal, documents: files },
          }),
        );
        ctx.out(`export written: ${to} (${rowsTotal} rows in ${specs.length} tables, ${files} documents)`);
        return 0;
      } catch (e) {
        if ((e as Error).name === 'FileIntegrityError' || (e as NodeJS.ErrnoException).code) {
          ctx.err(`export failed: ${(e as Error).message}`);
          return 1;
        }
        throw e;
      } finally {
        await snapshot.close();
      }
    });
  },
});

/** `<document id>-<its file name>` (slashes made safe; the id keeps every name distinct). */
const documentFileName = (doc: Record<string, unknown>) =>
  `${doc.id}-${String(doc.file_name ?? '').replace(/[/\\\0]/g, '_') || 'file'}`;

/** A value of the JSON form as one CSV cell: null empty, JSON as its text, the rest as written. */
function csvCell(v: unknown): string | number {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'number') return v;
  return String(v);
}

function write(stream: NodeJS.WritableStream, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.write(chunk)) resolve();
    else {
      stream.once('drain', resolve);
      stream.once('error', reject);
    }
  });
}

function close(stream: ReturnType<typeof createWriteStream>): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

const FORM: Record<string, string> = {
  date: 'time, ISO 8601 in UTC',
  boolean: 'true / false',
  json: 'JSON',
  buffer: 'bytes, base64',
  bigint: 'integer, as text',
  number: 'number',
  string: 'text',
};

function columnLine(c: Column): string {
  const notes = [c.notNull ? 'required' : 'may be empty', c.primary ? 'primary key' : ''].filter(Boolean);
  return `| \`${c.name}\` | ${c.getSQLType()} | ${FORM[c.dataType] ?? c.dataType} | ${notes.join(', ')} |`;
}

function readme(specs: TableSpec[], dialect: string, now: Date): string {
  return [
    '# Clinicbox export',
    '',
    `Written ${now.toISOString()} by Clinicbox ${version} from one consistent snapshot of the clinic's ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database. It holds patient data: keep it as safe as the clinic itself.`,
    '',
    '- `tables/<table>.ndjson`: one JSON object per line, one line per row, keyed by column name (the same form a backup uses).',
    '- `tables/<table>.csv`: the same rows as CSV (RFC 4180, UTF-8); the first line names the columns. An empty cell is an empty value (null); JSON columns hold their JSON text; true/false as words.',
    '- `documents/<document id>-<file name>`: every document kept on a chart, decrypted and checked against its SHA-256 (`documents.sha256`); find its patient and details in `tables/documents.*` by its id. Documents already purged after deletion are not there.',
    '',
    "Times are ISO 8601 in UTC (`2026-01-31T09:30:00.000Z`); dates of the clinic's day (a birth date, a document date) are `YYYY-MM-DD`. Rows point at one another by id (`patient_id` → `patients.id`).",
    '',
    '## Tables',
    '',
    ...specs.flatMap((spec) => [
      `### ${spec.name}`,
      '',
      ...(spec.references.length ? [`Points at: ${spec.references.join(', ')}.`, ''] : []),
      '| column | database type | in the files | |',
      '| --- | --- | --- | --- |',
      ...[...spec.columns.values()].map(columnLine),
      '',
    ]),
  ].join('\n');
}
