import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The SQLite schema. `schema/pg.ts` exports the same tables with the same column names and row
 * types; `db/schema-parity.test.ts` keeps them equivalent. Times are UTC instants (Date).
 */

/** Clinic-wide settings as JSON values under stable keys (clinic profile, booking policy…). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});
