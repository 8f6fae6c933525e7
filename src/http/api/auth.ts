import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import {
  acceptInviteInput,
  linkRecordInput,
  resendContactInput,
  type SignedIn,
  type SignInMeta,
  startInput,
  verifyContactInput,
  verifyInput,
  verifyLinkInput,
} from '../../domain/patients/index.ts';
import { randomToken, tokenId } from '../../lib/ids.ts';
import { createRateLimiter } from '../../lib/rate-limit.ts';
import { apiOperations, apiRoute, createApi, type RefusalStatus } from '../kit/api.ts';
import {
  clearPatientCookie,
  patientCookieName,
  setPatientAppCookie,
  setPatientCookie,
} from '../middleware/patient-auth.ts';
import { clientIp, rateLimit } from '../middleware/rate-limit.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import { relyingParty } from '../relying-party.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { patientActorOf, registeredPatientOf } from './actors.ts';
import { registeredMe } from './patient-view.ts';
import { me, message, webauthnJson } from './schemas.ts';

const SESSION_SECONDS = 30 * 86_400;
/**
 * Signing in is public; a session's own steps (its record, signing out) need only the session;
 * a contact change needs a registered patient.
 */
const signIn = apiOperations({ tags: ['Patient sign-in'], policy: 'public' });
const withSession = apiOperations({ tags: ['Patient sign-in'], policy: 'patient-session' });
const registered = apiOperations({ tags: ['Patient sign-in'], policy: 'patient' });
/** Every way in answers alike: who signed in, or that registration comes next. */
const signsIn = <const C extends RefusalStatus>(...codes: C[]) => ({
  ok: [me, 'Signed in'] as const,
  refuses: codes,
});

const start = signIn.post('/start', {
  summary: 'Ask for a sign-in code by email or SMS (always 202, whatever the address)',
  body: startInput,
  accepted: [message, 'Accepted'],
  refuses: [422, 429],
});
const verify = signIn.post('/verify', {
  summary: 'Sign in with the code; sets the session cookie',
  body: verifyInput,
  ...signsIn(401, 422, 429),
});
const verifyLink = signIn.post('/verify-link', {
  summary: 'Sign in with the link from the code email (only in the browser that asked for the code)',
  body: verifyLinkInput,
  ...signsIn(401, 422, 429),
});
const invite = signIn.post('/invite', {
  summary: 'Accept a staff invitation with your date of birth; signs in',
  body: acceptInviteInput,
  ...signsIn(401, 422, 429),
  conflicts: 'already_registered: the address signs in to another record',
});
const recordOnFile = withSession.get('/record', {
  summary:
    'Before registering: whether the address signed in with is on exactly one patient record, which the date of birth then opens',
  ok: [z.object({ recordOnFile: z.boolean() }), 'Whether to ask'],
});
const linkRecord = withSession.post('/record', {
  summary:
    'Open the record the address signed in with is on, with the date of birth on it (5 wrong dates close this way); the address then signs in to it',
  body: linkRecordInput,
  ok: [me, 'Me'],
  conflicts: 'already_registered: the address began to sign in to a record meanwhile',
  refuses: [401, 404, 422, 429],
});
const passkeyOptions = signIn.post('/passkey/options', {
  summary: 'WebAuthn options to sign in with a passkey',
  ok: [webauthnJson, 'PublicKeyCredentialRequestOptionsJSON'],
  refuses: [429],
});
const passkey = signIn.post('/passkey', {
  summary: 'Sign in with a passkey (the browser’s WebAuthn answer)',
  body: webauthnJson,
  ...signsIn(401, 429),
});
/** A new email or phone waiting for the code sent to it. */
const pendingContact = z.object({
  channel: z.enum(['email', 'phone']),
  value: z.string(),
  expiresAt: z.iso.datetime({ offset: true }).describe('When the latest code stops working'),
});
const contactChanges = registered.get('/contact', {
  summary: 'My new email or phone waiting for its code (messages use the verified one until then)',
  ok: [z.object({ pending: z.array(pendingContact) }), 'Pending changes'],
});
const confirmContact = registered.post('/contact/verify', {
  summary: 'Confirm a new email or phone with the code sent to it; messages use it from then on',
  body: verifyContactInput,
  ok: [me, 'Me'],
  refuses: [401, 403, 404, 422, 429],
});
const resendContactCode = registered.post('/contact/resend', {
  summary: 'Send a new code to the new email or phone (at most once a minute)',
  body: resendContactInput,
  accepted: [message, 'Sent'],
  refuses: [401, 403, 404, 422, 429],
});
const signOut = withSession.post('/sign-out', {
  summary: 'Sign out this device',
  noContent: 'Signed out',
});
const signOutEverywhere = withSession.post('/sign-out-everywhere', {
  summary: 'Sign out every device',
  noContent: 'Signed out everywhere',
});

/**
 * The sign-in cookie (the browser that asked for a code keeps its random value, so the emailed
 * link signs in only there), what a sign-in records about the requester, and how every way in
 * ends: the session cookie, and who signed in (or that registration is next).
 */
