import { Column, getTableName, is, Table } from 'drizzle-orm';
import { PgTable, getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import type { Dialect } from '../db/client.ts';
import * as pgSchema from '../db/schema/pg.ts';
import * as sqliteSchema from '../db/schema/sqlite.ts';

/**
 * The backup archive: a tar stream encrypted with age (`age -d backup.tar.age | tar x` opens it).
 * Inside (the order of format 2; format 3's below):
 * - the database, in one of two forms:
 *   - `db/clinicbox.sqlite` (formats 2 and 3, from SQLite): the snapshot's SQLite database file whole,
 *     as `VACUUM INTO` made it (a page-for-page copy is what a restore to SQLite puts back;
 *     `sqlite3` opens it);
 *   - `db/<table>.ndjson` (format 1: from PostgreSQL): one JSON object per row, keyed
 *     by column name, values dialect-neutral (times as ISO strings, bytes as base64, booleans as
 *     booleans, JSON as JSON); tables in an order where every row's foreign keys point at rows
 *     already loaded;
 * - `files/<object key>`: every stored object exactly as the blob store holds it (documents are
 *   encrypted under the master key already);
 * - `keys/master.key` (and `keys/master.key.retired` after a rotation): without them the
 *   documents, the stored secrets and the audit chain cannot be read after a lost disk;
 * - `manifest.json` last: versions, source dialect, last migration, each table's rows and
 *   columns, each part's size and SHA-256.
 * A restore reads both forms, into either database. Format versions:
 * - 1: a part per table (from PostgreSQL; also what the first writer made from SQLite);
 * - 2: the database as one SQLite file, first in the archive;
 * - 3: that file after the stored files listed before the snapshot was complete (written while it
 *   is made), the files stored meanwhile after it. Clinicbox versions that read up to 2 refuse
 *   such an archive as "made by a newer Clinicbox" (they check the manifest's version) instead of
 *   failing on its order.
 * A reader meeting a version above the ones it knows refuses the archive as too new, also when the
 * parts come in an order it does not expect (it reads on to the manifest to tell).
 */
export const FORMAT_VERSION = 3;
/** Every format version this Clinicbox reads. */
export const FORMAT_VERSIONS: readonly number[] = [1, 2, 3];

/** A backup that cannot be written (the message says why). */
export class BackupError extends Error {
  override name = 'BackupError';
}
export const MANIFEST_NAME = 'manifest.json';
export const MASTER_KEY_PART = 'keys/master.key';
export const RETIRED_KEYS_PART = 'keys/master.key.retired';
export const DATABASE_PART = 'db/clinicbox.sqlite';
export const tablePart = (table: string) => `db/${table}.ndjson`;
export const filePart = (key: string) => `files/${key}`;

export interface PartSum {
  size: number;
  sha256: string;
}

/** A table in the manifest: its rows and columns; with its part's sum when it has a part of its own. */
export type ManifestTable = { name: string; rows: number; columns: string[] } & (
  | PartSum
  | { size?: undefined; sha256?: undefined }
);

export interface Manifest {
  format: 'clinicbox-backup';
  formatVersion: number;
  clinicboxVersion: string;
  sourceDialect: Dialect;
  /** The last migration applied to the backed-up database; restore refuses one it does not know. */
  lastMigration: string;
  createdAt: string;
  /** Where the files came from (for messages only). */
  storage: string;
  /** The database as one SQLite file (formats 2 and 3, from SQLite); absent: a part per table. */
  database?: { part: string } & PartSum;
  tables: ManifestTable[];
  files: ({ key: string } & PartSum)[];
  keys: ({ part: string } & PartSum)[];
  note: string;
}

/** A table's own part (db/<table>.ndjson) with its sum, or null when the database is one file. */
export const tablePartOf = (t: ManifestTable): ({ part: string } & PartSum) | null =>
  t.sha256 === undefined ? null : { part: tablePart(t.name), size: t.size, sha256: t.sha256 };

export const MANIFEST_NOTE =
  'keys/master.key is the clinic master key: the documents (files/, encrypted under it), the secrets kept in the database and the audit chain cannot be read without it. This archive is encrypted with age, so the key is never stored unencrypted here; keep the passphrase or age identity apart from the backups. Open in an emergency with: age -d FILE.tar.age | tar x';

/** One table as a backup reads and writes it: its columns and how its rows are ordered. */
export interface TableSpec {
  name: string;
  table: Table;
  /** SQL column name → drizzle column (computed columns left out). */
  columns: Map<string, Column>;
  primaryKey: string[];
  /** Tables its foreign keys point at. */
  references: string[];
  /** Columns PostgreSQL generates (identity): inserted with OVERRIDING SYSTEM VALUE, sequence reset after. */
  identity: string[];
}

/** The drizzle tables of a dialect, ordered so that every table comes after those it references. */
export function tableSpecs(dialect: Dialect): TableSpec[] {
  const schema = (dialect === 'sqlite' ? sqliteSchema : pgSchema) as Record<string, unknown>;
  const specs = new Map<string, TableSpec>();
  for (const value of Object.values(schema)) {
    if (!is(value, Table)) continue;
    const config = is(value, PgTable) ? pgTableConfig(value) : sqliteTableConfig(value as never);
    const columns = new Map<string, Column>();
    for (const c of config.columns as Column[]) {
      if ((c as { generated?: unknown }).generated) continue;
      columns.set(c.name, c);
    }
    const primaryKey = [
      ...(config.columns as Column[]).filter((c) => c.primary).map((c) => c.name),
      ...config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name)),
    ];
    const references = config.foreignKeys
      .map((fk) => getTableName(fk.reference().foreignTable as Table))
      .filter((t) => t !== config.name);
    const identity = (config.columns as Column[])
      .filter((c) => (c as { generatedIdentity?: unknown }).generatedIdentity)
      .map((c) => c.name);
    specs.set(config.name, {
      name: config.name,
      table: value,
      columns,
      primaryKey: primaryKey.length ? primaryKey : [...columns.keys()],
      references: [...new Set(references)],
      identity,
    });
  }
  return dependencyOrder(specs);
}

