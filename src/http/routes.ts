import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, Hono } from 'hono';
import type { StaffNavProps } from '../../views/layouts/staff.tsx';
import type { Permission } from '../domain/accounts/index.ts';
import { appointmentSeriesApi } from './api/appointment-series.ts';
import { appointmentsApi } from './api/appointments.ts';
import { patientAuthApi } from './api/auth.ts';
import { clinicApi } from './api/clinic.ts';
import { apiDocsRoutes } from './api/docs.ts';
import { mePasskeysApi } from './api/me/passkeys.ts';
import { mePushSubscriptionsApi } from './api/me/push-subscriptions.ts';
import { meApi } from './api/me.ts';
import { patientsApi } from './api/patients.ts';
import { practitionersApi } from './api/practitioners.ts';
import { pushApi } from './api/push.ts';
import { servicesApi } from './api/services.ts';
import { slotsApi } from './api/slots.ts';
import { waitlistApi } from './api/waitlist.ts';
import { healthRoutes } from './health.ts';
import type { Authorizer, RoutePolicy } from './middleware/staff-auth.ts';
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

/** What every route module is given besides the deps: the gateway's pieces it declares routes with. */
export interface RouteKit {
  /** The policy of one route (the route-policy test walks every route and reads it). */
  authorize(policy: RoutePolicy): Authorizer;
  /** The staff navigation for the signed-in member: every module's entry their role may open. */
  nav(c: Context<AppEnv>): StaffNavProps;
  /** The OpenAPI document of every API route mounted (call it once all are: at request time). */
  openApiDocument: OpenAPIHono<AppEnv>['getOpenAPI31Document'];
}

/** A section of the staff navigation: shown to members whose role has `needs` (null: everyone). */
export interface NavEntry {
  label: string;
  href: string;
  needs: Permission | null;
}

/**
 * One route module: where it is mounted, its navigation entry, and its routes. API modules are
 * OpenAPIHono apps, so their operations are the OpenAPI document's (`/api/v1/openapi.json`).
 */
export interface RouteModule {
  /** Where its routes are mounted; they are written relative to it, so a URL leads to its file. */
  prefix: string;
  nav?: NavEntry;
  routes(deps: HttpDeps, kit: RouteKit): Hono<AppEnv>;
}

export const defineRoutes = (module: RouteModule): RouteModule => module;

/**
 * Every route of Clinicbox, in one list, in the order they are matched; the staff navigation
 * lists the entries in this order. Adding an area's pages or API is one line here.
 */
export function routeModules(): RouteModule[] {
  // The ways of signing in share their limits (counted together per address and account).
  let signIn: ReturnType<typeof createSignIn> | undefined;
  const sharedSignIn = (deps: HttpDeps) => {
    signIn ??= createSignIn(deps);
    return signIn;
  };
  return [
    defineRoutes({ prefix: '/', routes: (deps, kit) => healthRoutes(deps, kit) }),
    defineRoutes({
      prefix: '/',
      routes: (deps, kit) => staticRoutes(deps.assets, kit, () => deps.clinic.get()),
    }),
    defineRoutes({
      prefix: '/',
      routes: (deps, kit) => staffAuthRoutes(deps, kit, sharedSignIn(deps)),
    }),
    defineRoutes({
      prefix: '/',
      routes: (deps, kit) => staffPasskeyRoutes(deps, kit, sharedSignIn(deps)),
    }),
    defineRoutes({ prefix: '/', routes: (deps, kit) => staffSsoRoutes(deps, kit, sharedSignIn(deps)) }),
    defineRoutes({
      prefix: '/',
      nav: { label: 'Today', href: '/staff', needs: null },
      routes: (deps, kit) => staffHomeRoutes(deps, kit),
    }),
    defineRoutes({
      prefix: '/',
      nav: { label: 'Calendar', href: '/staff/calendar', needs: 'patients.read' },
      routes: (deps, kit) => staffCalendarRoutes(deps, kit),
    }),
    defineRoutes({ prefix: '/', routes: (deps, kit) => staffAvailabilityRoutes(deps, kit) }),
    defineRoutes({
      prefix: '/',
      nav: { label: 'Patients', href: '/staff/patients', needs: 'patients.read' },
      routes: (deps, kit) => staffPatientsRoutes(deps, kit),
    }),
    defineRoutes({
      prefix: '/',
      nav: { label: 'Inbox', href: '/staff/inbox', needs: null },
      routes: (deps, kit) => staffInboxRoutes(deps, kit),
    }),
    defineRoutes({ prefix: '/', routes: (deps, kit) => staffPatientAppRoutes(deps, kit) }),
    defineRoutes({
      prefix: '/',
      nav: { label: 'Settings', href: '/staff/settings', needs: 'settings.manage' },
      routes: (deps, kit) => staffSettingsRoutes(deps, kit),
    }),
    defineRoutes({ prefix: '/', routes: (deps, kit) => staffServicesRoutes(deps, kit) }),
    defineRoutes({ prefix: '/', routes: (deps, kit) => staffPractitionersRoutes(deps, kit) }),
    defineRoutes({ prefix: '/', routes: (deps, kit) => staffMessagesRoutes(deps, kit) }),
    defineRoutes({
      prefix: '/',
      nav: { label: 'Admin', href: '/staff/admin', needs: 'staff.manage' },
      routes: (deps, kit) => staffAdminRoutes(deps, kit),
    }),
    defineRoutes({ prefix: '/', routes: (deps, kit) => unsubscribeRoutes(deps, kit) }),
    defineRoutes({ prefix: '/api/v1/services', routes: servicesApi }),
    defineRoutes({ prefix: '/api/v1/clinic', routes: clinicApi }),
    defineRoutes({ prefix: '/api/v1/practitioners', routes: practitionersApi }),
    defineRoutes({ prefix: '/api/v1/slots', routes: slotsApi }),
    defineRoutes({ prefix: '/api/v1/appointments', routes: appointmentsApi }),
    defineRoutes({ prefix: '/api/v1/appointment-series', routes: appointmentSeriesApi }),
    defineRoutes({ prefix: '/api/v1/waitlist', routes: waitlistApi }),
    defineRoutes({ prefix: '/api/v1/patients', routes: patientsApi }),
    defineRoutes({ prefix: '/api/v1/auth', routes: patientAuthApi }),
    defineRoutes({ prefix: '/api/v1/me', routes: meApi }),
    defineRoutes({ prefix: '/api/v1/me/passkeys', routes: mePasskeysApi }),
    defineRoutes({ prefix: '/api/v1/me/push-subscriptions', routes: mePushSubscriptionsApi }),
    defineRoutes({ prefix: '/api/v1/push', routes: pushApi }),
    defineRoutes({ prefix: '/api', routes: apiDocsRoutes }),
  ];
}
