import type { Actor } from '../audit/index.ts';
import type { AccountsDeps } from './accounts.service.ts';
import { regenerateRecoveryCodes } from './recovery-code-store.ts';
import { resetSecondFactor } from './reset-second-factor.ts';
import { beginTotp, confirmTotp } from './totp-enrollment.ts';
import { verifySecondFactor } from './verify-second-factor.ts';

/**
 * Staff second factors: authenticator-app (TOTP) enrollment and checks, recovery codes, and the
 * admin reset — one file per use case. Part of the accounts service's surface (spread into it).
 */
export function secondFactorService(deps: AccountsDeps) {
  return {
    /** Starts TOTP enrollment for one session (see `beginTotp`); the secret to show. */
    beginTotp: (actor: Actor, accountId: string, sessionId: string): Promise<string> =>
      beginTotp(deps, actor, accountId, sessionId),
    /** Confirms enrollment with a first code; returns the recovery codes, shown once. */
    confirmTotp: (actor: Actor, accountId: string, code: string): Promise<string[]> =>
      confirmTotp(deps, actor, accountId, code),
    /**
     * Checks (and spends) a TOTP or recovery code; which kind matched, or null. A wrong one is
     * counted on the account; while ten wrong ones within the hour lock codes, throws SecondFactorLocked.
     */
    verifySecondFactor: (
      accountId: string,
      code: string,
      actor?: Actor,
    ): Promise<'totp' | 'recovery-code' | null> => verifySecondFactor(deps, accountId, code, actor),
    /** Admin: clears a lost second factor; the member sets up a new one at next sign-in. */
    resetSecondFactor: (actor: Actor, accountId: string): Promise<void> =>
      resetSecondFactor(deps, actor, accountId),
    /** New recovery codes (the old ones stop working); needs an enrolled second factor. */
    regenerateRecoveryCodes: (actor: Actor, accountId: string): Promise<string[]> =>
      regenerateRecoveryCodes(deps, actor, accountId),
  };
}