function dependencyOrder(specs: Map<string, TableSpec>): TableSpec[] {
  const ordered: TableSpec[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (spec: TableSpec) => {
    if (state.get(spec.name) === 'done') return;
    if (state.get(spec.name) === 'visiting') {
      throw new Error(`foreign keys form a cycle through ${spec.name}: the backup cannot order its tables`);
    }
    state.set(spec.name, 'visiting');
    for (const ref of spec.references) {
      const target = specs.get(ref);
      if (target) visit(target);
    }
    state.set(spec.name, 'done');
    ordered.push(spec);
  };
  for (const spec of [...specs.values()].sort((a, b) => a.name.localeCompare(b.name))) visit(spec);
  return ordered;
}

/** A JS value (as drizzle gives it) in its dialect-neutral JSON form. */
export function encodeValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object') return canonicalJson(value);
  return value;
}

/**
 * A JSON value with every object's keys sorted: PostgreSQL's jsonb does not keep key order, so the
 * same rows give the same bytes (and checksums) from either dialect.
 */
function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return Object.fromEntries(entries.map(([k, v]) => [k, canonicalJson(v)]));
}

/** A value of the JSON form back as the JS value `column` (of the target dialect) takes. */
export function decodeValue(value: unknown, column: Column | undefined): unknown {
  if (value === null || value === undefined || !column) return value ?? null;
  switch (column.dataType) {
    case 'date':
      return new Date(value as string);
    case 'bigint':
      return BigInt(value as string);
    case 'buffer':
      return Buffer.from(value as string, 'base64');
    default:
      return value;
  }
}

/** One row as an NDJSON line: the raw driver values through the columns' own mapping. */
export function rowLine(spec: TableSpec, names: string[], raw: Record<string, unknown>): string {
  return `${JSON.stringify(rowObject(spec, names, raw))}\n`;
}

/** One row in the dialect-neutral JSON form (what `rowLine` writes), keyed by column name. */
export function rowObject(
  spec: TableSpec,
  names: string[],
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const v = raw[name];
    const column = spec.columns.get(name)!;
    out[name] = encodeValue(v === null || v === undefined ? null : column.mapFromDriverValue(v));
  }
  return out;
}

/**
 * `rowLine` for one table, made once: the same bytes (a test compares them), without building an
 * object per row. Keys are written in `names` order, as JSON.stringify writes an object's keys
 * (column names are never integer-like, which it would put first). A column that keeps the
 * driver's value as it is (no mapping of its own) writes a string, number or boolean straight.
 */
export function rowEncoder(spec: TableSpec, names: string[]): (raw: Record<string, unknown>) => string {
  const parts = names.map((name, i) => {
    const column = spec.columns.get(name)!;
    const plain = column.mapFromDriverValue === Column.prototype.mapFromDriverValue;
    return { name, key: `${i ? ',' : '{'}${JSON.stringify(name)}:`, column, plain };
  });
  return (raw) => {
    let line = '';
    for (const { name, key, column, plain } of parts) {
      const v = raw[name];
      let json: string | undefined;
      if (v === null || v === undefined) json = 'null';
      else if (plain && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
        json = JSON.stringify(v);
      } else json = JSON.stringify(encodeValue(column.mapFromDriverValue(v)));
      line += key + (json ?? 'null');
    }
    return `${line || '{'}}\n`;
  };
}
