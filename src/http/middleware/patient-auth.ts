import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { PatientSignIn } from '../../domain/patients/index.ts';
import type { AppEnv } from '../types.ts';
import { cookieNames } from './staff-auth.ts';

/**
 * The patient session for /api: an HttpOnly, SameSite=Lax cookie, `__Host-` prefixed and Secure
 * over HTTPS; over plain HTTP only on localhost, like the staff cookie (no sign-in over a LAN
 * without TLS).
 */
export function patientCookieName(c: Context, baseUrl: string): { name: string; secure: boolean } | null {
  const names = cookieNames(c, baseUrl);
  if (!names) return null;
  return { name: names.secure ? '__Host-cb_patient' : 'cb_patient', secure: names.secure };
}

/** Sets one of the patient app's cookies (`name` and whether it is Secure from the cookie's namer). */
export function setPatientAppCookie(
  c: Context,
  cookie: { name: string; secure: boolean },
  value: string,
  maxAgeSeconds: number,
): void {
  setCookie(c, cookie.name, value, {
    path: '/',
    httpOnly: true,
    secure: cookie.secure,
    sameSite: 'Lax',
    maxAge: maxAgeSeconds,
  });
}

export function setPatientCookie(c: Context, baseUrl: string, token: string, maxAgeSeconds: number): boolean {
  const cookie = patientCookieName(c, baseUrl);
  if (!cookie) return false;
  setPatientAppCookie(c, cookie, token, maxAgeSeconds);
  return true;
}

export function clearPatientCookie(c: Context, baseUrl: string) {
  const cookie = patientCookieName(c, baseUrl);
  if (cookie) deleteCookie(c, cookie.name, { path: '/', secure: cookie.secure });
}

export function patientContext(signIn: PatientSignIn, baseUrl: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const cookie = patientCookieName(c, baseUrl);
    const token = cookie ? getCookie(c, cookie.name) : undefined;
    const session = token ? await signIn.validate(token) : null;
    if (token && !session) clearPatientCookie(c, baseUrl);
    c.set('patient', session);
    await next();
  };
}
