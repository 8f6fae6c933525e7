import { z } from '@hono/zod-openapi';
import { ApiPage } from '../../../views/pages/api.tsx';
import { type ApiAccess, apiOperations, apiRoute, createApi } from '../kit/api.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';

type Document = ReturnType<RouteKit['openApiDocument']>;

const openApi = apiOperations({ tags: ['About'], policy: 'public' }).get('/v1/openapi.json', {
  summary: 'This document',
  ok: [z.record(z.string(), z.unknown()), 'OpenAPI 3.1'],
});

/**
 * `/api`: the OpenAPI 3.1 document of `/api/v1`, made from the API's route definitions (their
 * policies, the domain's request schemas and the answers' schemas), and a readable page of the
 * same operations. `test/openapi.test.ts` checks the document is valid and that every `/api/v1`
 * route is in it and nothing else is.
 */
export function apiDocsRoutes(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openAPIRegistry.registerComponent('securitySchemes', 'staffSession', {
    type: 'apiKey',
    in: 'cookie',
    name: '__Host-cb_staff',
    description: 'A staff session (sign in at /staff/login).',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'patientSession', {
    type: 'apiKey',
    in: 'cookie',
    name: '__Host-cb_patient',
    description: 'A patient session (POST /api/v1/auth/start, then /api/v1/auth/verify).',
  });
  // Made once, on first use: every module is mounted by then.
  let document: Document | undefined;
  const documentNow = () =>
    (document ??= kit.openApiDocument({
      openapi: '3.1.0',
      info: {
        title: 'Clinicbox API',
        version: deps.version,
        description:
          'JSON over HTTPS. Errors are {"error":{"code","message"}} with a stable code. Changes (POST) must be sent as application/json from the same site.',
      },
      servers: [{ url: '/' }],
    }));

  app.openapi(apiRoute(kit, openApi), (c) =>
    c.json(documentNow() as unknown as Record<string, unknown>, 200),
  );

  app.get('/', kit.authorize('public'), (c) => c.html(ApiPage({ operations: operationsOf(documentNow()) })));
  return app;
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** The document's operations, in order, with who may call each (from its `security`). */
function operationsOf(document: Document) {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    methods.flatMap((method) => {
      const op = item[method];
      if (!op) return [];
      const schemes = new Set((op.security ?? []).flatMap((s) => Object.keys(s)));
      const access: ApiAccess =
        schemes.size === 0
          ? 'public'
          : schemes.size === 2
            ? 'staff-or-patient'
            : schemes.has('staffSession')
              ? 'staff'
              : 'patient';
      return [{ method, path, summary: op.summary ?? '', access }];
    }),
  );
}
