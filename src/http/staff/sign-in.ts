import type { Context } from 'hono';
import { SecondFactorLocked, type StaffAccount } from '../../domain/accounts/index.ts';
import { AppError } from '../../lib/errors.ts';
import { createFailureTracker, createRateLimiter } from '../../lib/rate-limit.ts';
import { clientIp, rateLimit, setRetryAfter } from '../middleware/rate-limit.ts';
import { actorOf, setSessionCookie } from '../middleware/staff-auth.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

export const NEEDS_TLS =
  'Sign-in over plain HTTP is only allowed on this computer. Start Clinicbox with --tls-cert and --tls-key, or put it behind HTTPS.';

/**
 * Runs a second-factor check; codes locked after too many wrong ones are answered (the lock,
 * with Retry-After set), not thrown, so the page can say so.
 */
export async function orLocked<T>(
  c: Context<AppEnv>,
  check: () => Promise<T>,
): Promise<T | SecondFactorLocked> {
  try {
    return await check();
  } catch (e) {
    if (!(e instanceof SecondFactorLocked)) throw e;
    setRetryAfter(c, e.retryAfterMs);
    return e;
  }
}

/**
 * What every way of signing in shares (password, second factor, passkey, single sign-on): the
 * limits, counted together per address and per account, and the one place a session starts.
 */
export function createSignIn(deps: HttpDeps) {
  const perIp = createRateLimiter({ name: 'staff-sign-in-ip', max: 10, windowMs: 60_000 });
  const perAccount = createFailureTracker({
    name: 'staff-sign-in-account',
    max: 100,
    windowMs: 3_600_000,
    baseDelayMs: 500,
    maxDelayMs: 5_000,
    // An hour-long window on the app's clock (tests move it; the per-address minute stays monotonic).
    now: () => deps.clock.now().getTime(),
  });
  const lifetimeSeconds = Math.floor(deps.staff.absoluteMs / 1000);
  const hasPasskey = async (accountId: string) => (await deps.staff.passkeys.list(accountId)).length > 0;

  return {
    perAccount,

    /**
     * A signed-in member's password checked again (confirming it is them): the answer of `check`,
     * null meaning wrong. Limited per account like signing in, so a session cannot guess on.
     */
    async passwordCheck<T>(
      c: Context<AppEnv>,
      accountId: string,
      check: () => Promise<T | null>,
    ): Promise<T | null> {
      const key = `pw:${accountId}`;
      const allowed = perAccount.check(key);
      if (!allowed.allowed) {
        setRetryAfter(c, allowed.retryAfterMs);
        throw new AppError('rate_limited', 'Too many attempts. Try again later.', { status: 429 });
      }
      perAccount.recordFailure(key); // counted first: parallel guesses cannot all pass
      const answer = await check();
      if (answer !== null) perAccount.recordSuccess(key);
      return answer;
    },
    /** Sign-in form posts, counted per address. */
    limit: rateLimit(perIp, (c) => (c.req.method === 'POST' ? clientIp(c) : null)),
    /** Redirect-based sign-ins (single sign-on), counted per address. */
    limitGet: rateLimit(perIp, (c) => clientIp(c)),
    hasPasskey,

    /**
     * Where a sign-in with a first factor only (a password; single sign-on without MFA) goes next:
     * the second factor when the member has any (authenticator app or passkey, whatever
     * --staff-mfa says), its set-up when MFA is required, or null: straight in.
     */
    async secondStep(account: StaffAccount): Promise<'/staff/login/code' | '/staff/setup/totp' | null> {
      if (account.mfaEnrolledAt || (await hasPasskey(account.id))) return '/staff/login/code';
      return deps.staff.mfaRequired ? '/staff/setup/totp' : null;
    },

    /**
     * Starts a session (ending the browser's previous one: a new token at every sign-in).
     * `provenAt`: when the member proved who they are, if not now (see sessions.start).
     */
    async start(
      c: Context<AppEnv>,
      account: StaffAccount,
      mfaVerified: boolean,
      method = 'password',
      provenAt?: Date | null,
    ) {
      const names = c.get('cookies');
      if (!names) throw new AppError('tls_required', NEEDS_TLS, { status: 403 });
      const previous = c.get('staff');
      const { token } = await deps.staff.accounts.startSession(actorOf(c, account), account, {
        mfaVerified,
        method,
        ip: clientIp(c),
        userAgent: c.req.header('user-agent') ?? null,
        replaces: previous ? { accountId: previous.account.id, sessionId: previous.session.id } : undefined,
        provenAt,
      });
      setSessionCookie(c, names, token, lifetimeSeconds);
    },
  };
}

export type SignIn = ReturnType<typeof createSignIn>;
