import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** The clinic area: the clinic's settings. */

/** Clinic-wide settings as JSON values under stable keys (clinic profile, booking policy…). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});
