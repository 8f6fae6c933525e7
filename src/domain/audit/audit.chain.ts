import { createHash } from 'node:crypto';

/**
 * The hash of one audit row: SHA-256 over the previous row's hash and the row's fields in a fixed
 * order. Changing, inserting or deleting any row breaks every later link.
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

export function auditHash(prevHash: string, f: ChainedFields): string {
  const canonical = JSON.stringify([
    prevHash,
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
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Details as sorted [key, value] pairs: PostgreSQL's jsonb does not keep key order. */
function sortedEntries(details: unknown): [string, unknown][] | null {
  if (details === null || details === undefined) return null;
  return Object.entries(details as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
