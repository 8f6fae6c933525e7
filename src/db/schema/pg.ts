import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The PostgreSQL schema: the same tables, columns and row types as `schema/sqlite.ts`. */

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});
