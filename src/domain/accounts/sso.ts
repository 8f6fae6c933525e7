import type * as Oidc from 'openid-client';

/** Loaded on first use (only clinics with single sign-on need it). */
const openid = () => import('openid-client');

/**
 * Single sign-on for staff with the clinic's own OpenID Connect provider (Entra ID, Google
 * Workspace, Keycloak, Okta…), through `openid-client`: discovery, PKCE (S256), state and nonce,
 * ID-token signature and claim checks. It only says which verified email signed in; matching it
 * to an existing staff account is the caller's job, and it never creates one.
 */
export interface SsoSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** What the browser keeps between the redirect and the callback (an HttpOnly, Lax cookie). */
export interface SsoFlow {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
  /** Signing in again to confirm it's you: the provider's login must be this many seconds old at most. */
  maxAge?: number;
}

/** How fresh the provider's login must be when a member signs in again to confirm it's them. */
const AGAIN_MAX_AGE_S = 300;

export class SsoError extends Error {
  override name = 'SsoError';
}

/**
 * Authentication method references (RFC 8176) that mean more than a password: MFA said outright
 * (`mfa`, `mca`), or a possession or biometric factor — a one-time code, a hardware or software
 * key (passkeys), a smart card, a fingerprint, face or iris. Providers that send no `amr` (many
 * do not) count as a password only.
 */
const MFA_METHODS = new Set(['mfa', 'mca', 'otp', 'hwk', 'swk', 'sc', 'fpt', 'face', 'iris', 'retina']);
export const showsMfa = (amr: unknown): boolean =>
  Array.isArray(amr) && amr.some((m) => typeof m === 'string' && MFA_METHODS.has(m));

const isLocal = (url: URL) =>
  url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

export function staffSso(settings: SsoSettings) {
  const issuer = new URL(settings.issuer);
  let config: Promise<Oidc.Configuration> | undefined;
  const configuration = () => {
    config ??= openid()
      .then((oidc) =>
        oidc.discovery(issuer, settings.clientId, settings.clientSecret, undefined, {
          // Plain HTTP only for a provider on this machine (development, tests).
          ...(isLocal(issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
        }),
      )
      .catch((e) => {
        config = undefined; // try discovery again next time
        throw new SsoError(`The sign-in provider could not be reached (${(e as Error).message}).`);
      });
    return config;
  };

  return {
    /**
     * The provider's authorization URL and the flow state to keep in the browser. `again`: the
     * member signs in again to confirm it's them, so the provider must ask for its login anew
     * (`prompt=login`), and the ID token's `auth_time` must show it did (`max_age`, checked).
     */
    async start(redirectUri: string, next: string, again = false): Promise<{ url: URL; flow: SsoFlow }> {
      const cfg = await configuration();
      const oidc = await openid();
      const verifier = oidc.randomPKCECodeVerifier();
      const flow: SsoFlow = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        verifier,
        next,
        ...(again ? { maxAge: AGAIN_MAX_AGE_S } : {}),
      };
      const url = oidc.buildAuthorizationUrl(cfg, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
        ...(again ? { prompt: 'login', max_age: String(AGAIN_MAX_AGE_S) } : {}),
      });
      return { url, flow };
    },

    /**
     * Completes the callback; returns the verified email (lower-cased), whether the ID token's
     * `amr` shows the provider checked more than a password (see `showsMfa`), and when the
     * provider last checked the member (`auth_time`; null when it does not say).
     */
    async finish(
      callbackUrl: URL,
      flow: SsoFlow,
    ): Promise<{ email: string; mfa: boolean; authTime: Date | null }> {
      const cfg = await configuration();
      const oidc = await openid();
      let email: unknown;
      let verified: unknown;
      let amr: unknown;
      let authTime: unknown;
      try {
        const tokens = await oidc.authorizationCodeGrant(cfg, callbackUrl, {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          ...(flow.maxAge ? { maxAge: flow.maxAge } : {}),
          idTokenExpected: true,
        });
        const claims = tokens.claims()!;
        ({ email, email_verified: verified, amr, auth_time: authTime } = claims);
        if (typeof email !== 'string') {
          // Many providers put email only in userinfo.
          const info = await oidc.fetchUserInfo(cfg, tokens.access_token, claims.sub);
          ({ email, email_verified: verified } = info);
        }
      } catch (e) {
        throw new SsoError(`Single sign-on did not complete (${(e as Error).message}).`);
      }
      if (typeof email !== 'string' || verified !== true) {
        throw new SsoError('Your sign-in provider did not confirm a verified email address.');
      }
      return {
        email: email.toLowerCase(),
        mfa: showsMfa(amr),
        authTime: typeof authTime === 'number' ? new Date(authTime * 1000) : null,
      };
    },
  };
}

export type StaffSso = ReturnType<typeof staffSso>;
