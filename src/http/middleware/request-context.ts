import type { Span } from '@opentelemetry/api';
import type { Context, MiddlewareHandler, Next } from 'hono';
import { routePath } from 'hono/route';
import { newId } from '../../lib/ids.ts';
import type { Logger } from '../../lib/log.ts';
import { inRequest } from '../../lib/request-scope.ts';
import { inServerSpan, tracing } from '../../lib/tracing.ts';
import type { AppEnv } from '../types.ts';

const validId = /^[\w.:-]{1,128}$/;
const probe = new Set(['/healthz', '/readyz']);
/** A path segment that is a secret token (newSecretToken: 43 base64url characters), maybe with an extension. */
const secretSegment = /^[A-Za-z0-9_-]{40,}(\.[a-z]+)?$/;

/** A run of 40 token characters: a path without one has no secret segment (most paths). */
const secretRun = /[A-Za-z0-9_-]{40}/;

/** The path as logged: a secret in it (a calendar feed's token) is replaced, never written out. */
export const loggedPath = (path: string): string =>
  secretRun.test(path)
    ? path
        .split('/')
        .map((segment) => segment.replace(secretSegment, (_, ext = '') => `:secret${ext}`))
        .join('/')
    : path;

/**
 * Gives every request an id (kept from a trusted proxy's X-Request-Id when well-formed), echoes it
 * in the response (and to the jobs the request enqueues: lib/request-scope.ts) and writes one log line per request: method, path (no query string, and no
 * secret segment: either may carry tokens), status, duration, id. Never bodies, cookies or headers.
 */
export function requestContext(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const id = incoming && validId.test(incoming) ? incoming : newId();
    c.set('requestId', id);
    c.set('log', log.child({ requestId: id }));
    try {
      if (tracing())
        await inServerSpan(
          (name) => c.req.header(name),
          (span) => traced(c, span, id, next),
        );
      else await inRequest(id, next);
    } finally {
      setHeader(c, 'X-Request-Id', id);
      const status = c.res.status;
      const fields = {
        method: c.req.method,
        path: loggedPath(c.req.path),
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        requestId: id,
      };
      if (status >= 500) log.error('request', fields);
      else if (probe.has(fields.path))
        log.debug('request', fields); // polled constantly by balancers
      else log.info('request', fields);
    }
  };
}

/** The request in its server span, named by its route once matched (never the URL: ids stay out). */
async function traced(c: Context<AppEnv>, span: Span, id: string, next: Next): Promise<void> {
  try {
    await inRequest(id, next);
  } finally {
    const route = routePath(c, -1) || '(unmatched)';
    span.updateName(`${c.req.method} ${route}`);
    span.setAttributes({
      'http.request.method': c.req.method,
      'http.route': route,
      'http.response.status_code': c.res.status,
      'clinicbox.request_id': id,
    });
  }
}

/** Sets a header on the final response, copying it once if its headers are immutable. */
export function setHeader(c: Parameters<MiddlewareHandler>[0], name: string, value: string) {
  try {
    c.res.headers.set(name, value);
  } catch {
    // Responses from fetch()/static files may have immutable headers: copy once.
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set(name, value);
  }
}
