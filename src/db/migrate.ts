import { sql } from 'drizzle-orm';
import { type Db, type DbCtx, execute, queryRows } from './client.ts';
import { pgMigrations, sqliteMigrations } from './migrations/embedded.ts';

/**
 * Applies the embedded migrations of the database's dialect, each in its own transaction,
 * recording them in `clinicbox_migrations`. Safe when several instances start at once (SQLite:
 * BEGIN IMMEDIATE; PostgreSQL: an advisory lock), and refuses a database that a newer Clinicbox
 * has migrated, since this binary would not know its tables.
 */
export interface Migration {
  name: string;
  statements: string[];
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Applied names this binary does not know: the database is newer than the binary. */
  unknown: string[];
}

export class DatabaseTooNewError extends Error {
  override name = 'DatabaseTooNewError';
}

export const migrationsFor = (db: Pick<Db, 'dialect'>): Migration[] =>
  db.dialect === 'sqlite' ? sqliteMigrations : pgMigrations;

/** The table that records applied migrations, per dialect. */
export const clinicboxMigrationsTable = {
  sqlite:
    'CREATE TABLE IF NOT EXISTS clinicbox_migrations (name text PRIMARY KEY NOT NULL, applied_at integer NOT NULL)',
  postgres:
    'CREATE TABLE IF NOT EXISTS clinicbox_migrations (name text PRIMARY KEY NOT NULL, applied_at bigint NOT NULL)',
};

async function ensureTable(ctx: DbCtx): Promise<void> {
  await execute(ctx, sql.raw(clinicboxMigrationsTable[ctx.dialect]));
}

async function appliedNames(ctx: DbCtx): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    ctx,
    sql`select name from clinicbox_migrations order by name`,
  );
  return rows.map((r) => r.name);
}

function statusOf(known: Migration[], applied: string[]): MigrationStatus {
  const knownNames = new Set(known.map((m) => m.name));
  const appliedSet = new Set(applied);
  return {
    applied,
    pending: known.filter((m) => !appliedSet.has(m.name)).map((m) => m.name),
    unknown: applied.filter((n) => !knownNames.has(n)),
  };
}

/** Reads which migrations are applied, pending or unknown, without changing anything. */
export async function readMigrationStatus(db: Db): Promise<MigrationStatus> {
  const known = migrationsFor(db);
  const exists = await queryRows(
    db.reader,
    db.dialect === 'sqlite'
      ? sql`select 1 from sqlite_master where type = 'table' and name = 'clinicbox_migrations'`
      : sql`select 1 from information_schema.tables where table_schema = current_schema() and table_name = 'clinicbox_migrations'`,
  );
  if (exists.length === 0) return statusOf(known, []);
  return statusOf(known, await appliedNames(db.reader));
}

function refuseIfNewer(status: MigrationStatus, known: Migration[]): void {
  if (status.unknown.length === 0) return;
  throw new DatabaseTooNewError(
    `This database was migrated by a newer Clinicbox (it has ${status.unknown.join(', ')}; ` +
      `this version knows up to ${known.at(-1)?.name ?? 'none'}). Run the newer version, or restore a backup.`,
  );
}

/**
 * Applies pending migrations (only those up to and including `upTo` when given: a restore loads
 * an older backup's rows into the schema they were written for); returns the names applied now.
 */
export async function migrate(db: Db, now: () => Date = () => new Date(), upTo?: string): Promise<string[]> {
  const all = migrationsFor(db);
  const known = upTo === undefined ? all : all.slice(0, all.findIndex((m) => m.name === upTo) + 1);
  // Up to date (every start but the first after an upgrade): one read, no locks taken.
  const before = await readMigrationStatus(db);
  refuseIfNewer(before, all);
  if (!before.pending.some((name) => known.some((m) => m.name === name))) return [];
  const done: string[] = [];
  await db.tx(async (ctx) => {
    if (ctx.dialect === 'postgres') await execute(ctx, sql`select pg_advisory_xact_lock(4242001)`);
    await ensureTable(ctx);
  });
  for (const migration of known) {
    const appliedNow = await db.tx(async (ctx) => {
      if (ctx.dialect === 'postgres') await execute(ctx, sql`select pg_advisory_xact_lock(4242001)`);
      const status = statusOf(known, await appliedNames(ctx));
      refuseIfNewer(statusOf(all, status.applied), all);
      if (!status.pending.includes(migration.name)) return false;
      for (const statement of migration.statements) await execute(ctx, sql.raw(statement));
      await execute(
        ctx,
        sql`insert into clinicbox_migrations (name, applied_at) values (${migration.name}, ${now().getTime()})`,
      );
      return true;
    });
    if (appliedNow) done.push(migration.name);
  }
  return done;
}
