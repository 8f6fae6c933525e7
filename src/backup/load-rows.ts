import { sql } from 'drizzle-orm';
import { bulkInserter } from '../db/bulk-insert.ts';
import { type Db, type DbCtx, execute, queryRows } from '../db/client.ts';
import { openSnapshotFile } from '../db/snapshot.ts';
import { decodeValue, encodeValue, type Manifest, type TableSpec, tableSpecs } from './format.ts';
import { ArchiveDamagedError } from './read.ts';
import type { Restored, RestoreProgress } from './restore.ts';

/**
 * Rows into an empty database, from either form of the archive's database: a part per table
 * (NDJSON, dialect-neutral) or a SQLite database file read row by row (for PostgreSQL).
 */

/**
 * The rows of a backup's SQLite database file (at `path`, removed after) into `db`: the way a
 * backup from SQLite goes into PostgreSQL.
 */
export async function loadDatabaseFile(
  db: Db,
  path: string,
  manifest: Manifest,
  progress: RestoreProgress,
): Promise<Restored['tables']> {
  const file = await openSnapshotFile(path);
  try {
    const specs = new Map(tableSpecs('sqlite').map((s) => [s.name, s]));
    async function* tables() {
      for (const info of manifest.tables) {
        const spec = specs.get(info.name);
        const orderBy = spec?.primaryKey.filter((c) => info.columns.includes(c));
        const rows = file.rows(info.name, info.columns, orderBy?.length ? orderBy : info.columns);
        yield { name: info.name, columns: info.columns, rows: neutralRows(spec, info.columns, rows) };
      }
    }
    return await loadRows(db, manifest, tables(), progress);
  } finally {
    await file.close();
  }
}

/** Raw rows of a SQLite database file in the dialect-neutral form of the table parts. */
async function* neutralRows(
  spec: TableSpec | undefined,
  columns: string[],
  batches: AsyncIterable<Record<string, unknown>[]>,
): AsyncGenerator<Record<string, unknown>> {
  const targets = columns.map((c) => spec?.columns.get(c));
  for await (const batch of batches) {
    for (const raw of batch) {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) {
        const name = columns[i]!;
        const v = raw[name];
        const column = targets[i];
        out[name] =
          v === null || v === undefined ? null : column ? encodeValue(column.mapFromDriverValue(v)) : v;
      }
      yield out;
    }
  }
}

/**
 * The rows of each table (in the dialect-neutral form) into `db`, in one transaction, each
 * table's count checked against the manifest.
 */
export async function loadRows(
  db: Db,
  manifest: Manifest,
  tables: AsyncIterable<{ name: string; columns: string[]; rows: AsyncIterable<Record<string, unknown>> }>,
  progress: RestoreProgress,
): Promise<Restored['tables']> {
  const specs = new Map(tableSpecs(db.dialect).map((s) => [s.name, s]));
  const loaded: Restored['tables'] = [];
  await db.tx(async (ctx) => {
    if (ctx.dialect === 'sqlite') {
      await execute(ctx, sql`PRAGMA defer_foreign_keys = ON`);
      // The rows of one large table go in by primary key, but each secondary index takes them in
      // its own order: with SQLite's default 2 MB page cache most of those inserts miss it. This
      // connection lives only for the restore.
      await execute(ctx, sql`PRAGMA cache_size = -262144`);
    }
    for await (const table of tables) {
      const info = manifest.tables.find((t) => t.name === table.name)!;
      if (info.rows) progress.step(`db/${table.name}: ${info.rows} rows`);
      const rows = await loadTable(ctx, specs.get(table.name), table.name, table.columns, table.rows);
      if (rows !== info.rows) {
        throw new ArchiveDamagedError(
          `${manifest.database?.part ?? `part db/${table.name}.ndjson`}: ${rows} rows of ${table.name} where the manifest says ${info.rows}`,
        );
      }
      loaded.push({ name: table.name, rows });
    }
    if (ctx.dialect === 'sqlite') {
      const broken = await queryRows<{ table: string; parent: string }>(ctx, sql`PRAGMA foreign_key_check`);
      if (broken.length) {
        throw new ArchiveDamagedError(
          `${broken.length} rows point at rows the backup does not have (first: ${broken[0]!.table} → ${broken[0]!.parent})`,
        );
      }
    } else {
      for (const spec of specs.values()) {
        for (const column of spec.identity) await resetIdentity(ctx, spec.name, column);
      }
    }
  });
  return loaded;
}

export const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);

/** Inserts a table's rows; answers how many. */
async function loadTable(
  ctx: DbCtx,
  spec: TableSpec | undefined,
  name: string,
  columns: string[],
  rows: AsyncIterable<Record<string, unknown>>,
): Promise<number> {
  const overridingIdentity = ctx.dialect === 'postgres' && !!spec?.identity.some((c) => columns.includes(c));
  const inserter = bulkInserter(ctx, name, columns, { overridingIdentity });
  const targets = columns.map((c) => spec?.columns.get(c));
  let count = 0;
  for await (const row of rows) {
    await inserter.add(columns.map((c, i) => driverValue(ctx, targets[i], row[c])));
    count++;
  }
  await inserter.flush();
  return count;
}

function driverValue(
  ctx: DbCtx,
  column: TableSpec['columns'] extends Map<string, infer C> ? C | undefined : never,
  value: unknown,
): unknown {
  if (value === null || value === undefined) return null;
  if (!column) {
    // A column this version no longer describes: as it was, in a form both drivers bind.
    if (typeof value === 'boolean') return ctx.dialect === 'sqlite' ? (value ? 1 : 0) : value;
    return typeof value === 'object' ? JSON.stringify(value) : value;
  }
  return column.mapToDriverValue(decodeValue(value, column));
}

async function resetIdentity(ctx: DbCtx, table: string, column: string): Promise<void> {
  await execute(
    ctx,
    sql`select setval(pg_get_serial_sequence(${`"${table}"`}, ${column}), coalesce((select max(${ident(column)}) from ${ident(table)}), 0) + 1, false)`,
  );
}
