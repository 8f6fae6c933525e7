import { createHash } from 'node:crypto';
import { hmacHex, type Key } from '../../lib/crypto.ts';

/**
 * The hash of one audit row. Rows are keyed: HMAC-SHA-256, under the audit key derived from the
 * clinic master key. A row gets a MAC over its fields when inserted, and when sealed a hash over
 * its chain position (`seq`), the previous row's hash and that MAC. Changing, inserting or
 * deleting a row breaks every later link, and without the key nobody can compute a chain that
 * verifies. Rows appended before sealing existed carry a hash over their position, the previous
 * hash and their fields (`auditHash`); rows written before the master key (the unkeyed chain:
 * plain SHA-256 of the previous hash and the fields) keep theirs; see verify-chain.ts.
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

/** A sealed row as the chain sees it: its position (`seq`), its link and hash, its insert MAC. */
export interface ChainedRow extends ChainedFields {
  seq: number;
  prevHash: string;
  hash: string;
  mac: string | null;
}

/**
 * The keyed hash of a row sealed at position `seq` after `prevHash`, over its fields: how rows
 * were chained when each was appended in its own transaction (before migration 0025, seq = id).
 */
export function auditHash(key: Key, seq: number, prevHash: string, f: ChainedFields): string {
  return hmacHex(key, JSON.stringify(['clinicbox-audit-2', seq, prevHash, ...fieldValues(f)]));
}

/**
 * The MAC a row gets when inserted (unsealed), over its fields: no lock, no other row. The seal
 * covers it, so a row changed or slipped in before it was sealed does not verify either.
 */
export function rowMac(key: Key, f: ChainedFields): string {
  return hmacHex(key, JSON.stringify(['clinicbox-audit-row', ...fieldValues(f)]));
}

/** The keyed hash the sealer gives the row at position `seq` after `prevHash`, over its MAC. */
export function sealHash(key: Key, seq: number, prevHash: string, mac: string | null): string {
  return hmacHex(key, JSON.stringify(['clinicbox-audit-3', seq, prevHash, mac]));
}

/**
 * Whether a sealed row's hash is keyed with `key`: sealed (its MAC, under any of `macKeys`, and
 * the seal over it), or appended in place as before sealing existed.
 */
export function isKeyedWith(key: Key, row: ChainedRow, macKeys: Key[] = [key]): boolean {
  if (row.mac !== null && sealHash(key, row.seq, row.prevHash, row.mac) === row.hash) {
    return macKeys.some((k) => rowMac(k, row) === row.mac);
  }
  return auditHash(key, row.seq, row.prevHash, row) === row.hash;
}

/** The unkeyed hash of rows written before the master key (plain SHA-256; anyone can compute it). */
export function unkeyedAuditHash(prevHash: string, f: ChainedFields): string {
  return createHash('sha256')
    .update(JSON.stringify([prevHash, ...fieldValues(f)]))
    .digest('hex');
}

/** How a stored row's hash was made: with this key, on the unkeyed chain, or neither. */
export function hashKindOf(key: Key, row: ChainedRow): 'keyed' | 'unkeyed' | 'wrong' {
  if (isKeyedWith(key, row)) return 'keyed';
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
