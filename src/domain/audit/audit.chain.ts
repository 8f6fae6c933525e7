import { createHash } from 'node:crypto';
import { hmacHex, type Key } from '../../lib/crypto.ts';

/**
 * The hash of one audit row. Rows are keyed: HMAC-SHA-256, under the audit key derived from the
 * clinic master key, over the row's id, the previous row's hash and its fields in a fixed order.
 * Changing, inserting or deleting a row breaks every later link, and without the key nobody can
 * compute a chain that verifies. Rows written before the master key (the unkeyed chain: plain
 * SHA-256 of the previous hash and the fields) keep their hashes; see verify-chain.ts.
 */
export interface ChainedFields {
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  patientId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: unknown;
}

/** A stored row as the chain sees it. */
export interface ChainedRow extends ChainedFields {
  id: number;
  prevHash: string;
  hash: string;
}

/** The keyed hash of the row `id` that follows `prevHash`. */
export function auditHash(key: Key, id: number, prevHash: string, f: ChainedFields): string {
  return hmacHex(key, JSON.stringify(['clinicbox-audit-2', id, prevHash, ...fieldValues(f)]));
}

/** The unkeyed hash of rows written before the master key (plain SHA-256; anyone can compute it). */
export function unkeyedAuditHash(prevHash: string, f: ChainedFields): string {
  return createHash('sha256')
    .update(JSON.stringify([prevHash, ...fieldValues(f)]))
    .digest('hex');
}

/** How a stored row's hash was made: with this key, on the unkeyed chain, or neither. */
export function hashKindOf(key: Key, row: ChainedRow): 'keyed' | 'unkeyed' | 'wrong' {
  if (auditHash(key, row.id, row.prevHash, row) === row.hash) return 'keyed';
  return unkeyedAuditHash(row.prevHash, row) === row.hash ? 'unkeyed' : 'wrong';
}

function fieldValues(f: ChainedFields): unknown[] {
  return [
    f.at.toISOString(),
    f.actorType,
    f.actorId,
    f.action,
    f.entity,
    f.entityId,
    f.patientId,
    f.ip,
    f.userAgent,
    f.requestId,
    sortedEntries(f.details),
  ];
}

/** Details as sorted [key, value] pairs: PostgreSQL's jsonb does not keep key order. */
function sortedEntries(details: unknown): [string, unknown][] | null {
  if (details === null || details === undefined) return null;
  return Object.entries(details as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
