import { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { languageDetector } from 'hono/language';
import { AppError } from '../lib/errors.ts';
import { languages } from '../lib/messages.ts';
import { isStreamedUpload } from './kit/upload.ts';
import { backupWarning } from './middleware/backup-warning.ts';
import { apiCsrfProtection, csrfProtection } from './middleware/csrf.ts';
import { onError, onNotFound } from './middleware/error.ts';
import { patientContext } from './middleware/patient-auth.ts';
import { resolveClientIp } from './middleware/rate-limit.ts';
import { requestContext } from './middleware/request-context.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { authorizer, staffContext } from './middleware/staff-auth.ts';
import { routeModules as listRouteModules, type RouteKit } from './routes.ts';
import { staffNav } from './staff/nav.ts';
import type { AppEnv, HttpDeps } from './types.ts';

/**
 * The one route table: global middleware (the gateway), then every area mounted in one place.
 */
export function createHttp(deps: HttpDeps): Hono<AppEnv> {
  // An OpenAPIHono: mounting the API modules gathers their routes into one OpenAPI document.
  const app = new OpenAPIHono<AppEnv>();

  // First, so it times the whole chain (and counts what the gateway refuses).
  if (deps.metrics) app.use(deps.metrics.middleware);
  app.use(requestContext(deps.log));
  // Before anything that limits or records by address.
  app.use(resolveClientIp(deps.config.trustProxy));
  app.use(...securityHeaders(deps.staff.baseUrl));
  const limitBody = bodyLimit({
    maxSize: 1024 * 1024,
    onError: () => {
      throw new AppError('payload_too_large', 'body_too_large', { status: 413 });
    },
  });
  // File uploads stream past it (kit/upload.ts: exactly those routes; --max-upload-mb limits them).
  app.use((c, next) => (isStreamedUpload(c) ? next() : limitBody(c, next)));

  const authorize = authorizer(deps.staff.baseUrl);
  const routeModules = listRouteModules();
  // Hono's '/staff/*' also matches '/staff' itself: one registration, one run per request.
  app.use(
    '/staff/*',
    staffContext(deps.staff),
    csrfProtection(deps.staff.baseUrl),
    backupWarning(deps.backups, deps.clock),
  );
  app.use(
    '/api/*',
    languageDetector({
      order: ['header'],
      supportedLanguages: languages,
      fallbackLanguage: 'en',
      caches: false,
      convertDetectedLanguage: (tag) => tag.split('-')[0]!.toLowerCase(),
    }),
    staffContext(deps.staff),
    patientContext(deps.patientSignIn, deps.staff.baseUrl),
    apiCsrfProtection(deps.staff.baseUrl),
  );

  const kit: RouteKit = {
    authorize,
    nav: staffNav(routeModules.flatMap((m) => (m.nav ? [{ ...m.nav, href: m.prefix }] : []))),
    openApiDocument: (config, options) => app.getOpenAPI31Document(config, options),
  };
  for (const module of routeModules) {
    for (const routes of [module.routes].flat()) app.route(module.prefix, routes(deps, kit));
  }

  app.onError(onError);
  app.notFound(onNotFound);
  return app;
}