function signInCookies(deps: HttpDeps) {
  /** The sign-in cookie's name: the browser that asked for a code keeps its random value. */
  const signInCookie = (c: Context<AppEnv>) => {
    const cookie = patientCookieName(c, deps.staff.baseUrl);
    return cookie ? { name: `${cookie.name}_signin`, secure: cookie.secure } : null;
  };
  const meta = (c: Context<AppEnv>): SignInMeta => {
    const cookie = signInCookie(c);
    const nonce = cookie ? getCookie(c, cookie.name) : undefined;
    return {
      actor: actorOf(c, null),
      ip: clientIp(c),
      userAgent: c.req.header('user-agent') ?? null,
      device: nonce ? tokenId(nonce) : null,
    };
  };
  /** Every way in ends alike: the session cookie, and who signed in (or that registration is next). */
  const signedIn = async (c: Context<AppEnv>, { token, patient }: SignedIn) => {
    setPatientCookie(c, deps.staff.baseUrl, token, SESSION_SECONDS);
    return c.json(
      patient ? await registeredMe(deps, patient) : { patient: null, registrationRequired: true },
      200,
    );
  };

  /** Gives this browser a new sign-in cookie; its value, for the code to be bound to (none without a cookie). */
  const startSignIn = (c: Context<AppEnv>): string | undefined => {
    const nonce = randomToken(32);
    const cookie = signInCookie(c);
    if (!cookie) return undefined;
    setPatientAppCookie(c, cookie, nonce, 15 * 60);
    return nonce;
  };
  return { signInCookie, startSignIn, meta, signedIn };
}

/**
 * `/api/v1/auth`: patient sign-in with a one-time code (by email or SMS, or the emailed link), a
 * staff invitation or a passkey, and sign out; and the codes that confirm a patient's new email
 * or phone. `start` answers 202 with one body whatever the address; limits per address and per
 * requester (this browser's sign-in cookie, else its network address) are in the domain
 * (database), per network address here (in memory, per instance).
 */
export function patientAuthApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  const perIp = (name: string, max: number) =>
    rateLimit(createRateLimiter({ name, max, windowMs: 10 * 60_000 }), (c) => clientIp(c));
  const startLimit = perIp('patient-code-ip', deps.config.patientCodeIpLimit);
  const verifyLimit = perIp('patient-verify-ip', deps.config.patientCodeIpLimit * 2);
  const { signInCookie, startSignIn, meta, signedIn } = signInCookies(deps);

  app.openapi(apiRoute(kit, start, startLimit), async (c) => {
    // This browser's sign-in cookie: the emailed link signs in only where the code was asked for.
    const nonce = startSignIn(c);
    await deps.patientSignIn.start(c.req.valid('json'), actorOf(c, null), nonce);
    return c.json(
      { message: 'If this address can sign in here, a code is on its way. It works for 10 minutes.' },
      202,
    );
  });

  app.openapi(apiRoute(kit, verify, verifyLimit), async (c) =>
    signedIn(c, await deps.patientSignIn.verify(c.req.valid('json'), meta(c))),
  );

  app.openapi(apiRoute(kit, verifyLink, verifyLimit), async (c) => {
    const session = await deps.patientSignIn.verifyLink(c.req.valid('json'), meta(c));
    const cookie = signInCookie(c);
    if (cookie) deleteCookie(c, cookie.name, { path: '/', secure: cookie.secure });
    return signedIn(c, session);
  });

  // A staff invitation, accepted with the date of birth on record.
  app.openapi(apiRoute(kit, invite, verifyLimit), async (c) =>
    signedIn(c, await deps.patientInvites.accept(c.req.valid('json'), meta(c))),
  );

  // A patient on file who signed in with the email or phone on their record: no second record.
  app.openapi(apiRoute(kit, recordOnFile), async (c) =>
    c.json({ recordOnFile: await deps.patientInvites.hasRecordOnFile(c.get('patient')!) }, 200),
  );

  app.openapi(apiRoute(kit, linkRecord, verifyLimit), async (c) => {
    const record = await deps.patientInvites.linkRecord(
      c.get('patient')!,
      c.req.valid('json'),
      patientActorOf(c),
    );
    return c.json(await registeredMe(deps, record), 200);
  });

  app.openapi(apiRoute(kit, passkeyOptions, verifyLimit), async (c) =>
    c.json(await deps.patientPasskeys.signInOptions(relyingParty(c, deps.staff.baseUrl)), 200),
  );

  app.openapi(apiRoute(kit, passkey, verifyLimit), async (c) => {
    const rp = relyingParty(c, deps.staff.baseUrl);
    return signedIn(c, await deps.patientPasskeys.signInWith(c.req.valid('json') as never, rp, meta(c)));
  });

  app.openapi(apiRoute(kit, contactChanges), async (c) => {
    const pending = await deps.patientContacts.pending(registeredPatientOf(c).id);
    return c.json({ pending: pending.map((p) => ({ ...p, expiresAt: p.expiresAt.toISOString() })) }, 200);
  });

  app.openapi(apiRoute(kit, confirmContact, verifyLimit), async (c) => {
    const record = await deps.patientContacts.verify(registeredPatientOf(c), c.req.valid('json'));
    return c.json(await registeredMe(deps, record), 200);
  });

  app.openapi(apiRoute(kit, resendContactCode, startLimit), async (c) => {
    await deps.patientContacts.resend(registeredPatientOf(c), c.req.valid('json'));
    return c.json({ message: 'A new code is on its way. It works for 15 minutes.' }, 202);
  });

  app.openapi(apiRoute(kit, signOut), async (c) => {
    await deps.patientSignIn.signOut(c.get('patient')!.id);
    clearPatientCookie(c, deps.staff.baseUrl);
    return c.body(null, 204);
  });

  app.openapi(apiRoute(kit, signOutEverywhere), async (c) => {
    const session = c.get('patient')!;
    await deps.patientSignIn.signOutEverywhere(session.address, patientActorOf(c));
    // The devices that got this patient's notifications stop getting them too.
    if (session.patientId) {
      await deps.notifications.push.unsubscribeAll(patientActorOf(c), session.patientId);
    }
    clearPatientCookie(c, deps.staff.baseUrl);
    return c.body(null, 204);
  });

  return app;
}
