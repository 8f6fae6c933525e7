import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, Hono } from 'hono';
import type { StaffNavProps } from '../../views/layouts/staff.tsx';
import type { Permission } from '../domain/accounts/index.ts';
import { appointmentSeriesApi } from './api/appointment-series.ts';
import { appointmentsApi } from './api/appointments.ts';
import { patientAuthApi } from './api/auth.ts';
import { billingSettingsApi, productsApi, servicePricesApi, taxRatesApi } from './api/billing-catalogue.ts';
import { clinicApi } from './api/clinic.ts';
import { apiDocsRoutes } from './api/docs.ts';
import { documentsApi, patientDocumentsApi } from './api/documents.ts';
import { exportsApi, meExportsApi, patientExportsApi } from './api/exports.ts';
import { patientFormsApi } from './api/forms.ts';
import { invoiceDocumentsApi, meInvoiceDocumentsApi } from './api/invoice-documents.ts';
import { invoicesApi } from './api/invoices.ts';
import { meAccessApi } from './api/me/access.ts';
import { meDocumentsApi } from './api/me/documents.ts';
import { meFormsApi } from './api/me/forms.ts';
import { meInvoicesApi } from './api/me/invoices.ts';
import { mePasskeysApi } from './api/me/passkeys.ts';
import { mePushSubscriptionsApi } from './api/me/push-subscriptions.ts';
import { meThreadsApi } from './api/me/threads.ts';
import { meApi } from './api/me.ts';
import { notesApi, patientNotesApi } from './api/notes.ts';
import { patientsApi } from './api/patients.ts';
import { practitionersApi } from './api/practitioners.ts';
import { pushApi } from './api/push.ts';
import { reportsApi } from './api/reports.ts';
import { servicesApi } from './api/services.ts';
import { slotsApi } from './api/slots.ts';
import { templatesApi } from './api/templates.ts';
import { patientThreadsApi, threadsApi } from './api/threads.ts';
import { waitlistApi } from './api/waitlist.ts';
import { healthRoutes } from './health.ts';
import { icalRoutes } from './ical.ts';
import { metricsRoutes } from './metrics.ts';
import type { Authorizer, RoutePolicy } from './middleware/staff-auth.ts';
import { pwaRoutes } from './pwa.ts';
import { rootRoutes } from './root.ts';
import { smsInboundRoutes } from './sms-inbound.ts';
import { staffConfirmRoutes } from './staff/account/confirm.tsx';
import { staffAccountPasskeyRoutes } from './staff/account/passkeys.ts';
import { staffAccountRoutes } from './staff/account.tsx';
import { staffAuditRoutes } from './staff/admin/audit.tsx';
import { staffBackupsRoutes } from './staff/admin/backups.tsx';
import { staffImportRoutes } from './staff/admin/import.tsx';
import { staffJobsRoutes } from './staff/admin/jobs.tsx';
import { staffMessageLogRoutes } from './staff/admin/messages.tsx';
import { staffMembersRoutes } from './staff/admin/staff.tsx';
import { staffAdminRoutes } from './staff/admin.tsx';
import { staffAppointmentRoutes } from './staff/appointments.tsx';
import { staffCalendarRoutes } from './staff/calendar.tsx';
import { staffDocumentsRoutes } from './staff/documents.tsx';
import { staffExportsRoutes } from './staff/exports.tsx';
import { staffFormsRoutes } from './staff/forms.tsx';
import { staffInboxRoutes } from './staff/inbox.tsx';
import { staffInboxMessagesRoutes } from './staff/inbox-messages.tsx';
import { staffInvoicePdfRoutes } from './staff/invoice-pdf.ts';
import { staffInvoicesRoutes } from './staff/invoices.tsx';
import { staffPasskeySignInRoutes } from './staff/login/passkey.ts';
import { staffPasswordResetRoutes } from './staff/login/password-reset.tsx';
import { staffSsoRoutes } from './staff/login/sso.tsx';
import { staffLoginRoutes } from './staff/login.tsx';
import { staffLogoutRoutes } from './staff/logout.ts';
import { staffNotesRoutes } from './staff/notes.tsx';
import { staffNotesPdfRoutes } from './staff/notes-pdf.ts';
import { staffPatientAccessRoutes } from './staff/patient-access.tsx';
import { staffPatientAppRoutes } from './staff/patient-app.tsx';
import { staffPatientsRoutes } from './staff/patients.tsx';
import { staffReportsRoutes } from './staff/reports.tsx';
import { staffSetPasswordRoutes } from './staff/set-password.tsx';
import { staffAvailabilityRoutes } from './staff/settings/availability.tsx';
import { staffBillingSettingsRoutes } from './staff/settings/billing.tsx';
import { staffMessageSettingsRoutes } from './staff/settings/messages.tsx';
import { staffPatientMessagesSettingsRoutes } from './staff/settings/patient-messages.tsx';
import { staffPractitionersRoutes } from './staff/settings/practitioners.tsx';
import { staffServicePriceRoutes } from './staff/settings/service-price.tsx';
import { staffServicesRoutes } from './staff/settings/services.tsx';
import { staffTemplateBuilderRoutes } from './staff/settings/templates.tsx';
import { staffSettingsRoutes } from './staff/settings.tsx';
import { staffSetupRoutes } from './staff/setup.tsx';
import { createSignIn, type SignIn } from './staff/sign-in.ts';
import { staffTodayRoutes } from './staff/today.tsx';
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
  /** Its section in the staff navigation, which links to the prefix. */
  nav?: Omit<NavEntry, 'href'>;
  /** Its routes: one module's, or several mounted at the same prefix, in the order they are matched. */
  routes: ModuleRoutes | ModuleRoutes[];
}

