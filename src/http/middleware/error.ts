import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import { ErrorPage } from '../../../views/pages/error.tsx';
import { ErrorNotice } from '../../../views/partials/error.tsx';
import { AppError, type FieldIssue, issuesOf, notFound } from '../../lib/errors.ts';
import { type Language, renderMessage } from '../../lib/messages.ts';
import type { AppEnv } from '../types.ts';

/**
 * The one place errors become responses: `/api/*` (and JSON clients) get
 * `{"error":{"code","message"}}`, pages get an HTML error page, htmx requests a fragment. Unknown errors are logged with
 * their stack on the server and shown as a generic 500 — never a stack trace to the user.
 * The API says an error's message (and each field's) in the request's language when it has a
 * key of lib/messages.ts, else in the English it was raised with; pages stay English.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    return new AppError('validation_failed', 'fields_invalid', { issues: issuesOf(err) });
  }
  if (err instanceof HTTPException) {
    const code = err.status === 413 ? 'payload_too_large' : err.status === 404 ? 'not_found' : 'bad_request';
    return new AppError(code, err.message ? { text: err.message } : 'request_not_handled', {
      status: err.status,
    });
  }
  return new AppError('internal', 'internal_error', { status: 500 });
}

const wantsJson = (c: Context) =>
  c.req.path.startsWith('/api/') ||
  c.req.path.startsWith('/fhir/') ||
  (c.req.header('accept') ?? '').startsWith('application/json');

export function errorResponse(c: Context<AppEnv>, error: AppError) {
  const status = error.status as 400;
  if (wantsJson(c)) {
    const language: Language = c.get('language') === 'fr' ? 'fr' : 'en';
    const message = error.key ? renderMessage(error.key, language, error.params) : error.message;
    return c.json(
      {
        error: {
          code: error.code,
          message,
          ...(error.issues ? { issues: error.issues.map((i) => issueJson(i, language)) } : {}),
        },
      },
      status,
    );
  }
  const props = { message: error.message, requestId: c.get('requestId') };
  // htmx 4 swaps error responses too: give it a fragment, not a page inside the page.
  if (c.req.header('hx-request') === 'true') return c.html(ErrorNotice(props), status);
  return c.html(ErrorPage({ status: error.status, ...props }), status);
}

/** A field issue as the API answers it: its path, its key as `code` when it has one, its message in `language`. */
const issueJson = ({ path, code, params, message }: FieldIssue, language: Language) => ({
  path,
  message: code ? renderMessage(code, language, params) : message,
  ...(code ? { code } : {}),
});

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  const error = toAppError(err);
  if (error.status >= 500) {
    c.get('log')?.error('unhandled error', { error: err instanceof Error ? err.stack : String(err) });
  }
  return errorResponse(c, error);
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) => errorResponse(c, notFound('this_page'));
