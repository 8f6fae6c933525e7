import { createRoute, OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { validationFailed } from '../../lib/errors.ts';
import type { RoutePolicy } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv } from '../types.ts';
import { issuesOfRequest, jsonObject } from './json.ts';

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

/** An API route's definition — path, policy, request schemas, answers — kept with its literal types. */
type ApiRouteSpec = Omit<RouteConfig, 'middleware' | 'security'> & { policy: RoutePolicy };

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** What an operation says after its method and path: summary, request, answers, and its policy when not the module's. */
type OperationSpec = Omit<ApiRouteSpec, 'method' | 'path' | 'tags' | 'policy'> & { policy?: RoutePolicy };

/**
 * The operations of one API module, under the module's tags and, unless an operation names its
 * own, the module's policy: `operations.get('/{id}', { summary, request, responses })` is that
 * route's definition, for `apiRoute`.
 */
export function apiOperations(module: { tags: string[]; policy: RoutePolicy }) {
  const operation =
    <const M extends Method>(method: M) =>
    <const P extends string, const S extends OperationSpec>(path: P, spec: S) =>
      ({ method, path, policy: module.policy, tags: module.tags, ...spec }) as Omit<S, 'policy'> & {
        method: M;
        path: P;
        policy: RoutePolicy;
        tags: string[];
      };
  return {
    get: operation('get'),
    post: operation('post'),
    put: operation('put'),
    patch: operation('patch'),
    delete: operation('delete'),
  };
}

/**
 * One API route: `createRoute` with the route's policy (checked first, and the document's
 * `security`), then `middleware` (rate limits), then, when it takes a body, the JSON object check
 * before the body's schema.
 */
export function apiRoute<const S extends ApiRouteSpec>(
  kit: RouteKit,
  spec: S,
  ...middleware: MiddlewareHandler<AppEnv>[]
) {
  const { policy, ...route } = spec;
  return createRoute({
    ...route,
    middleware: [kit.authorize(policy), ...middleware, ...(route.request?.body ? [jsonObject] : [])],
    security: securityOf[accessOf(policy)],
  });
}

/** A JSON request body checked with `schema` (typed `c.req.valid('json')`). */
export const jsonBody = <S extends z.ZodType>(schema: S) => ({
  required: true as const,
  content: { 'application/json': { schema } },
});

/** The `{id}` of a path. */
export const idParams = z.object({ id: z.string().describe('An id (UUID)') });

const errorBody = z.object({
  error: z.object({
    code: z.string().describe('Stable: validation_failed, not_found, slot_taken, stale, too_late, …'),
    message: z.string(),
    issues: z
      .array(
        z.object({
          path: z.string(),
          message: z.string(),
          code: z.string().optional().describe('The message’s stable key (lib/messages.ts), when it has one'),
        }),
      )
      .optional(),
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

/** A 409 answer `{"error":{"code","message"}}` whose codes `codes` lists ("invoice_not_issued, payer_no_email"). */
export const conflicts = (codes: string) => ({
  409: answer(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), codes),
});

/** A status an API route may refuse with. */
export type RefusalStatus = keyof typeof errorText;

/** The error answers a route may give (`{"error":{"code","message"}}`). */
export function refusals<const C extends RefusalStatus>(...codes: C[]) {
  return Object.fromEntries(codes.map((code) => [code, answer(errorBody, errorText[code])])) as {
    [K in C]: ReturnType<typeof answer<typeof errorBody>>;
  };
}
