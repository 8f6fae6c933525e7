import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** The audit area: the append-only audit log, chained with the clinic's HMAC key (see sqlite/audit.ts). */

/**
 * Append-only audit log chained with HMAC-SHA-256 under a key derived from the clinic master key,
 * which is never in the database (domain/audit; rows written before 0014 keep their plain SHA-256
 * links, covered by the `audit.chain-keyed` row). A row is inserted unsealed (seq, prev_hash and
 * hash null; `mac` keyed over its fields) in the transaction of what it describes; the sealer
 * then gives it the next `seq` and its chain hash (rows from before 0025 have seq = id). Triggers
 * refuse DELETE, an INSERT over an existing id or half sealed, and any UPDATE but sealing an
 * unsealed row once, unchanged, linked to the row before it; `clinicbox audit verify` recomputes
 * the chain with the key and names the first broken row.
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
    /** HMAC of the row's fields under the audit key, computed at insert (audit.chain.ts `rowMac`). */
    mac: text('mac'),
    /** Position in the chain, given when the sealer chains the row (null until then). */
    seq: integer('seq'),
    /** The previous row's hash (by seq): null until sealed. */
    prevHash: text('prev_hash'),
    /** The row's chain hash: null until sealed. */
    hash: text('hash'),
  },
  (t) => [
    index('audit_log_patient').on(t.patientId, t.id),
    index('audit_log_actor').on(t.actorType, t.actorId, t.id),
    index('audit_log_at').on(t.at),
    uniqueIndex('audit_log_seq').on(t.seq),
    index('audit_log_unsealed').on(t.id).where(sql`seq is null`),
  ],
);
