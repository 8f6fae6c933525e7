import type { Context } from 'hono';
import type { RelyingParty } from '../domain/accounts/index.ts';
import type { AppEnv } from './types.ts';

/** The WebAuthn relying party for this request: the public URL's host, else the request's own. */
export function relyingParty(c: Context<AppEnv>, baseUrl: string): RelyingParty {
  const origin = baseUrl ? new URL(baseUrl).origin : new URL(c.req.url).origin;
  return { id: new URL(origin).hostname, origin, name: 'Clinicbox' };
}
