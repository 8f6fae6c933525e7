import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { can, type Permission, type StaffSessions, type ValidSession } from '../../domain/accounts/index.ts';
import type { Actor } from '../../domain/audit/index.ts';
import { AppError, forbidden } from '../../lib/errors.ts';
import { randomToken } from '../../lib/ids.ts';
import type { AppEnv } from '../types.ts';
import { clientIp } from './rate-limit.ts';
import { setHeader } from './request-context.ts';

/**
 * Staff sign-in state and authorization for /staff (CSRF protection: csrf.ts).
 *
 * Cookies: `__Host-` prefixed and Secure over HTTPS; over plain HTTP only on localhost, without
 * the prefix (browsers refuse Secure cookies there). Plain HTTP on a network address gets no
 * sign-in at all: health data must not cross a LAN unencrypted.
 */
export interface StaffAuthOptions {
  sessions: StaffSessions;
  mfaRequired: boolean;
  baseUrl: string;
  idleMs: number;
}

export interface CookieNames {
  secure: boolean;
  session: string;
  csrf: string;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function cookieNames(c: Context, baseUrl: string): CookieNames | null {
  const url = new URL(c.req.url);
  if (url.protocol === 'https:' || baseUrl.startsWith('https://')) {
    return { secure: true, session: '__Host-cb_staff', csrf: '__Host-cb_csrf' };
  }
  if (LOCAL_HOSTS.has(url.hostname)) return { secure: false, session: 'cb_staff', csrf: 'cb_csrf' };
  return null;
}

export function setSessionCookie(c: Context, names: CookieNames, token: string, maxAgeSeconds: number) {
  setCookie(c, names.session, token, {
    path: '/',
    httpOnly: true,
    secure: names.secure,
    sameSite: 'Strict', // no request from another site arrives signed in (sso.tsx lands by a same-site step)
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(c: Context, names: CookieNames) {
  deleteCookie(c, names.session, { path: '/', secure: names.secure });
}

/** Loads the signed-in staff member (or null) and the CSRF token for every /staff request. */
export function staffContext(options: StaffAuthOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const names = cookieNames(c, options.baseUrl);
    c.set('cookies', names);
    let staff: ValidSession | null = null;
    if (names) {
      const token = getCookie(c, names.session);
      staff = token ? await options.sessions.validate(token) : null;
      if (token && !staff) clearSessionCookie(c, names);
      let csrf = getCookie(c, names.csrf);
      if (!csrf || !/^[\w-]{43}$/.test(csrf)) {
        csrf = randomToken(32);
        setCookie(c, names.csrf, csrf, { path: '/', httpOnly: true, secure: names.secure, sameSite: 'Lax' });
      }
      c.set('csrf', csrf);
    } else {
      c.set('csrf', '');
    }
    c.set('staff', staff);
    await next();
    // Staff pages show health data and secrets (TOTP keys, recovery codes, invite links): never
    // keep them in a shared computer's cache or back button.
    setHeader(c, 'Cache-Control', 'no-store');
  };
}

/**
 * Who may call a route. `public`: anyone. `password`: signed in with a password, second factor
 * possibly still to come (the second-factor pages). `staff`: fully signed in. A permission: fully
 * signed in with a role that has it (accounts.policy.ts). The function carries its policy so a
 * test can walk the route table and find any route without one.
 */
export type RoutePolicy =
  | 'public'
  | 'password'
  | 'staff'
  | Permission
  /** A signed-in patient (registered). */
  | 'patient'
  /** A verified patient address, registered or not (registration, sign-out). */
  | 'patient-session'
  /** Staff with the permission, or a signed-in patient (the domain scopes what each sees). */
  | `${Permission}|patient`;
export type Authorizer = MiddlewareHandler<AppEnv> & { policy: RoutePolicy };

export function authorizer(baseUrl = '') {
  return (policy: RoutePolicy): Authorizer => {
    const handler: MiddlewareHandler<AppEnv> = async (c, next) => {
      if (policy === 'public') return next();
      const patient = c.get('patient');
      if (policy === 'patient-session') {
        if (!patient) throw new AppError('unauthorized', 'sign_in_required', { status: 401 });
        return next();
      }
      const patientAllowed = policy === 'patient' || policy.endsWith('|patient');
      const staff = c.get('staff');
      // Staff first on shared routes (a staff member trying the patient app in the same browser).
      if (patientAllowed && patient && (!staff || policy === 'patient')) {
        if (!patient.patientId) {
          throw new AppError('registration_required', 'registration_required', { status: 403 });
        }
        return next();
      }
      if (policy === 'patient') throw new AppError('unauthorized', 'sign_in_required', { status: 401 });
      if (!staff) return toSignIn(c, baseUrl);
      const permission = (patientAllowed ? policy.slice(0, -'|patient'.length) : policy) as RoutePolicy;
      // A session starts unverified only when a second step is owed (sign-in.ts secondStep: any
      // enrolled factor, TOTP or passkey, or MFA required), so unverified means not yet in.
      if (permission !== 'password' && !staff.session.mfaVerified) {
        return redirect(c, staff.account.mfaEnrolledAt ? '/staff/login/code' : '/staff/setup/totp');
      }
      if (
        permission !== 'password' &&
        permission !== 'staff' &&
        !can(staff.account.role, permission as Permission)
      ) {
        throw forbidden('Your role does not allow this. Ask an administrator if you need it.');
      }
      return next();
    };
    return Object.assign(handler, { policy });
  };
}

/**
 * To sign-in and back: a page redirect, or HX-Redirect for htmx requests, or 401 JSON for the API.
 * Back means the page the member was on: for htmx, the request is a fragment, so the page is the
 * one htmx names in HX-Current-URL (this site's only; else Today).
 */
function toSignIn(c: Context<AppEnv>, baseUrl: string) {
  if (c.req.path.startsWith('/api/')) throw new AppError('unauthorized', 'sign_in_required', { status: 401 });
  const url = new URL(c.req.url);
  let back = '/staff';
  if (c.req.header('hx-request')) {
    const current = pageOf(c.req.header('hx-current-url'), [
      url.origin,
      ...(baseUrl ? [new URL(baseUrl).origin] : []),
    ]);
    if (current) back = current;
  } else if (c.req.method === 'GET') {
    back = c.req.path + url.search;
  }
  // A session cookie that no longer signs in: the session ended (idle, signed out elsewhere,
  // deactivated), which the sign-in page says.
  const names = c.get('cookies');
  const ended = names && getCookie(c, names.session) ? '&ended=1' : '';
  return redirect(c, `/staff/login?next=${encodeURIComponent(safeNext(back))}${ended}`);
}

/** The path and query of `href` when it is on one of `origins`, else null. */
export function pageOf(href: string | undefined, origins: string[]): string | null {
  if (!href) return null;
  try {
    const url = new URL(href);
    return origins.includes(url.origin) ? url.pathname + url.search : null;
  } catch {
    return null;
  }
}

export function redirect(c: Context<AppEnv>, location: string) {
  if (c.req.header('hx-request')) {
    c.header('HX-Redirect', location);
    return c.body(null, 200);
  }
  return c.redirect(location, 303);
}

/** Only same-site paths are followed after sign-in (no open redirect). */
export const safeNext = (next: string | undefined): string =>
  next && /^\/staff(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/staff';

/** Who is acting on this request, for the audit log: the given (or signed-in) staff member, else the system. */
export function actorOf(c: Context<AppEnv>, account?: { id: string } | null): Actor {
  const who = account === undefined ? c.get('staff')?.account : account;
  return {
    type: who ? 'staff' : 'system',
    id: who?.id ?? null,
    ip: clientIp(c),
    userAgent: c.req.header('user-agent') ?? null,
    requestId: c.get('requestId'),
  };
}
