import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../testing/db.ts';
import { queryRows } from './client.ts';
import { embeddedMigrationsPath, renderEmbeddedMigrations } from './embed-migrations.ts';
import { migrate } from './migrate.ts';

/**
 * Tables → sorted column names (`?` marks a nullable one), and index names with their columns,
 * uniqueness and, for a partial index, the literals its WHERE clause names — as each engine reports
 * them. Types differ by design (SQLite stores times as integers), so they are not compared.
 */
/**
 * The notes' full-text index is each engine's own (an FTS5 virtual table and its shadow tables; a
 * tsvector table with a GIN index), made by hand in migration 0021: not compared.
 */
const searchIndex = 'note_search';
/** SQLite's change counts for the in-memory read caches (migration 0033; db/versioned-read.ts): SQLite's own. */
const readVersions = 'read_versions';

interface Shape {
  columns: Record<string, string[]>;
  indexes: string[];
}

async function sqliteShape(db: TestDb): Promise<Shape> {
  const tables = await queryRows<{ name: string }>(
    db.reader,
    sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like ${`${searchIndex}%`} and name <> ${readVersions} order by name`,
  );
  const columns: Shape['columns'] = {};
  const indexes: string[] = [];
  for (const { name } of tables) {
    const cols = await queryRows<{ name: string; notnull: number }>(
      db.reader,
      sql.raw(`pragma table_info('${name}')`),
    );
    columns[name] = cols.map((c) => `${c.name}${c.notnull ? '' : '?'}`).sort();
    const idx = await queryRows<{ name: string; origin: string; unique: number; partial: number }>(
      db.reader,
      sql.raw(`pragma index_list('${name}')`),
    );
    for (const i of idx.filter((i) => i.origin === 'c')) {
      const on = await queryRows<{ name: string }>(db.reader, sql.raw(`pragma index_info('${i.name}')`));
      const [def] = await queryRows<{ sql: string }>(
        db.reader,
        sql`select sql from sqlite_master where type = 'index' and name = ${i.name}`,
      );
      indexes.push(
        `${name}.${i.name}(${on.map((c) => c.name).join(',')})${i.unique ? ' unique' : ''}${whereOf(def?.sql ?? '')}`,
      );
    }
  }
  return { columns, indexes: indexes.sort() };
}

async function pgShape(db: TestDb): Promise<Shape> {
  const cols = await queryRows<{ table_name: string; column_name: string; is_nullable: string }>(
    db.reader,
    sql`select table_name, column_name, is_nullable from information_schema.columns where table_schema = current_schema() and table_name <> ${searchIndex}`,
  );
  const columns: Shape['columns'] = {};
  for (const c of cols) {
    const column = `${c.column_name}${c.is_nullable === 'YES' ? '?' : ''}`;
    columns[c.table_name] = [...(columns[c.table_name] ?? []), column];
  }
  for (const k of Object.keys(columns)) columns[k]!.sort();
  const idx = await queryRows<{ tablename: string; indexname: string; indexdef: string }>(
    db.reader,
    sql`select tablename, indexname, indexdef from pg_indexes where schemaname = current_schema() and indexname not like '%_pkey' and indexname not like '%_pk' and tablename <> ${searchIndex}`,
  );
  const indexes = idx.map((i) => {
    const on = /\((.*)\)/
      .exec(i.indexdef.replace(/ WHERE .*/, ''))?.[1]
      ?.replaceAll('"', '')
      .replaceAll(' ', '');
    return `${i.tablename}.${i.indexname}(${on})${/UNIQUE/.test(i.indexdef) ? ' unique' : ''}${whereOf(i.indexdef)}`;
  });
  return { columns: Object.fromEntries(Object.entries(columns).sort()), indexes: indexes.sort() };
}

/** A partial index's predicate, reduced to what both engines spell alike: its sorted literals. */
function whereOf(definition: string): string {
  const where = / WHERE (.*)$/is.exec(definition)?.[1];
  if (!where) return '';
  const literals = [...where.matchAll(/'([^']*)'/g)].map((m) => m[1]).sort();
  return ` where[${literals.join(',')}]`;
}

describe('the SQLite and PostgreSQL schemas', () => {
  let sqlite: TestDb;
  let pg: TestDb;
  beforeAll(async () => {
    [sqlite, pg] = await Promise.all([createTestDb('sqlite'), createTestDb('postgres')]);
    await Promise.all([migrate(sqlite), migrate(pg)]);
  });
  afterAll(() => Promise.all([sqlite.destroy(), pg.destroy()]));

  it('have the same tables, columns and indexes after migrating', async () => {
    const [a, b] = await Promise.all([sqliteShape(sqlite), pgShape(pg)]);
    expect(Object.keys(a.columns).length).toBeGreaterThan(1);
    expect(b.columns).toEqual(a.columns);
    expect(b.indexes).toEqual(a.indexes);
    expect(a.indexes.some((i) => i.includes(' where['))).toBe(true);
    expect(
      Object.values(a.columns)
        .flat()
        .some((c) => c.endsWith('?')),
    ).toBe(true);
  });

  it('are embedded from the current migration files (run `npm run db:generate` after a schema change)', () => {
    expect(readFileSync(embeddedMigrationsPath, 'utf8')).toBe(renderEmbeddedMigrations());
  });
});
