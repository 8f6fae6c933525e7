import { createRoute, OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { AppError, type FieldIssue, issuesOf, validationFailed } from '../../lib/errors.ts';
import type { RoutePolicy } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv } from '../types.ts';

/**
 * The API's routes are OpenAPI routes (`@hono/zod-openapi`): each declares its policy, its
 * request's schemas — the same zod schemas the domain validates with — and its answers, and the
 * document at `/api/v1/openapi.json` is made from them. A request that does not match is refused
 * here, exactly as the domain would refuse it: 400 `invalid_json` when the body is not a JSON
 * object, 422 `validation_failed` with `issues` naming each field.
 */
export function createApi(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationFailed(issuesOfRequest(result.error));
    },
  });
}

/** How the API is called: anyone, a staff session, a patient session, or either. */
export type ApiAccess = 'public' | 'staff' | 'patient' | 'staff-or-patient';

/** Who may call a route of `policy`, as the document says it. */
export function accessOf(policy: RoutePolicy): ApiAccess {
  if (policy === 'public') return 'public';
  if (policy === 'patient' || policy === 'patient-session') return 'patient';
  return policy.endsWith('|patient') ? 'staff-or-patient' : 'staff';
}

const securityOf: Record<ApiAccess, Record<string, string[]>[]> = {
  public: [],
  staff: [{ staffSession: [] }],
  patient: [{ patientSession: [] }],
  'staff-or-patient': [{ staffSession: [] }, { patientSession: [] }],
};

type ApiRouteSpec = Omit<RouteConfig, 'middleware' | 'security'> & {
  policy: RoutePolicy;
  /** Run after the policy, before the body is read (rate limits). */
  middleware?: MiddlewareHandler<AppEnv>[];
};

/**
 * One API route: `createRoute` with the route's policy (checked first, and the document's
 * `security`), its own middleware, and, when it takes a body, the JSON object check before the
 * body's schema.
 */
export function apiRoute<const S extends ApiRouteSpec>(kit: RouteKit, spec: S) {
  const { policy, middleware = [], ...route } = spec;
  return createRoute({
    ...route,
    middleware: [kit.authorize(policy), ...middleware, ...(route.request?.body ? [jsonObject] : [])],
    security: securityOf[accessOf(policy)],
  });
}

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/;

/**
 * The body must be a JSON object (400 `invalid_json`), sent as JSON (415, as every POST already
 * is by the API's CSRF rule): the schema then judges its fields.
 */
const jsonObject: MiddlewareHandler<AppEnv> = async (c, next) => {
  const body = await c.req.json().catch(() => undefined);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('invalid_json', 'The request body must be a JSON object.', { status: 400 });
  }
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new AppError('unsupported_media_type', 'Send JSON with Content-Type: application/json.', {
      status: 415,
    });
  }
  await next();
};

/** A JSON request body checked with `schema` (typed `c.req.valid('json')`). */
export const jsonBody = <S extends z.ZodType>(schema: S, description?: string) => ({
  required: true as const,
  ...(description ? { description } : {}),
  content: { 'application/json': { schema } },
});

/** The `{id}` of a path. */
export const idParams = z.object({ id: z.string().describe('An id (UUID)') });

const errorBody = z.object({
  error: z.object({
    code: z.string().describe('Stable: validation_failed, not_found, slot_taken, stale, too_late, …'),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
/** An error answer, as error.ts writes every one. */
export type ErrorJson = z.infer<typeof errorBody>;

const errorText = {
  401: 'Not signed in',
  403: 'Not allowed (role, or a request from another site)',
  404: 'Not found (also for what the caller may not see)',
  409: 'Conflict: slot_taken, stale, too_late or invalid_status',
  422: 'Invalid input; `issues` names the fields',
  429: 'Too many requests',
} as const;

/** A JSON answer of `schema`. */
export const answer = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** The error answers a route may give (`{"error":{"code","message"}}`). */
export function refusals<const C extends keyof typeof errorText>(...codes: C[]) {
  return Object.fromEntries(codes.map((code) => [code, answer(errorBody, errorText[code])])) as {
    [K in C]: ReturnType<typeof answer<typeof errorBody>>;
  };
}

/**
 * The field issues of a refused request. A body that fails every branch of a union (sign in by
 * email or by phone) is judged by the branch whose fields it uses — the one naming the fewest of
 * its keys as unknown — so the answer says what is wrong with the field sent, not "invalid input".
 */
function issuesOfRequest(error: z.ZodError): FieldIssue[] {
  const [only] = error.issues;
  if (error.issues.length !== 1 || only?.code !== 'invalid_union' || only.path.length) return issuesOf(error);
  const unknownKeys = (issues: z.core.$ZodIssue[]) =>
    issues.reduce((n, i) => n + (i.code === 'unrecognized_keys' && !i.path.length ? i.keys.length : 0), 0);
  const branch = only.errors.reduce((best, issues) =>
    unknownKeys(issues) < unknownKeys(best) ? issues : best,
  );
  return branch ? issuesOf({ issues: branch }) : issuesOf(error);
}
