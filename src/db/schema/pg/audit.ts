import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** The audit area: the append-only audit log, chained with the clinic's HMAC key (see sqlite/audit.ts). */

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    actorType: text('actor_type', { enum: ['staff', 'patient', 'system'] }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    patientId: text('patient_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    details: jsonb('details'),
    /** HMAC of the row's fields under the audit key, computed at insert (audit.chain.ts `rowMac`). */
    mac: text('mac'),
    /** Position in the chain, given when the sealer chains the row (null until then). */
    seq: bigint('seq', { mode: 'number' }),
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
