import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on a local port, for staff single
 * sign-on tests: discovery, PKCE, state, nonce, signed ID tokens, userinfo. Its development login
 * form signs in as any `users` key with any password; each user's `amr` reaches the ID token, as
 * a real provider's login (and its MFA step) would put it there.
 */
export interface OidcUser {
  email: string;
  email_verified: boolean;
  name: string;
  amr?: string[];
}

export interface OidcProviderPeer {
  /** The issuer URL (http://127.0.0.1:<port>): another site than the app on localhost. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

export async function startOidcProvider(options: {
  users: Record<string, OidcUser>;
  /** Where the provider may send users back (Clinicbox's /staff/login/sso/callback). */
  redirectUris: string[];
}): Promise<OidcProviderPeer> {
  const { users } = options;
  const clientId = 'clinicbox';
  const clientSecret = 'a-long-test-client-secret-0123456789';
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    // amr in the ID token, as Entra ID, Okta and Keycloak send it.
    claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: async (_ctx: unknown, sub: string) => {
      if (!users[sub]) return undefined;
      const { amr: _amr, ...claims } = users[sub];
      return { accountId: sub, claims: async () => ({ sub, ...claims }) };
    },
    cookies: { keys: ['test-cookie-key-0123456789'] },
  });
  // The development login form does not say how the user signed in: add the user's `amr`.
  const finish = provider.interactionFinished.bind(provider);
  provider.interactionFinished = ((req, res, result, opts) => {
    const login = result.login;
    const amr = login ? users[login.accountId]?.amr : undefined;
    return finish(req, res, login && amr ? { ...result, login: { ...login, amr } } : result, opts);
  }) as typeof provider.interactionFinished;
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
