import { timingSafeEqual } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { AppError } from '../lib/errors.ts';
import { isTwilioSignatureValid } from '../notify/sms/twilio-signature.ts';
import type { RouteKit } from './routes.ts';
import type { AppEnv, HttpDeps } from './types.ts';

/**
 * `/webhooks/sms`: SMS patients send to the clinic's number, as the provider posts them — Twilio's
 * inbound webhook (form-encoded, signed: X-Twilio-Signature, HMAC-SHA1 with the auth token over
 * the URL Twilio called and the sorted parameters) or an HTTP gateway's (JSON or form
 * `{from, text, id?}` with the shared secret `--sms-inbound-secret` in X-Clinicbox-Secret). A
 * wrong signature or secret is 403 and nothing is stored; a provider that is not configured is
 * 404. What is received goes to the messaging area (a known patient's thread, or the unmatched
 * list); its text is never logged. No session and no CSRF token: the signature is the authority.
 */
export function smsInboundRoutes(deps: HttpDeps, kit: RouteKit) {
  const app = new Hono<AppEnv>();
  const notConfigured = () =>
    new AppError('not_found', 'This inbound SMS URL is not set up.', { status: 404 });
  const refused = () => new AppError('forbidden', 'The request’s signature is not valid.', { status: 403 });

  /** The URL Twilio requested, as it signed it: the public URL when configured (behind a proxy), else the request's. */
  const signedUrl = (c: Context<AppEnv>) => {
    const url = new URL(c.req.url);
    const base = deps.config.baseUrl.replace(/\/$/, '');
    return base ? `${base}${url.pathname}${url.search}` : url.toString();
  };

  app.post('/twilio', kit.authorize('public'), async (c) => {
    const token = deps.config.twilioAuthToken;
    if (!token) throw notConfigured();
    const params = Object.fromEntries(new URLSearchParams(await c.req.text()));
    if (!isTwilioSignatureValid(token, c.req.header('x-twilio-signature') ?? '', signedUrl(c), params)) {
      c.get('log').warn('inbound SMS with a wrong signature', { provider: 'twilio' });
      throw refused();
    }
    const outcome = await deps.messaging.receiveSms({
      provider: 'twilio',
      providerId: params.MessageSid ?? params.SmsSid,
      from: params.From ?? '',
      text: params.Body ?? '',
    });
    c.get('log').info('inbound SMS', { provider: 'twilio', outcome });
    // An empty TwiML answer: no automatic reply.
    return c.body('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', 200, {
      'content-type': 'text/xml; charset=utf-8',
    });
  });

  app.post('/http', kit.authorize('public'), async (c) => {
    const secret = deps.config.smsInboundSecret;
    if (!secret) throw notConfigured();
    const given = Buffer.from(c.req.header('x-clinicbox-secret') ?? '');
    const expected = Buffer.from(secret);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      c.get('log').warn('inbound SMS with a wrong secret', { provider: 'http' });
      throw refused();
    }
    const isJson = (c.req.header('content-type') ?? '').includes('json');
    const body: Record<string, unknown> = isJson
      ? ((await c.req.json().catch(() => ({}))) as Record<string, unknown>)
      : Object.fromEntries(new URLSearchParams(await c.req.text()));
    const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
    const from = str(body.from);
    if (!from)
      throw new AppError('validation_failed', 'Send `from` (the sender’s number) and `text`.', {
        status: 422,
      });
    const outcome = await deps.messaging.receiveSms({
      provider: 'http',
      providerId: str(body.id) || undefined,
      from,
      text: str(body.text),
    });
    c.get('log').info('inbound SMS', { provider: 'http', outcome });
    return c.json({ outcome }, 200);
  });
  return app;
}
