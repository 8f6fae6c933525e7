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
const permissionsPolicy = [
  ...unused.map((feature) => `${feature}=()`),
  'publickey-credentials-get=(self)',
  'publickey-credentials-create=(self)',
].join(', ');

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
    strictTransportSecurity: false,
    // A route that sets its own (a document's content: `default-src 'none'; sandbox`) keeps it.
    overwrite: false,
  });
  const policies: MiddlewareHandler<AppEnv> = async (c, next) => {
    await next();
    setHeader(c, 'Permissions-Policy', permissionsPolicy);
    // HSTS only where HTTPS is real (our own TLS, or a public https base URL behind a proxy).
    if (new URL(c.req.url).protocol === 'https:' || baseUrl.startsWith('https://')) {
      setHeader(c, 'Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    }
  };
  return [headers, policies];
}
