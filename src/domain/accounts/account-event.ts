import type { AuditEvent } from '../audit/index.ts';

/**
 * The audit event of something done to or by a staff account (`staff.<verb>`), with its details
 * (ids and flags only: never a password, secret or code).
 */
export const accountEvent = (
  action: string,
  accountId: string,
  details?: AuditEvent['details'],
): AuditEvent => ({
  action,
  entity: 'staff_account',
  entityId: accountId,
  details,
});
