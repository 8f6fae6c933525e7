/**
 * The SQLite schema. `schema/pg.ts` exports the same tables with the same column names and row
 * types; `db/schema-parity.test.ts` keeps them equivalent. Times are UTC instants (Date). One file
 * per area (the area that owns the tables; test/architecture.test.ts names the owners).
 */

export * from './sqlite/accounts.ts';
export * from './sqlite/audit.ts';
export * from './sqlite/backups.ts';
export * from './sqlite/billing.ts';
export * from './sqlite/chart.ts';
export * from './sqlite/clinic.ts';
export * from './sqlite/documents.ts';
export * from './sqlite/exports.ts';
export * from './sqlite/forms.ts';
export * from './sqlite/imports.ts';
export * from './sqlite/jobs.ts';
export * from './sqlite/messaging.ts';
export * from './sqlite/notifications.ts';
export * from './sqlite/patients.ts';
export * from './sqlite/scheduling.ts';
