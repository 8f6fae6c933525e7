import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { AppError, type FieldIssue, issuesOf, validationFailed } from '../../lib/errors.ts';

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/;

/**
 * The request's body as a JSON object, or a refusal: 400 `invalid_json` when it is not one, 415
 * when it was not sent as JSON (every POST to the API already must be, by its CSRF rule).
 */
export async function jsonObjectOf(c: Context): Promise<Record<string, unknown>> {
  const body = await c.req.json().catch(() => undefined);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('invalid_json', 'body_not_json_object', { status: 400 });
  }
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new AppError('unsupported_media_type', 'body_not_json', { status: 415 });
  }
  return body as Record<string, unknown>;
}

/** Middleware: the body must be a JSON object before its schema judges the fields (API routes). */
export const jsonObject: MiddlewareHandler = async (c, next) => {
  await jsonObjectOf(c);
  await next();
};

/** The JSON body read with `schema`: a refusal names each wrong field (422 `validation_failed`). */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const result = schema.safeParse(await jsonObjectOf(c));
  if (!result.success) throw validationFailed(issuesOfRequest(result.error));
  return result.data;
}

/**
 * The field issues of a refused request. A body that fails every branch of a union (sign in by
 * email or by phone) is judged by the branch whose fields it uses — the one naming the fewest of
 * its keys as unknown — so the answer says what is wrong with the field sent, not "invalid input"
 * (as the domain judges it).
 */
export function issuesOfRequest(error: z.ZodError): FieldIssue[] {
  const [only] = error.issues;
  if (error.issues.length !== 1 || only?.code !== 'invalid_union' || only.path.length) return issuesOf(error);
  const unknownKeys = (issues: z.core.$ZodIssue[]) =>
    issues.reduce((n, i) => n + (i.code === 'unrecognized_keys' && !i.path.length ? i.keys.length : 0), 0);
  const branch = only.errors.reduce((best, issues) =>
    unknownKeys(issues) < unknownKeys(best) ? issues : best,
  );
  return branch ? issuesOf({ issues: branch }) : issuesOf(error);
}
