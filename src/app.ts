import type { Hono } from 'hono';
import packageJson from '../package.json' with { type: 'json' };
import { type Config, resolveInstanceId } from './config/index.ts';
import {
  mailOptions,
  patientOptions,
  serverOptions,
  smsOptions,
  staffOptions,
  workerOptions,
} from './config/options.ts';
import { type Db, openDatabase } from './db/client.ts';
import { checkReadiness } from './db/readiness.ts';
import {
  type AccountsService,
  accountsJobs,
  accountsService,
  type StaffPasskeys,
  type StaffSessions,
  staffPasskeys,
  staffSessions,
  staffSso,
} from './domain/accounts/index.ts';
import { type AuditService, auditService } from './domain/audit/index.ts';
import { type ClinicService, clinicService } from './domain/clinic/index.ts';
import {
  type DeliveryLog,
  deliveryLog,
  type MessageTemplates,
  messageTemplates,
  type Notifier,
  notificationJobs,
  notifier,
  type PatientPush,
  patientPush,
  type StaffAlerts,
  smsBudget,
  staffAlerts,
  type UnsubscribeLinks,
  unsubscribeLinks,
} from './domain/notifications/index.ts';
import {
  type PatientFamily,
  type PatientInvites,
  type PatientPasskeys,
  type PatientRegistration,
  type PatientSignIn,
  type PatientsService,
  patientFamily,
  patientInvites,
  patientPasskeys,
  patientRegistration,
  patientSignIn,
  patientsJobs,
  patientsService,
} from './domain/patients/index.ts';
import {
  type AppointmentsService,
  type AvailabilityAdmin,
  appointmentsService,
  availabilityAdmin,
  type CalendarFeeds,
  calendarFeeds,
  type PractitionersService,
  practitionersService,
  type ServicesService,
  type SlotSearch,
  schedulingJobs,
  servicesService,
  slotSearch,
  type WaitlistService,
  waitlistService,
} from './domain/scheduling/index.ts';
import { type AssetSource, diskAssets } from './http/assets.ts';
import { createHttp } from './http/server.ts';
import type { AppEnv } from './http/types.ts';
import { createJobSystem, type JobDefinition, type JobSystem, type Worker } from './jobs/index.ts';
import { type Clock, systemClock } from './lib/clock.ts';
import { createLogger, type Logger } from './lib/log.ts';
import { type MailTransport, mailTransportFor } from './notify/email/index.ts';
import { type PushTransport, webPushTransport } from './notify/push/index.ts';
import { type SmsTransport, smsTransportFor } from './notify/sms/index.ts';

export const version: string = packageJson.version;

/** Everything the app is built from, made once here and passed down; no globals. */
export interface Deps {
  config: Config;
  version: string;
  log: Logger;
  clock: Clock;
  db: Db;
  assets: AssetSource;
  jobs: JobSystem;
  audit: AuditService;
  staff: { accounts: AccountsService; sessions: StaffSessions; passkeys: StaffPasskeys };
  mail: MailTransport;
  sms: SmsTransport;
  clinic: ClinicService;
  services: ServicesService;
  practitioners: PractitionersService;
  patients: PatientsService;
  patientSignIn: PatientSignIn;
  patientRegistration: PatientRegistration;
  patientFamily: PatientFamily;
  patientInvites: PatientInvites;
  patientPasskeys: PatientPasskeys;
  appointments: AppointmentsService;
  slots: SlotSearch;
  calendarFeeds: CalendarFeeds;
  waitlist: WaitlistService;
  availabilityAdmin: AvailabilityAdmin;
  notifications: Notifications;
}

/** Messages: the dispatcher, the delivery log, templates, push devices and unsubscribe links. */
export interface Notifications {
  notifier: Notifier;
  deliveries: DeliveryLog;
  templates: MessageTemplates;
  push: PatientPush;
  unsubscribe: UnsubscribeLinks;
  staffAlerts: StaffAlerts;
}

