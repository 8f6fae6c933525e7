import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../../lib/errors.ts';
import { readForm } from '../kit/form.ts';
import { isStreamedUpload } from '../kit/upload.ts';
import type { AppEnv } from '../types.ts';

/** Cross-site request forgery checks: staff forms (/staff) and the JSON API (/api). */

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** This site's origins: the request's own, and the public URL's when one is set. */
const ownOrigins = (c: Context, baseUrl: string) =>
  new Set([new URL(c.req.url).origin, ...(baseUrl ? [new URL(baseUrl).origin] : [])]);

/**
 * The origin the browser says a request comes from: its Origin header, else its Referer's origin
 * (null when it sends neither). A Referer that is no URL answers '': from nowhere we know, refused.
 */
function claimedOrigin(c: Context): string | null {
  const origin = c.req.header('origin');
  if (origin !== undefined) return origin;
  const referer = c.req.header('referer');
  if (!referer) return null;
  return URL.canParse(referer) ? new URL(referer).origin : '';
}

/**
 * Every state-changing request must come from our own pages: the Origin (or Referer) must be
 * this site, and the form field `_csrf` or header `X-CSRF-Token` must equal the CSRF cookie
 * (double submit: a cross-site page can neither read the cookie nor set the header).
 */
export function csrfProtection(baseUrl: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (SAFE.has(c.req.method)) return next();
    const origin = claimedOrigin(c);
    if (origin !== null && !ownOrigins(c, baseUrl).has(origin))
      throw new AppError('csrf_failed', 'This form came from another site and was refused.', { status: 403 });
    let sent = c.req.header('x-csrf-token');
    // A streamed upload (kit/upload.ts) sends its token in the header: its body, past the body
    // limit, is never read whole here. Signed out, the route's policy sends the request to sign
    // in without reading it either.
    if (!sent && isStreamedUpload(c)) {
      if (!c.get('staff')) return next();
      throw new AppError('csrf_failed', 'Your form expired. Go back, reload the page and try again.', {
        status: 403,
      });
    }
    if (!sent && (c.req.header('content-type') ?? '').match(/form/))
      sent = (await readForm(c)).optional('_csrf');
    const expected = c.get('csrf');
    if (!expected || sent !== expected) {
      throw new AppError('csrf_failed', 'Your form expired. Go back, reload the page and try again.', {
        status: 403,
      });
    }
    await next();
  };
}

/**
 * CSRF for the JSON API: a POST must say `Content-Type: application/json` (a cross-site page can
 * send that only after a CORS preflight, which we never grant; PATCH and DELETE always need one),
 * and any change must, when the browser names its origin, come from this site.
 */
export function apiCsrfProtection(baseUrl: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (SAFE.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    if ((origin && !ownOrigins(c, baseUrl).has(origin)) || c.req.header('sec-fetch-site') === 'cross-site')
      throw new AppError('csrf_failed', 'cross_site_refused', { status: 403 });
    // A file upload is multipart (a simple request): only on the upload routes, which the SameSite
    // session cookies and the Origin check above keep same-site.
    const upload = isStreamedUpload(c) && /^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '');
    if (
      c.req.method === 'POST' &&
      !upload &&
      !/^application\/json\b/i.test(c.req.header('content-type') ?? '')
    ) {
      throw new AppError('unsupported_media_type', 'body_not_json', { status: 415 });
    }
    await next();
  };
}
