import { type Core, defineArea } from '../area.ts';
import type { AuditService } from '../audit/index.ts';
import type { Notifier } from '../notifications/index.ts';
import { accessEnds } from './access-ends.ts';
import { accountsJobs } from './accounts.jobs.ts';
import { accountsMessages } from './accounts.messages.ts';
import { accountsService } from './accounts.service.ts';
import { staffPasskeys } from './passkeys.ts';
import { staffSessions } from './sessions.ts';
import { staffSso } from './sso.ts';
import { sealClearTotpSecrets } from './totp-secret.ts';

export type { AccessEndStep, AccessEnds } from './access-ends.ts';
export {
  accountsJobs,
  PRUNE_STAFF_SESSIONS,
  SEND_PASSWORD_RESET,
  SEND_STAFF_INVITE,
} from './accounts.jobs.ts';
export { can, type Permission, permissions } from './accounts.policy.ts';
/** For other areas (practitioners, slot search, staff messages): each takes the caller's ctx. */
export {
  findStaffMemberById,
  listActivePractitionerIds,
  listActiveStaffIds,
  listStaffByIds,
  type StaffMember,
  setStaffBookingAlerts,
} from './accounts.repo.ts';
export { type StaffRole, staffRoles } from './accounts.schema.ts';
export {
  type AccountsService,
  accountsService,
  LINK_LIFETIME_MS,
  RESET_LINK_LIFETIME_MS,
} from './accounts.service.ts';
export {
  type ActingStaff,
  actingStaff,
  refuseUnlessCan,
  roleRefusal,
  staffChecks,
  staffWhoCan,
} from './acting-staff.ts';
export { type PasskeyKeeper, type PasskeyOwners, passkeyKeeper } from './passkey-keeper.ts';
export { type StaffPasskeys, staffPasskeys } from './passkeys.ts';
export { passwordProblem } from './password.ts';
export {
  hasRecentProof,
  PROOF_LASTS_MS,
  type Proof,
  reauthenticationRequired,
} from './reauthentication.ts';
export { SecondFactorLocked } from './second-factor-lock.ts';
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
/** For `clinicbox keys rotate`. */
export { resealTotpSecrets } from './totp-secret.ts';
export type { RelyingParty } from './webauthn.ts';

/**
 * Staff accounts: sign-in (password, second factor, passkeys, single sign-on), sessions, roles and
 * invitations. `staff` also carries the session policy the HTTP gateway applies.
 */
export const accountsArea = defineArea({
  name: 'accounts',
  build({
    config,
    db,
    clock,
    audit,
    queue,
    mail,
    publicUrl,
    tuning,
    notifications,
    keys,
  }: Core & { audit: AuditService; notifications: { notifier: Pick<Notifier, 'dispatch'> } }) {
    const idleMs = config.sessionIdleTimeout * 60_000;
    const absoluteMs = config.sessionLifetime * 3_600_000;
    const sessions = staffSessions({ db, clock, policy: { idleMs, absoluteMs } });
    const ends = accessEnds();
    const accounts = accountsService({
      db,
      clock,
      audit,
      sessions,
      accessEnds: ends,
      queue,
      notify: notifications.notifier,
      secrets: keys.secrets,
      ...(tuning.passwordCost ? { passwordCost: tuning.passwordCost } : {}),
    });
    const jobs = accountsJobs({ accounts, sessions, mail, baseUrl: publicUrl });
    return {
      services: {
        staff: {
          accounts,
          sessions,
          /** Where another area adds what ends with a member's access (scheduling: the calendar feed). */
          accessEnds: { add: ends.add },
          passkeys: staffPasskeys({ db, clock, audit }),
          sso: config.oidcIssuer
            ? staffSso({
                issuer: config.oidcIssuer,
                clientId: config.oidcClientId,
                clientSecret: config.oidcClientSecret,
              })
            : null,
          mfaRequired: config.staffMfa === 'required',
          /** Public URL (empty: the request's own origin). */
          baseUrl: config.baseUrl,
          idleMs,
          absoluteMs,
        },
      },
      jobs,
      messages: [accountsMessages({ db, baseUrl: publicUrl })],
      // Second-factor secrets an older version kept in clear are sealed before anyone signs in.
      start: async () => {
        await sealClearTotpSecrets({ db, secrets: keys.secrets });
      },
    };
  },
});