export interface App {
  deps: Deps;
  http: Hono<AppEnv>;
  /** This process's background worker, or null when it runs none. */
  worker: Worker | null;
  /** Makes the VAPID keys if there are none yet, and starts the worker, if any. */
  start(): Promise<void>;
  /**
   * Stops the worker (it claims nothing more at once; running jobs get `graceMs` to finish) and
   * closes the database once `draining` (the HTTP server's drain, sharing the same grace) ends too.
   */
  stop(graceMs?: number, draining?: Promise<unknown>): Promise<void>;
}

export interface AppOverrides {
  log?: Logger;
  clock?: Clock;
  assets?: AssetSource;
  /** An already open database (tests). */
  db?: Db;
  /** Extra job handlers (tests). */
  jobs?: JobDefinition<any>[];
  /** Run a worker in this process (default: config.worker !== false… set by the command). */
  worker?: boolean;
  /** Which command runs, for the default instance id. */
  command?: string;
  /** The SMS transport (tests pass one pointed at their SMS sink). */
  sms?: SmsTransport;
  /** The mail transport (tests pass one pointed at their SMTP sink, or a recorder). */
  mail?: MailTransport;
  /** The web push transport (default: the real one). */
  push?: PushTransport;
  /** Accept push endpoints on http and local hosts (tests run a local push service). */
  allowLocalPushEndpoints?: boolean;
  /** scrypt cost for staff passwords (tests use a cheap one). */
  passwordCost?: { N: number; r: number; p: number };
}

