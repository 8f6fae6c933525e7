import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The clinic area: the clinic's settings. */

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});
