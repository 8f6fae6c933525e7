import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { defaultClinicSettings, type QuietHours } from '../../domain/clinic/index.ts';
import { quietHoursOf } from '../../domain/notifications/index.ts';
import type { Patient, PatientSession, SignedIn, SignInMeta } from '../../domain/patients/index.ts';
import { randomToken } from '../../lib/ids.ts';
import { createRateLimiter } from '../../lib/rate-limit.ts';
import { clearPatientCookie, patientCookieName, setPatientCookie } from '../middleware/patient-auth.ts';
import { clientIp, rateLimit } from '../middleware/rate-limit.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import { relyingParty } from '../relying-party.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { jsonBody } from './appointments.ts';

/**
 * What a patient sees of their own record. `notifications` is the per-channel consent and the
 * SMS quiet hours in force (the clinic's unless the patient chose; null: none);
 * `messagesByEmail`/`messagesBySms` stay for older apps.
 */
export const patientView = (
  p: Patient,
  clinicQuietHours: QuietHours | null = defaultClinicSettings.smsQuietHours,
) => ({
  id: p.id,
  firstName: p.firstName,
  lastName: p.lastName,
  dateOfBirth: p.dateOfBirth,
  email: p.email,
  phone: p.phone,
  preferredLanguage: p.preferredLanguage,
  messagesByEmail: p.messagesByEmail,
  messagesBySms: p.messagesBySms,
  notifications: {
    email: p.messagesByEmail,
    sms: p.messagesBySms,
    push: p.messagesByPush,
    quietHours: quietHoursOf(p.quietHours, clinicQuietHours),
  },
});

const SESSION_SECONDS = 30 * 86_400;
const passkeyBody = z.strictObject({ name: z.string().max(80), response: z.record(z.string(), z.unknown()) });

/**
 * Patient sign-in with a one-time code, registration, the signed-in patient's own data, and sign
 * out. `start` answers 202 with one body whatever the address; limits per address are in the
 * domain (database), per network address here (in memory, per instance).
 */
