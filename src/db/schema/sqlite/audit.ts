import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** The audit area: the append-only audit log, chained with the clinic's HMAC key (see sqlite/audit.ts). */

/**
 * Append-only audit log chained with HMAC-SHA-256 under a key derived from the clinic master key,
 * which is never in the database (domain/audit; rows written before 0014 keep their plain SHA-256
 * links, covered by the `audit.chain-keyed` row). Triggers refuse UPDATE and DELETE, and an INSERT
 * that is not the next id with the last row's hash as prev_hash; `clinicbox audit verify`
 * recomputes the chain with the key and names the first broken row.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    actorType: text('actor_type', { enum: ['staff', 'patient', 'system'] }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    patientId: text('patient_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    details: text('details', { mode: 'json' }),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    index('audit_log_patient').on(t.patientId, t.id),
    index('audit_log_actor').on(t.actorType, t.actorId, t.id),
    index('audit_log_at').on(t.at),
  ],
);