/** The routes of one module, made from the deps and the kit. */
export type ModuleRoutes = (deps: HttpDeps, kit: RouteKit) => Hono<AppEnv>;

/**
 * Every route of Clinicbox, in one list, in the order they are matched; the staff navigation
 * lists the entries in this order. Adding an area's pages or API is one line here.
 */
export function routeModules(): RouteModule[] {
  // The ways of signing in share their limits (counted together per address and account).
  let signIn: SignIn | undefined;
  const sharedSignIn = (deps: HttpDeps) => {
    signIn ??= createSignIn(deps);
    return signIn;
  };
  const withSignIn =
    (routes: (deps: HttpDeps, kit: RouteKit, signIn: SignIn) => Hono<AppEnv>): ModuleRoutes =>
    (deps, kit) =>
      routes(deps, kit, sharedSignIn(deps));
  return [
    { prefix: '/', routes: rootRoutes },
    { prefix: '/', routes: healthRoutes },
    { prefix: '/metrics', routes: metricsRoutes },
    { prefix: '/static', routes: staticRoutes },
    { prefix: '/app', routes: pwaRoutes },
    { prefix: '/staff/login', routes: withSignIn(staffLoginRoutes) },
    { prefix: '/staff/login/passkey', routes: withSignIn(staffPasskeySignInRoutes) },
    { prefix: '/staff/login', routes: withSignIn(staffPasswordResetRoutes) },
    { prefix: '/staff/login/sso', routes: withSignIn(staffSsoRoutes) },
    { prefix: '/staff/setup', routes: withSignIn(staffSetupRoutes) },
    { prefix: '/staff/set-password', routes: withSignIn(staffSetPasswordRoutes) },
    { prefix: '/staff/logout', routes: staffLogoutRoutes },
    { prefix: '/staff', nav: { label: 'Today', needs: null }, routes: staffTodayRoutes },
    { prefix: '/staff/account', routes: staffAccountRoutes },
    { prefix: '/staff/account/passkeys', routes: withSignIn(staffAccountPasskeyRoutes) },
    { prefix: '/staff/account/confirm', routes: withSignIn(staffConfirmRoutes) },
    // An invoice's PDFs, before the invoice pages (`/:id/…`).
    { prefix: '/staff/invoices', routes: staffInvoicePdfRoutes },
    {
      prefix: '/staff/calendar',
      nav: { label: 'Calendar', needs: 'patients.read' },
      routes: staffCalendarRoutes,
    },
    { prefix: '/staff/appointments', routes: staffAppointmentRoutes },
    {
      prefix: '/staff/patients',
      nav: { label: 'Patients', needs: 'patients.read' },
      routes: [
        staffPatientsRoutes,
        staffPatientAccessRoutes,
        staffDocumentsRoutes,
        staffFormsRoutes,
        staffExportsRoutes,
        // Before the notes' own routes: `/:id/notes/:noteId` would take `notes.pdf` for a note id.
        staffNotesPdfRoutes,
        staffNotesRoutes,
      ],
    },
    {
      prefix: '/staff/invoices',
      nav: { label: 'Invoices', needs: 'billing.read' },
      routes: staffInvoicesRoutes,
    },
    { prefix: '/staff/inbox', nav: { label: 'Inbox', needs: null }, routes: staffInboxRoutes },
    { prefix: '/staff/inbox/messages', routes: staffInboxMessagesRoutes },
    {
      prefix: '/staff/reports',
      nav: { label: 'Reports', needs: 'reports.read' },
      routes: staffReportsRoutes,
    },
    { prefix: '/staff/patient-app', routes: staffPatientAppRoutes },
    {
      prefix: '/staff/settings',
      nav: { label: 'Settings', needs: 'settings.manage' },
      routes: staffSettingsRoutes,
    },
    { prefix: '/staff/settings/services', routes: [staffServicesRoutes, staffServicePriceRoutes] },
    { prefix: '/staff/settings/billing', routes: staffBillingSettingsRoutes },
    { prefix: '/staff/settings/practitioners', routes: staffPractitionersRoutes },
    { prefix: '/staff/settings/availability', routes: staffAvailabilityRoutes },
    { prefix: '/staff/settings/messages', routes: staffMessageSettingsRoutes },
    { prefix: '/staff/settings/patient-messages', routes: staffPatientMessagesSettingsRoutes },
    { prefix: '/staff/settings/templates', routes: staffTemplateBuilderRoutes },
    { prefix: '/staff/admin', nav: { label: 'Admin', needs: 'staff.manage' }, routes: staffAdminRoutes },
    { prefix: '/staff/admin/staff', routes: staffMembersRoutes },
    { prefix: '/staff/admin/jobs', routes: staffJobsRoutes },
    { prefix: '/staff/admin/messages', routes: staffMessageLogRoutes },
    { prefix: '/staff/admin/audit', routes: staffAuditRoutes },
    { prefix: '/staff/admin/import', routes: staffImportRoutes },
    { prefix: '/staff/admin/backups', routes: staffBackupsRoutes },
    { prefix: '/unsubscribe', routes: unsubscribeRoutes },
    { prefix: '/ical', routes: icalRoutes },
    { prefix: '/webhooks/sms', routes: smsInboundRoutes },
    { prefix: '/api/v1/services', routes: servicesApi },
    { prefix: '/api/v1/clinic', routes: clinicApi },
    { prefix: '/api/v1/practitioners', routes: practitionersApi },
    { prefix: '/api/v1/slots', routes: slotsApi },
    { prefix: '/api/v1/appointments', routes: appointmentsApi },
    { prefix: '/api/v1/appointment-series', routes: appointmentSeriesApi },
    { prefix: '/api/v1/waitlist', routes: waitlistApi },
    { prefix: '/api/v1/patients', routes: patientsApi },
    { prefix: '/api/v1/patients', routes: patientDocumentsApi },
    { prefix: '/api/v1/documents', routes: documentsApi },
    { prefix: '/api/v1/patients', routes: patientExportsApi },
    { prefix: '/api/v1/exports', routes: exportsApi },
    { prefix: '/api/v1/patients', routes: patientNotesApi },
    { prefix: '/api/v1/notes', routes: notesApi },
    { prefix: '/api/v1/patients', routes: patientFormsApi },
    { prefix: '/api/v1/templates', routes: templatesApi },
    { prefix: '/api/v1/patients', routes: patientThreadsApi },
    { prefix: '/api/v1/threads', routes: threadsApi },
    { prefix: '/api/v1/invoices', routes: [invoiceDocumentsApi, invoicesApi] },
    { prefix: '/api/v1/reports', routes: reportsApi },
    { prefix: '/api/v1/billing', routes: billingSettingsApi },
    { prefix: '/api/v1/tax-rates', routes: taxRatesApi },
    { prefix: '/api/v1/products', routes: productsApi },
    { prefix: '/api/v1/services', routes: servicePricesApi },
    { prefix: '/api/v1/auth', routes: patientAuthApi },
    { prefix: '/api/v1/me', routes: meApi },
    { prefix: '/api/v1/me/passkeys', routes: mePasskeysApi },
    { prefix: '/api/v1/me/access', routes: meAccessApi },
    { prefix: '/api/v1/me/documents', routes: meDocumentsApi },
    { prefix: '/api/v1/me/forms', routes: meFormsApi },
    { prefix: '/api/v1/me/threads', routes: meThreadsApi },
    { prefix: '/api/v1/me/invoices', routes: [meInvoicesApi, meInvoiceDocumentsApi] },
    { prefix: '/api/v1/me', routes: meExportsApi },
    { prefix: '/api/v1/me/push-subscriptions', routes: mePushSubscriptionsApi },
    { prefix: '/api/v1/push', routes: pushApi },
    { prefix: '/api', routes: apiDocsRoutes },
  ];
}
