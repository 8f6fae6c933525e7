import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../types.ts';
import { setHeader } from './request-context.ts';

/**
 * The browser's rules for every response: a Content-Security-Policy (our own scripts, styles and
 * images only, never framed), a Referrer-Policy, and a Permissions-Policy that turns off every
 * powerful feature the app does not use, so an injected or framed script cannot ask for the
 * camera, microphone, location or payment. Passkeys (WebAuthn get and create) stay, for this
 * site only: the staff sign-in and the patient app use them. HSTS where HTTPS is real.
 */
const unused = [
  'accelerometer',
  'autoplay',
  'camera',
  'clipboard-read',
  'clipboard-write',
  'display-capture',
  'encrypted-media',
  'fullscreen',
  'geolocation',
  'gyroscope',
  'hid',
  'idle-detection',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'picture-in-picture',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
];
/**
 * Hono's permissionsPolicy option: every unused feature off; passkeys for this site only. Names
 * are written as sent (Hono's camelCase-to-kebab leaves them so); its type lacks
 * publickey-credentials-create.
 */
const permissionsPolicy = {
  ...Object.fromEntries(unused.map((feature) => [feature, false])),
  'publickey-credentials-get': ['self'],
  'publickey-credentials-create': ['self'],
} as NonNullable<Parameters<typeof secureHeaders>[0]>['permissionsPolicy'];

const hsts: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  setHeader(c, 'Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
};

export function securityHeaders(baseUrl: string): MiddlewareHandler<AppEnv>[] {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
    referrerPolicy: 'same-origin',
    permissionsPolicy,
    strictTransportSecurity: false,
    // A route that sets its own (a document's content: `default-src 'none'; sandbox`) keeps it.
    overwrite: false,
  });
  // HSTS only where HTTPS is real: a public https base URL behind a proxy (every response), or
  // our own TLS (the request's URL; read as text, not parsed, on every request).
  if (baseUrl.startsWith('https://')) return [headers, hsts];
  const ownTls: MiddlewareHandler<AppEnv> = async (c, next) =>
    c.req.url.startsWith('https:') ? hsts(c, next) : next();
  return [headers, ownTls];
}
