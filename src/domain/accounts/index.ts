export { accountsJobs, PRUNE_STAFF_SESSIONS, SEND_STAFF_INVITE } from './accounts.jobs.ts';
export { can, type Permission, permissions } from './accounts.policy.ts';
export { type StaffRole, staffRoles } from './accounts.schema.ts';
export { type AccountsService, accountsService, LINK_LIFETIME_MS } from './accounts.service.ts';
export { type StaffPasskeys, staffPasskeys } from './passkeys.ts';
export { passwordProblem } from './password.ts';
export {
  type SessionPolicy,
  type StaffAccount,
  type StaffSession,
  type StaffSessions,
  staffSessions,
  type ValidSession,
} from './sessions.ts';
export { SsoError, type SsoFlow, type SsoSettings, type StaffSso, staffSso } from './sso.ts';
export { totpUri } from './totp.ts';
export { type RelyingParty, type WebauthnCore, webauthnCore } from './webauthn.ts';
