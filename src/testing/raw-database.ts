import { type SQL, sql } from 'drizzle-orm';
import { type Db, execute, queryRows } from '../db/client.ts';

/**
 * The app's database as someone who can write it outside Clinicbox reaches it, for tests that
 * replay such an attack: SQLite by opening the file itself (better-sqlite3 with its default
 * settings, so `recursive_triggers` is off as in any sqlite3 shell); PostgreSQL with raw SQL on
 * the app's tables. Statements take `?` placeholders; values are numbers, strings or null.
 */
export interface RawDatabase {
  dialect: Db['dialect'];
  run(statement: string, ...params: unknown[]): Promise<void>;
  all<R = Record<string, unknown>>(statement: string, ...params: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

export async function openRawDatabase(db: Db): Promise<RawDatabase> {
  if (db.dialect === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const file = new Database(db.location);
    return {
      dialect: 'sqlite',
      run: async (statement, ...params) => {
        file.prepare(statement).run(...params);
      },
      all: async <R>(statement: string, ...params: unknown[]) =>
        file.prepare(statement).all(...params) as R[],
      close: async () => {
        file.close();
      },
    };
  }
  return {
    dialect: 'postgres',
    run: (statement, ...params) => db.tx((ctx) => execute(ctx, withParams(statement, params))),
    all: <R>(statement: string, ...params: unknown[]) =>
      queryRows<R>(db.reader, withParams(statement, params)),
    close: async () => {},
  };
}

/** `?` placeholders bound to `params`, as drizzle SQL. */
function withParams(statement: string, params: unknown[]): SQL {
  const [first, ...rest] = statement.split('?');
  return rest.reduce<SQL>((query, part, i) => sql`${query}${params[i]}${sql.raw(part)}`, sql.raw(first!));
}