export function patientAuthApi(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();
  const startLimit = rateLimit(
    createRateLimiter({
      name: 'patient-code-ip',
      max: deps.config.patientCodeIpLimit,
      windowMs: 10 * 60_000,
    }),
    (c) => clientIp(c),
  );
  const verifyLimit = rateLimit(
    createRateLimiter({
      name: 'patient-verify-ip',
      max: deps.config.patientCodeIpLimit * 2,
      windowMs: 10 * 60_000,
    }),
    (c) => clientIp(c),
  );
  const signInMeta = (c: Context<AppEnv>): SignInMeta => ({
    actor: actorOf(c, null),
    ip: clientIp(c),
    userAgent: c.req.header('user-agent') ?? null,
  });
  /** Every way in ends alike: the session cookie, and who signed in (or that registration is next). */
  const signedInAnswer = (c: Context<AppEnv>, { token, patient }: SignedIn) => {
    setPatientCookie(c, deps.staff.baseUrl, token, SESSION_SECONDS);
    return c.json({ patient: patient ? patientView(patient) : null, registrationRequired: !patient });
  };
  const patientActor = (c: Context<AppEnv>) => ({
    ...actorOf(c, null),
    type: 'patient' as const,
    id: c.get('patient')?.patientId ?? null,
  });

  app.post('/api/v1/auth/start', authorize('public'), startLimit, async (c) => {
    // This browser's sign-in cookie: the emailed link signs in only where the code was asked for.
    const nonce = randomToken(32);
    const cookie = patientCookieName(c, deps.staff.baseUrl);
    if (cookie) {
      setCookie(c, `${cookie.name}_signin`, nonce, {
        path: '/',
        httpOnly: true,
        secure: cookie.secure,
        sameSite: 'Lax',
        maxAge: 15 * 60,
      });
    }
    await deps.patientSignIn.start(await jsonBody(c), actorOf(c, null), cookie ? nonce : undefined);
    return c.json(
      { message: 'If this address can sign in here, a code is on its way. It works for 10 minutes.' },
      202,
    );
  });

  app.post('/api/v1/auth/verify', authorize('public'), verifyLimit, async (c) => {
    const signedIn = await deps.patientSignIn.verify(await jsonBody(c), signInMeta(c));
    return signedInAnswer(c, signedIn);
  });

  app.post('/api/v1/auth/verify-link', authorize('public'), verifyLimit, async (c) => {
    const cookie = patientCookieName(c, deps.staff.baseUrl);
    const nonce = cookie ? getCookie(c, `${cookie.name}_signin`) : undefined;
    const signedIn = await deps.patientSignIn.verifyLink(await jsonBody(c), nonce, signInMeta(c));
    if (cookie) deleteCookie(c, `${cookie.name}_signin`, { path: '/', secure: cookie.secure });
    return signedInAnswer(c, signedIn);
  });

  // A staff invitation, accepted with the date of birth on record.
  app.post('/api/v1/auth/invite', authorize('public'), verifyLimit, async (c) => {
    const signedIn = await deps.patientInvites.accept(await jsonBody(c), signInMeta(c));
    return signedInAnswer(c, signedIn);
  });

  app.post('/api/v1/auth/sign-out', authorize('patient-session'), async (c) => {
    await deps.patientSignIn.signOut(c.get('patient')!.id);
    clearPatientCookie(c, deps.staff.baseUrl);
    return c.body(null, 204);
  });

  app.post('/api/v1/auth/sign-out-everywhere', authorize('patient-session'), async (c) => {
    const session = c.get('patient')!;
    await deps.patientSignIn.signOutEverywhere(session.address);
    // The devices that got this patient's notifications stop getting them too.
    if (session.patientId) await deps.notifications.push.unsubscribeAll(patientActor(c), session.patientId);
    clearPatientCookie(c, deps.staff.baseUrl);
    return c.body(null, 204);
  });

  app.get('/api/v1/me', authorize('patient-session'), async (c) => {
    const session = c.get('patient')!;
    if (!session.patientId) return c.json({ patient: null, registrationRequired: true });
    const patient = await deps.patients.get(patientActor(c), session.patientId);
    const { smsQuietHours } = await deps.clinic.get();
    return c.json({ patient: patientView(patient, smsQuietHours), registrationRequired: false });
  });

  app.post('/api/v1/me/registration', authorize('patient-session'), async (c) => {
    const patient = await deps.patientRegistration.register(
      c.get('patient')!,
      await jsonBody(c),
      patientActor(c),
    );
    return c.json({ patient: patientView(patient) }, 201);
  });

  /** The signed-in patient as an audit actor with their id. */
  const me = (c: Context<AppEnv>) => ({ ...patientActor(c), id: c.get('patient')!.patientId! });

  app.patch('/api/v1/me', authorize('patient'), async (c) => {
    const patient = await deps.patients.updateOwn(me(c), await jsonBody(c), c.get('patient')!);
    const { smsQuietHours } = await deps.clinic.get();
    return c.json({ patient: patientView(patient, smsQuietHours), registrationRequired: false });
  });

  app.get('/api/v1/me/dependents', authorize('patient'), async (c) => {
    return c.json({ dependents: (await deps.patientFamily.dependents(me(c))).map((p) => patientView(p)) });
  });

  app.post('/api/v1/me/dependents', authorize('patient'), async (c) => {
    const patient = await deps.patientFamily.addDependent(me(c), await jsonBody(c));
    return c.json({ patient: patientView(patient) }, 201);
  });

  app.get('/api/v1/me/waitlist', authorize('patient'), async (c) => {
    return c.json({ entries: await deps.waitlist.listForPatient(me(c)) });
  });

  // Passkeys: added within 15 minutes of a code sign-in, then enough to sign in alone.
  const registered = (c: Context<AppEnv>) => c.get('patient') as PatientSession & { patientId: string };
  app.get('/api/v1/me/passkeys', authorize('patient'), async (c) =>
    c.json({ passkeys: await deps.patientPasskeys.list(registered(c).patientId) }),
  );
  app.post('/api/v1/me/passkeys/options', authorize('patient'), async (c) =>
    c.json(
      await deps.patientPasskeys.registrationOptions(registered(c), relyingParty(c, deps.staff.baseUrl)),
    ),
  );
  app.post('/api/v1/me/passkeys', authorize('patient'), async (c) => {
    const body = passkeyBody.parse(await jsonBody(c));
    await deps.patientPasskeys.register(
      me(c),
      registered(c),
      body.response as never,
      relyingParty(c, deps.staff.baseUrl),
      body.name,
    );
    return c.json({ passkeys: await deps.patientPasskeys.list(registered(c).patientId) }, 201);
  });
  app.delete('/api/v1/me/passkeys/:id', authorize('patient'), async (c) => {
    await deps.patientPasskeys.remove(me(c), registered(c).patientId, c.req.param('id'));
    return c.body(null, 204);
  });
  app.post('/api/v1/auth/passkey/options', authorize('public'), verifyLimit, async (c) =>
    c.json(await deps.patientPasskeys.signInOptions(relyingParty(c, deps.staff.baseUrl))),
  );
  app.post('/api/v1/auth/passkey', authorize('public'), verifyLimit, async (c) => {
    const signedIn = await deps.patientPasskeys.signInWith(
      (await jsonBody(c)) as never,
      relyingParty(c, deps.staff.baseUrl),
      signInMeta(c),
    );
    return signedInAnswer(c, signedIn);
  });

  app.get('/api/v1/me/appointments', authorize('patient'), async (c) => {
    const appointments = await deps.appointments.listForPatient({
      actor: { ...patientActor(c), id: c.get('patient')!.patientId! },
    });
    return c.json({ appointments });
  });

  return app;
}
