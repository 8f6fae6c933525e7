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
type OperationSpec = Omit<ApiRouteSpec, 'method' | 'path' | 'tags' | 'policy' | 'request' | 'responses'> & {
  policy?: RoutePolicy;
  request?: ApiRouteSpec['request'];
  responses?: ApiRouteSpec['responses'];
} & Shorthand;

/** One answer of an operation, as `responses` lists it. */
type ResponseConfig = RouteConfig['responses'][string];

/** A success answer in short: its schema and what it means. */
type Success = readonly [schema: z.ZodType, description: string];

/**
 * The usual request and answers in short, expanded into `request` and `responses` (which an
 * operation may still give for anything else: a 409 with its own body, a file's answers):
 * `params` (`idParams` when left out and the path's one parameter is `{id}`), `query`, `headers`;
 * `body`, a JSON body of that schema; `ok` (200), `created` (201), `accepted` (202),
 * `[schema, description]`; `noContent` (204), its description; `conflicts`, the 409 codes (or the
 * 409 answer, when it has its own body); `refuses`, the error statuses (by default those the kit
 * itself answers: see `ownRefusals`).
 */
interface Shorthand {
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  ok?: Success;
  created?: Success;
  accepted?: Success;
  noContent?: string;
  conflicts?: string | ResponseConfig;
  refuses?: readonly RefusalStatus[];
}

const shorthandKeys: (keyof Shorthand)[] = [
  'params',
  'query',
  'headers',
  'body',
  'ok',
  'created',
  'accepted',
  'noContent',
  'conflicts',
  'refuses',
];

type AnswerOf<A> = A extends readonly [infer S extends z.ZodType, string]
  ? ReturnType<typeof answer<S>>
  : never;
type If<S, K extends keyof Shorthand, T> = S extends { [P in K]: unknown } ? T : unknown;

/** The names of a path's parameters (`'/{id}/forms/{formId}'`: `'id' | 'formId'`). */
type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer R}` ? N | ParamNames<R> : never;
/** Whether a path's one parameter is `{id}`. */
const onlyId = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).join() === 'id';

/** An operation's path params: its own, else `idParams` when the path's one parameter is `{id}`. */
type ParamsOf<S extends OperationSpec, P extends string> = S extends { params: unknown }
  ? { params: S['params'] }
  : S extends { request: { params: unknown } }
    ? unknown
    : [ParamNames<P>] extends ['id']
      ? ['id'] extends [ParamNames<P>]
        ? { params: typeof idParams }
        : unknown
      : unknown;

/** An operation's `request`, the shorthand's included. */
type RequestOf<S extends OperationSpec, P extends string> = (S['request'] extends object
  ? S['request']
  : object) &
  ParamsOf<S, P> &
  If<S, 'query', { query: S['query'] }> &
  If<S, 'headers', { headers: S['headers'] }> &
  If<S, 'body', { body: ReturnType<typeof jsonBody<NonNullable<S['body']>>> }>;

/** An operation's `responses`, the shorthand's included. */
type ResponsesOf<S extends OperationSpec> = (S['responses'] extends object ? S['responses'] : unknown) &
  If<S, 'ok', { 200: AnswerOf<S['ok']> }> &
  If<S, 'created', { 201: AnswerOf<S['created']> }> &
  If<S, 'accepted', { 202: AnswerOf<S['accepted']> }> &
  If<S, 'noContent', { 204: { description: string } }> &
  If<S, 'conflicts', S['conflicts'] extends string ? ReturnType<typeof conflicts> : { 409: S['conflicts'] }> &
  (S extends { refuses: readonly (infer C extends RefusalStatus)[] }
    ? ReturnType<typeof refusals<C>>
    : unknown);

/** An operation's definition with its shorthand expanded, as `createRoute` takes it. */
type Expanded<S extends OperationSpec, P extends string> = Omit<
  S,
  keyof Shorthand | 'policy' | 'request' | 'responses'
> & {
  request: RequestOf<S, P>;
  responses: ResponsesOf<S>;
};

/**
 * What an operation refuses with unless it says: what the kit itself refuses — 401 without the
 * session its policy needs, 403 a staff role without the permission or a patient session not yet
 * registered (every patient policy but `patient-session`), 404 an unknown id in its path, 422 an
 * invalid JSON body. An operation that may refuse otherwise lists all its refusals.
 */
function ownRefusals(policy: RoutePolicy, path: string, body: unknown): RefusalStatus[] {
  return [
    ...(policy === 'public' ? [] : [401 as const]),
    ...(policy === 'public' || policy === 'patient-session' ? [] : [403 as const]),
    ...(path.includes('{') ? [404 as const] : []),
    ...(body ? [422 as const] : []),
  ];
}

/** The shorthand of the operation at `path` written out: the same `request` and `responses` as by hand. */
function expand(path: string, spec: OperationSpec, policy: RoutePolicy) {
  const {
    params: own,
    query,
    headers,
    body,
    ok,
    created,
    accepted,
    noContent,
    conflicts: codes,
    refuses,
  } = spec;
  const { request, responses, ...rest } = spec;
  for (const key of shorthandKeys) delete rest[key];
  const params = own ?? (onlyId(path) && !request?.params ? idParams : undefined);
  const requested = {
    ...(params && { params }),
    ...(query && { query }),
    ...(headers && { headers }),
    ...(body && { body: jsonBody(body) }),
    ...request,
  };
  return {
    ...rest,
    ...(Object.keys(requested).length > 0 || request ? { request: requested } : {}),
    responses: {
      ...(ok && { 200: answer(...ok) }),
      ...(created && { 201: answer(...created) }),
      ...(accepted && { 202: answer(...accepted) }),
      ...(noContent !== undefined && { 204: { description: noContent } }),
      ...(typeof codes === 'string' ? conflicts(codes) : codes && { 409: codes }),
      ...responses,
      ...refusals(...(refuses ?? ownRefusals(policy, path, body))),
    },
  };
}

/**
 * The operations of one API module, under the module's tags and, unless an operation names its
 * own, the module's policy: `operations.get('/{id}', { summary, ok, refuses })` is that route's
 * definition, for `apiRoute`.
 */
export function apiOperations(module: { tags: string[]; policy: RoutePolicy }) {
  const operation =
    <const M extends Method>(method: M) =>
    <const P extends string, const S extends OperationSpec>(path: P, spec: S) =>
      ({
        method,
        path,
        policy: module.policy,
        tags: module.tags,
        ...expand(path, spec, spec.policy ?? module.policy),
      }) as unknown as Expanded<S, P> & { method: M; path: P; policy: RoutePolicy; tags: string[] };
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
  422: 'Invalid input; `issues` names the fields',
  429: 'Too many requests',
} as const;

/** A JSON answer of `schema`. */
export const answer = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** An answer whose body is a file of `mediaType` (its bytes, not JSON). */
export const fileAnswer = (mediaType: string, description: string) => ({
  description,
  content: { [mediaType]: { schema: { type: 'string' as const, format: 'binary' } } },
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
