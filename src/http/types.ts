import type {
  AccountsService,
  StaffPasskeys,
  StaffSessions,
  StaffSso,
  ValidSession,
} from '../domain/accounts/index.ts';
import type { AuditService } from '../domain/audit/index.ts';
import type { ClinicService } from '../domain/clinic/index.ts';
import type {
  DeliveryLog,
  MessageTemplates,
  Notifier,
  PatientPush,
  StaffAlerts,
  UnsubscribeLinks,
} from '../domain/notifications/index.ts';
import type {
  PatientFamily,
  PatientInvites,
  PatientPasskeys,
  PatientRegistration,
  PatientSession,
  PatientSignIn,
  PatientsService,
} from '../domain/patients/index.ts';
import type {
  AppointmentsService,
  AvailabilityAdmin,
  CalendarFeeds,
  PractitionersService,
  ServicesService,
  SlotSearch,
  WaitlistService,
} from '../domain/scheduling/index.ts';
import type { JobAdmin } from '../jobs/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/log.ts';
import type { AssetSource } from './assets.ts';
import type { CookieNames } from './middleware/staff-auth.ts';

/** What the HTTP layer needs from app.ts; route modules close over the parts they use. */
export interface HttpDeps {
  version: string;
  log: Logger;
  clock: Clock;
  /** Whether this instance can serve (database reachable, migrations applied). */
  readiness: () => Promise<Readiness>;
  assets: AssetSource;
  audit: AuditService;
  jobs: JobAdmin;
  clinic: ClinicService;
  services: ServicesService;
  practitioners: PractitionersService;
  patients: PatientsService;
  patientSignIn: PatientSignIn;
  patientRegistration: PatientRegistration;
  patientFamily: PatientFamily;
  patientInvites: PatientInvites;
  patientPasskeys: PatientPasskeys;
  /** Sign-in codes one address may ask for in 10 minutes. */
  patientCodeIpLimit: number;
  appointments: AppointmentsService;
  slots: SlotSearch;
  calendarFeeds: CalendarFeeds;
  waitlist: WaitlistService;
  availabilityAdmin: AvailabilityAdmin;
  /** Messages: dispatch, the delivery log, templates, push devices, unsubscribe links. */
  notifications: {
    notifier: Notifier;
    deliveries: DeliveryLog;
    templates: MessageTemplates;
    push: PatientPush;
    unsubscribe: UnsubscribeLinks;
    staffAlerts: StaffAlerts;
  };
  staff: {
    accounts: AccountsService;
    sessions: StaffSessions;
    mfaRequired: boolean;
    /** Public URL (empty: the request's own origin). */
    baseUrl: string;
    idleMs: number;
    absoluteMs: number;
    /** Single sign-on, when configured. */
    sso: StaffSso | null;
    passkeys: StaffPasskeys;
  };
}

/** Per-request context variables (typed `c.get(...)`). */
export interface AppEnv {
  /** From the server (listen.ts): the peer's address. Absent under app.request() in tests. */
  Bindings: { ip?: string | undefined };
  Variables: {
    requestId: string;
    log: Logger;
    /** /staff only: the signed-in member, or null. */
    staff: ValidSession | null;
    /** /staff only: this browser's CSRF token. */
    csrf: string;
    /** /api only: the patient session (verified address; `patientId` null until registration), or null. */
    patient: PatientSession | null;
    /** /staff only: cookie names for this request, or null when sign-in is refused (plain HTTP on a LAN). */
    cookies: CookieNames | null;
    /** /api only: the language errors are answered in (Accept-Language; en or fr). */
    language: string;
  };
}

/** The readiness answer app.ts provides (http/ does not touch the database itself). */
export interface Readiness {
  ready: boolean;
  database: string;
  reason?: string | undefined;
  pending?: string[] | undefined;
}
