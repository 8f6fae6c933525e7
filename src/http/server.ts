import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { languageDetector } from 'hono/language';
import { secureHeaders } from 'hono/secure-headers';
import { AppError } from '../lib/errors.ts';
import { appointmentsApi } from './api/appointments.ts';
import { openApiRoutes } from './api/openapi.ts';
import { patientAuthApi } from './api/patient-auth.ts';
import { patientsApi } from './api/patients.ts';
import { pushApi } from './api/push.ts';
import { servicesApi } from './api/services.ts';
import { apiLanguages } from './api-translations.ts';
import { healthRoutes } from './health.ts';
import { onError, onNotFound } from './middleware/error.ts';
import { patientContext } from './middleware/patient-auth.ts';
import { requestContext, setHeader } from './middleware/request-context.ts';
import { apiCsrfProtection, authorizer, csrfProtection, staffContext } from './middleware/staff-auth.ts';
import { staffAdminRoutes } from './staff/admin.tsx';
import { staffAuthRoutes } from './staff/auth.tsx';
import { staffAvailabilityRoutes } from './staff/availability.tsx';
import { staffCalendarRoutes } from './staff/calendar.tsx';
import { staffHomeRoutes } from './staff/home.tsx';
import { staffInboxRoutes } from './staff/inbox.tsx';
import { staffMessagesRoutes } from './staff/messages.tsx';
import { staffPasskeyRoutes } from './staff/passkeys.tsx';
import { staffPatientAppRoutes } from './staff/patient-app.tsx';
import { staffPatientsRoutes } from './staff/patients.tsx';
import { staffPractitionersRoutes } from './staff/practitioners.tsx';
import { staffServicesRoutes } from './staff/services.tsx';
import { staffSettingsRoutes } from './staff/settings.tsx';
import { createSignIn } from './staff/sign-in.ts';
import { staffSsoRoutes } from './staff/sso.tsx';
import { staticRoutes } from './static.ts';
import type { AppEnv, HttpDeps } from './types.ts';
import { unsubscribeRoutes } from './unsubscribe.tsx';

/**
 * The one route table: global middleware (the gateway), then every area mounted in one place.
 */
export function createHttp(deps: HttpDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(requestContext(deps.log));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'same-origin',
      strictTransportSecurity: false,
    }),
  );
  // HSTS only where HTTPS is real (our own TLS, or a public https base URL behind a proxy).
  app.use(async (c, next) => {
    await next();
    if (new URL(c.req.url).protocol === 'https:' || deps.staff.baseUrl.startsWith('https://')) {
      setHeader(c, 'Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    }
  });
  app.use(
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: () => {
        throw new AppError('payload_too_large', 'The request body is too large.', { status: 413 });
      },
    }),
  );

  const authorize = authorizer(deps.staff.baseUrl);
  // Hono's '/staff/*' also matches '/staff' itself: one registration, one run per request.
  app.use('/staff/*', staffContext(deps.staff), csrfProtection(deps.staff.baseUrl));
  app.use(
    '/api/*',
    languageDetector({
      order: ['header'],
      supportedLanguages: apiLanguages,
      fallbackLanguage: 'en',
      caches: false,
      convertDetectedLanguage: (tag) => tag.split('-')[0]!.toLowerCase(),
    }),
    staffContext(deps.staff),
    patientContext(deps.patientSignIn, deps.staff.baseUrl),
    apiCsrfProtection(deps.staff.baseUrl),
  );

  app.route('/', healthRoutes(deps, authorize));
  app.route(
    '/',
    staticRoutes(deps.assets, authorize, () => deps.clinic.get()),
  );
  const signIn = createSignIn(deps);
  app.route('/', staffAuthRoutes(deps, authorize, signIn));
  app.route('/', staffPasskeyRoutes(deps, authorize, signIn));
  app.route('/', staffSsoRoutes(deps, authorize, signIn));
  app.route('/', staffHomeRoutes(deps, authorize));
  app.route('/', staffInboxRoutes(deps, authorize));
  app.route('/', staffPatientAppRoutes(deps, authorize));
  app.route('/', staffAdminRoutes(deps, authorize));
  app.route('/', staffSettingsRoutes(deps, authorize));
  app.route('/', staffServicesRoutes(deps, authorize));
  app.route('/', staffPractitionersRoutes(deps, authorize));
  app.route('/', staffCalendarRoutes(deps, authorize));
  app.route('/', staffAvailabilityRoutes(deps, authorize));
  app.route('/', staffPatientsRoutes(deps, authorize));
  app.route('/', staffMessagesRoutes(deps, authorize));
  app.route('/', unsubscribeRoutes(deps, authorize));
  app.route('/', servicesApi(deps, authorize));
  app.route('/', appointmentsApi(deps, authorize));
  app.route('/', patientsApi(deps, authorize));
  app.route('/', patientAuthApi(deps, authorize));
  app.route('/', pushApi(deps, authorize));
  app.route('/', openApiRoutes(deps.version, authorize));

  app.get('/', authorize('public'), (c) => c.redirect('/app/'));
  app.get('/favicon.ico', authorize('public'), (c) => c.redirect('/static/favicon.svg', 301));

  app.onError(onError);
  app.notFound(onNotFound);
  return app;
}
