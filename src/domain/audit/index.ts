export { type Actor, type AuditEvent, GENESIS_HASH, systemActor } from './audit.schema.ts';
export {
  type AuditRow,
  type AuditService,
  auditService,
  type ExpectedHead,
  type VerifyResult,
} from './audit.service.ts';