/** Builds the whole application from a validated config. Does not listen or migrate. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const db =
    overrides.db ??
    (await openDatabase({
      url: config.databaseUrl,
      sqlite: { path: config.sqlitePath, synchronous: config.sqliteSynchronous },
    }));
  const clock = overrides.clock ?? systemClock;
  const jobs = createJobSystem({
    db,
    clock,
    log,
    definitions: overrides.jobs ?? [],
    schedules: [],
    instanceId: resolveInstanceId(config.instanceId, overrides.command ?? 'serve'),
    concurrency: config.workerConcurrency ?? workerOptions.workerConcurrency.default,
    retentionDays: config.jobRetention ?? workerOptions.jobRetention.default,
    pollMs: config.jobPollInterval ?? workerOptions.jobPollInterval.default,
  });
  const audit = auditService({ db, clock });
  const idleMs = (config.sessionIdleTimeout ?? staffOptions.sessionIdleTimeout.default) * 60_000;
  const absoluteMs = (config.sessionLifetime ?? staffOptions.sessionLifetime.default) * 3_600_000;
  const sessions = staffSessions({ db, clock, policy: { idleMs, absoluteMs } });
  const accounts = accountsService({
    db,
    clock,
    audit,
    sessions,
    queue: jobs.queue,
    ...(overrides.passwordCost ? { passwordCost: overrides.passwordCost } : {}),
  });
  const mail =
    overrides.mail ??
    mailTransportFor(
      { smtpUrl: config.smtpUrl ?? '', mailFrom: config.mailFrom ?? mailOptions.mailFrom.default },
      log,
    );
  const publicUrl =
    config.baseUrl ||
    `http://${config.host ?? serverOptions.host.default}:${config.port ?? serverOptions.port.default}`;
  const staffJobs = accountsJobs({ accounts, sessions, mail, baseUrl: publicUrl });
  jobs.register(staffJobs.definitions, staffJobs.schedules);
  const clinic = clinicService({ db, clock, audit });
  const services = servicesService({ db, clock, audit });
  const practitioners = practitionersService({ db, clock, audit });
  const patients = patientsService({ db, clock, audit });
  const sms = overrides.sms ?? smsTransportFor(config, log);
  const budget = smsBudget({
    db,
    clock,
    monthlyLimit: config.smsMonthlyLimit ?? smsOptions.smsMonthlyLimit.default,
  });
  const mailFrom = config.mailFrom ?? mailOptions.mailFrom.default;
  const notifications: Notifications = (() => {
    const templates = messageTemplates({ db, clock, audit });
    const deliveries = deliveryLog({ db, clock, audit });
    const unsubscribe = unsubscribeLinks({ db, clock, audit, baseUrl: publicUrl });
    const push = patientPush({
      db,
      clock,
      audit,
      transport: overrides.push ?? webPushTransport(),
      allowLocalEndpoints: overrides.allowLocalPushEndpoints ?? false,
      subject: `mailto:${/<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom}`,
    });
    const dispatcher = notifier({
      db,
      clock,
      audit,
      queue: jobs.queue,
      clinic,
      templates,
      log: deliveries,
      mail,
      sms,
      push,
      smsBudget: budget,
      unsubscribe,
      baseUrl: publicUrl,
    });
    dispatcher.register({ types: ['test'], resolve: async () => ({ vars: {} }) });
    jobs.register(dispatcher.definitions);
    const logJobs = notificationJobs({
      log: deliveries,
      clock,
      retentionDays: config.deliveryRetention ?? workerOptions.deliveryRetention.default,
    });
    jobs.register(logJobs.definitions, logJobs.schedules);
    return {
      notifier: dispatcher,
      deliveries,
      templates,
      push,
      unsubscribe,
      staffAlerts: staffAlerts({ db, clock, audit }),
    };
  })();
  const signIn = patientSignIn({ db, clock, audit, notify: notifications.notifier });
  const registration = patientRegistration({ db, clock, audit, clinic, signIn });
  const invites = patientInvites({ db, clock, audit, notify: notifications.notifier, signIn });
  const portalJobs = patientsJobs({ signIn, invites, clinic, baseUrl: publicUrl });
  jobs.register(portalJobs.definitions, portalJobs.schedules);
  notifications.notifier.register(portalJobs.messages);
  const appointments = appointmentsService({ db, clock, audit, queue: jobs.queue, clinic });
  const slots = slotSearch({ db, clock, clinic });
  const feeds = calendarFeeds({ db, clock, audit, clinic, baseUrl: publicUrl });
  const waitlist = waitlistService({ db, clock, audit, clinic, slots });
  const bookingJobs = schedulingJobs({
    db,
    clock,
    appointments,
    waitlist,
    clinic,
    notify: notifications.notifier,
    baseUrl: publicUrl,
  });
  jobs.register(bookingJobs.definitions, bookingJobs.schedules);
  notifications.notifier.register(bookingJobs.messages);
  const assets = overrides.assets ?? diskAssets();
  const passkeys = staffPasskeys({ db, clock, audit });
  const deps: Deps = {
    config,
    version,
    log,
    clock,
    db,
    assets,
    jobs,
    audit,
    staff: { accounts, sessions, passkeys },
    mail,
    sms,
    clinic,
    services,
    practitioners,
    patients,
    patientSignIn: signIn,
    patientRegistration: registration,
    patientFamily: patientFamily({ db, clock, audit }),
    patientInvites: invites,
    patientPasskeys: patientPasskeys({ db, clock, audit, signIn }),
    appointments,
    slots,
    calendarFeeds: feeds,
    waitlist,
    availabilityAdmin: availabilityAdmin({ db, clock, audit, clinic }),
    notifications,
  };
  const http = createHttp({
    ...deps,
    jobs: jobs.admin,
    patientCodeIpLimit: config.patientCodeIpLimit ?? patientOptions.patientCodeIpLimit.default,
    readiness: () => checkReadiness(db),
    staff: {
      accounts,
      sessions,
      mfaRequired: (config.staffMfa ?? staffOptions.staffMfa.default) === 'required',
      baseUrl: config.baseUrl ?? '',
      idleMs,
      absoluteMs,
      passkeys,
      sso: config.oidcIssuer
        ? staffSso({
            issuer: config.oidcIssuer,
            clientId: config.oidcClientId ?? '',
            clientSecret: config.oidcClientSecret ?? '',
          })
        : null,
    },
  });
  const worker = overrides.worker ? jobs.createWorker() : null;
  let stopped = false;
  return {
    deps,
    http,
    worker,
    async start() {
      // The VAPID key pair is made at first start (and kept), so every instance shares it.
      await notifications.push.publicKey();
      await worker?.start();
    },
    async stop(graceMs = 10_000, draining) {
      if (stopped) return;
      stopped = true;
      await Promise.all([worker?.stop(graceMs), draining]);
      await db.close();
    },
  };
}
