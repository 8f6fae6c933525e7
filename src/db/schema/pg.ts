/** The PostgreSQL schema: the same tables, columns and row types as `schema/sqlite.ts`, one file per area. */
export * from './pg/accounts.ts';
export * from './pg/audit.ts';
export * from './pg/backups.ts';
export * from './pg/billing.ts';
export * from './pg/chart.ts';
export * from './pg/clinic.ts';
export * from './pg/documents.ts';
export * from './pg/exports.ts';
export * from './pg/forms.ts';
export * from './pg/imports.ts';
export * from './pg/jobs.ts';
export * from './pg/messaging.ts';
export * from './pg/notifications.ts';
export * from './pg/patients.ts';
export * from './pg/scheduling.ts';
