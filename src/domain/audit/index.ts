import { type Core, defineArea } from '../area.ts';
import { auditService } from './audit.service.ts';

export { type Actor, type AuditEvent, GENESIS_HASH, systemActor } from './audit.schema.ts';
export {
  type AuditRow,
  type AuditService,
  auditService,
  type ExpectedHead,
  type VerifyResult,
} from './audit.service.ts';

/** The audit log: every read or change of health data leaves a hash-chained row. */
export const auditArea = defineArea({
  name: 'audit',
  build: ({ db, clock }: Core) => ({ services: { audit: auditService({ db, clock }) } }),
});
