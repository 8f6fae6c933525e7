import { sql } from 'drizzle-orm';
import { createCache } from '../lib/cache.ts';
import type { Db } from './client.ts';
import { preparedQuery } from './prepared.ts';

/** The tables whose changes SQLite counts in `read_versions` (migration 0033 makes their triggers). */
export type CountedTable = 'appointments' | 'services' | 'practitioner_profiles' | 'patients';

/** Answers the value cached under `key`, or loads it on `db.reader`, caches and answers it. */
export type VersionedRead<V> = (key: string, load: () => Promise<V>) => Promise<V>;

/**
 * A read kept in memory until one of the tables it reads changes (issue 21: an audited read's
 * rows cost it more than all else, and on SQLite every commit — its own audit row's included —
 * empties the reader's page cache, so each read parsed its pages again). SQLite's triggers count
 * every insert, change and delete of the counted tables in the writing transaction, whoever
 * writes; a cached value is served while its tables' counts are what they were when it was
 * loaded. The counts are read before the value, so a change committed in between costs a second
 * load, never a stale answer. `load` must read on `db.reader` (committed data; a transaction's
 * uncommitted rows could be rolled back after being cached). PostgreSQL loads every time: its
 * instances would need one counted row that every write waits for.
 *
 * Per `Db` handle, so two clinics in one process (the tests) never share values.
 */
export function versionedRead<V extends {}>(
  db: Db,
  options: { name: string; tables: readonly CountedTable[]; max: number },
): VersionedRead<V> {
  if (db.dialect !== 'sqlite') return (_key, load) => load();
  // The TTL only returns memory: a value stays right for as long as its tables do not change.
  const cache = createCache<{ version: number; value: V }>(options.name, {
    max: options.max,
    ttlMs: 600_000,
  });
  const names = sql.join(
    options.tables.map((t) => sql`${t}`),
    sql`, `,
  );
  const versionOf = preparedQuery((ctx) =>
    ctx.db
      .select({ version: sql<number>`coalesce(sum(version), 0)` })
      .from(sql`read_versions`)
      .where(sql`name in (${names})`),
  );
  return async (key, load) => {
    const [row] = await versionOf(db.reader, {});
    const version = Number(row?.version ?? 0);
    const cached = cache.get(key);
    if (cached?.version === version) return cached.value;
    const value = await load();
    cache.set(key, { version, value });
    return value;
  };
}
