import { z } from 'zod';
import { proxyEntryProblem } from '../lib/client-address.ts';
import { backupOptions } from './backup-options.ts';
import { metricsOptions } from './metrics-options.ts';
import { int, numberValue, opt, type ValuesOf } from './option-spec.ts';
import { smsOptions } from './sms-options.ts';
import { storageOptions } from './storage-options.ts';
import { tlsOptions } from './tls-options.ts';

export { backupOptions } from './backup-options.ts';
export { metricsOptions } from './metrics-options.ts';
export { boolOption, type OptionSpec, type OptionTable, textOption, type ValuesOf } from './option-spec.ts';
export { smsOptions } from './sms-options.ts';
export { storageOptions } from './storage-options.ts';
export { LETS_ENCRYPT_DIRECTORY, tlsOptions } from './tls-options.ts';

/**
 * Every setting Clinicbox takes, in one table. Each has a flag (`--name`), an env twin
 * (`CLINICBOX_NAME`), a default shown in `--help`, and a schema. Precedence when loading:
 * flag > env > config file (`--config`) > default. Commands list which groups they take.
 */
/** Settings every command that touches data takes. */
export const dataOptions = {
  config: opt<string>({
    flag: 'config',
    metavar: 'file',
    accepts: 'a path to a JSON file',
    describe: 'Read settings from this JSON file (keys are flag names); flags and env win over it.',
    default: '',
    schema: z.string(),
  }),
  dataDir: opt<string>({
    flag: 'data-dir',
    metavar: 'dir',
    accepts: 'a folder path',
    describe: 'Folder for the SQLite database, uploaded files and backups (created 0700).',
    default: './data',
    schema: z.string().min(1),
  }),
  masterKeyFile: opt<string>({
    flag: 'master-key-file',
    metavar: 'file',
    accepts: 'empty or a path to a file holding 32 random bytes (base64 or raw)',
    describe:
      'The clinic master key (keys the audit chain, encrypts stored secrets); or its base64 in the environment variable CLINICBOX_MASTER_KEY (not both). Empty = <data-dir>/master.key, made 0600 at first start. Give every instance the same one; keep a copy apart from backups.',
    default: '',
    schema: z.string(),
  }),
  databaseUrl: opt<string>({
    flag: 'database-url',
    metavar: 'url',
    accepts: 'empty (SQLite in the data folder) or a postgres:// URL',
    describe: 'Empty = SQLite at <data-dir>/clinicbox.db; postgres://user@host:5432/db = PostgreSQL.',
    default: '',
    schema: z.string().refine((v) => v === '' || /^postgres(ql)?:\/\//.test(v)),
  }),
  databaseListenUrl: opt<string>({
    flag: 'database-listen-url',
    metavar: 'url',
    accepts: 'empty or a postgres:// URL',
    describe:
      'When --database-url goes through PgBouncer in transaction mode: a direct PostgreSQL URL for LISTEN (how instances tell each other to drop cached sessions and settings); the pooled connections then skip prepared statements. Empty = LISTEN on --database-url.',
    default: '',
    schema: z.string().refine((v) => v === '' || /^postgres(ql)?:\/\//.test(v)),
  }),
  databasePool: opt<number>({
    flag: 'database-pool',
    metavar: 'n',
    accepts: 'a whole number from 1 to 1000',
    describe:
      "PostgreSQL connections this instance keeps open. Every instance keeps as many: together they must stay under the server's max_connections (or PgBouncer's pool). SQLite ignores it.",
    default: 10,
    schema: int(1, 1000),
  }),
  sqliteSynchronous: opt<'full' | 'normal'>({
    flag: 'sqlite-synchronous',
    metavar: 'mode',
    accepts: 'full or normal',
    describe:
      'SQLite fsync policy: full survives power loss; normal may lose the last commits on power loss.',
    default: 'full',
    schema: z.enum(['full', 'normal']),
  }),
  logLevel: opt<'debug' | 'info' | 'warn' | 'error'>({
    flag: 'log-level',
    metavar: 'level',
    accepts: 'debug, info, warn or error',
    describe: 'Least severe log level printed.',
    default: 'info',
    schema: z.enum(['debug', 'info', 'warn', 'error']),
  }),
  logFormat: opt<'json' | 'pretty'>({
    flag: 'log-format',
    metavar: 'format',
    accepts: 'json or pretty',
    describe: 'Log lines as JSON (for collectors) or pretty (for a terminal).',
    default: 'pretty',
    schema: z.enum(['json', 'pretty']),
  }),
};

/** Settings of the HTTP server. */
export const serverOptions = {
  port: opt<number>({
    flag: 'port',
    metavar: 'port',
    accepts: 'a port number 0–65535 (0 = any free port)',
    describe: 'TCP port to listen on.',
    default: 8080,
    schema: int(0, 65535),
  }),
  host: opt<string>({
    flag: 'host',
    metavar: 'addr',
    accepts: 'an IP address or host name',
    describe: 'Address to listen on; 0.0.0.0 serves the whole clinic LAN.',
    default: '127.0.0.1',
    schema: z.string().min(1),
  }),
  baseUrl: opt<string>({
    flag: 'base-url',
    metavar: 'url',
    accepts: 'an http(s):// URL',
    describe: 'Public URL used in links and emails; empty = http://<host>:<port>.',
    default: '',
    // Without a trailing slash, once here, so every link is `${baseUrl}/path`.
    schema: z
      .string()
      .refine((v) => v === '' || /^https?:\/\/[^/]+/.test(v))
      .transform((v) => v.replace(/\/+$/, '')),
  }),
  trustProxy: opt<readonly string[]>({
    flag: 'trust-proxy',
    metavar: 'addrs',
    accepts: 'empty or comma-separated IP addresses or CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8)',
    describe:
      'Reverse proxies whose X-Forwarded-For / Forwarded headers name the client; empty = use the connection address only.',
    default: [],
    schema: z
      .union([z.array(z.string()), z.string()])
      .transform((v) => (typeof v === 'string' ? v.split(',') : v).map((a) => a.trim()).filter(Boolean))
      .superRefine((entries, ctx) => {
        for (const entry of entries) {
          const problem = proxyEntryProblem(entry);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }
      }),
  }),
  tlsCert: opt<string>({
    flag: 'tls-cert',
    metavar: 'file',
    accepts: 'a path to a PEM certificate',
    describe: 'Serve HTTPS with this certificate (with --tls-key), no proxy needed.',
    default: '',
    schema: z.string(),
  }),
  tlsKey: opt<string>({
    flag: 'tls-key',
    metavar: 'file',
    accepts: 'a path to a PEM private key',
    describe: 'Private key for --tls-cert.',
    default: '',
    schema: z.string(),
  }),
  shutdownGrace: opt<number>({
    flag: 'shutdown-grace',
    metavar: 'seconds',
    accepts: 'seconds, 0–600',
    describe: 'On SIGTERM/SIGINT, how long in-flight requests and jobs may take to finish.',
    default: 10,
    schema: numberValue(/^\d+(\.\d+)?$/).pipe(z.number().min(0).max(600)),
  }),
};

/** Settings of the background worker (serve runs one unless --no-worker; `clinicbox worker` is one). */
export const workerOptions = {
  workerConcurrency: opt<number>({
    flag: 'worker-concurrency',
    metavar: 'n',
    accepts: 'a whole number 1–256',
    describe: 'Jobs run at once by this process.',
    default: 4,
    schema: int(1, 256),
  }),
  instanceId: opt<string>({
    flag: 'instance-id',
    metavar: 'id',
    accepts: 'letters, digits, . _ : -',
    describe:
      'Names this process in job leases; each running process needs its own. Empty = <host>-<command>.',
    default: '',
    schema: z.string().regex(/^[\w.:-]*$/),
  }),
  jobPollInterval: opt<number>({
    flag: 'job-poll-interval',
    metavar: 'ms',
    accepts: 'milliseconds, 10–60000',
    describe: 'How often the worker looks for jobs other processes enqueued (its own wake it at once).',
    default: 1000,
    schema: int(10, 60_000),
  }),
  jobRetention: opt<number>({
    flag: 'job-retention',
    metavar: 'days',
    accepts: 'days, 1–3650',
    describe: 'Succeeded and cancelled jobs are deleted after this many days; dead ones stay for review.',
    default: 14,
    schema: int(1, 3650),
  }),
  deliveryRetention: opt<number>({
    flag: 'delivery-retention',
    metavar: 'days',
    accepts: 'days, 30–3650',
    describe:
      'Entries of the message delivery log (who was sent what kind of message, never its text) are deleted after this many days.',
    default: 365,
    schema: int(30, 3650),
  }),
};

/** Staff sign-in settings. */
export const staffOptions = {
  staffMfa: opt<'required' | 'optional'>({
    flag: 'staff-mfa',
    metavar: 'mode',
    accepts: 'required or optional',
    describe: 'Whether staff must use a second factor (an authenticator app code) to sign in.',
    default: 'required',
    schema: z.enum(['required', 'optional']),
  }),
  sessionIdleTimeout: opt<number>({
    flag: 'session-idle-timeout',
    metavar: 'minutes',
    accepts: 'minutes, 1–1440',
    describe: 'A staff session ends after this long without a request.',
    default: 30,
    schema: int(1, 1440),
  }),
  sessionLifetime: opt<number>({
    flag: 'session-lifetime',
    metavar: 'hours',
    accepts: 'hours, 1–168',
    describe: 'A staff session ends this long after sign-in, however active.',
    default: 12,
    schema: int(1, 168),
  }),
};

/** Single sign-on for staff with the clinic's OpenID Connect provider (all three, or none). */
export const ssoOptions = {
  oidcIssuer: opt<string>({
    flag: 'oidc-issuer',
    metavar: 'url',
    accepts: 'an https:// issuer URL',
    describe:
      'OpenID Connect issuer for staff single sign-on (discovery at <issuer>/.well-known/openid-configuration).',
    default: '',
    schema: z.string().refine((v) => v === '' || /^https?:\/\/[^/]+/.test(v)),
  }),
  oidcClientId: opt<string>({
    flag: 'oidc-client-id',
    metavar: 'id',
    accepts: 'the client id registered at the provider',
    describe: 'Client id; register <base-url>/staff/login/sso/callback as its redirect URI.',
    default: '',
    schema: z.string(),
  }),
  oidcClientSecret: opt<string>({
    flag: 'oidc-client-secret',
    metavar: 'secret',
    accepts: 'the client secret',
    describe: 'Client secret (prefer the env twin, so it does not show in the process list).',
    default: '',
    schema: z.string(),
  }),
};

/** Outgoing email (serve and worker send it). */
export const mailOptions = {
  smtpUrl: opt<string>({
    flag: 'smtp-url',
    metavar: 'url',
    accepts: 'empty or smtp[s]://user:pass@host:port',
    describe: 'SMTP server for email; empty = nothing is sent (a warning is logged instead).',
    default: '',
    schema: z.string().refine((v) => v === '' || /^smtps?:\/\//.test(v)),
  }),
  mailFrom: opt<string>({
    flag: 'mail-from',
    metavar: 'address',
    accepts: 'an address, e.g. "Clinic <desk@clinic.example>"',
    describe: 'Sender of the emails Clinicbox sends.',
    default: 'Clinicbox <clinicbox@localhost>',
    schema: z.string().min(3),
  }),
};

/** Patient sign-in (one-time codes). */
export const patientOptions = {
  patientCodeIpLimit: opt<number>({
    flag: 'patient-code-ip-limit',
    metavar: 'n',
    accepts: 'a number 1–10000',
    describe:
      'Sign-in codes one network address may ask for in 10 minutes (a clinic’s shared Wi-Fi is one address).',
    default: 30,
    schema: int(1, 10_000),
  }),
};

/** What a process running the areas' jobs needs besides its data: email, SMS, files, the public URL. */
export const deliveryOptions = {
  ...mailOptions,
  ...smsOptions,
  ...storageOptions,
  ...backupOptions,
  baseUrl: serverOptions.baseUrl,
};

/** Every setting of every command, one table (flags are unique across the groups above). */
export const allSettings = {
  ...dataOptions,
  ...serverOptions,
  ...workerOptions,
  ...staffOptions,
  ...ssoOptions,
  ...mailOptions,
  ...patientOptions,
  ...smsOptions,
  ...storageOptions,
  ...backupOptions,
  ...metricsOptions,
  ...tlsOptions,
};

/** The values of each group, and of every setting. */
export type DataSettings = ValuesOf<typeof dataOptions>;
export type ServerConfig = ValuesOf<typeof serverOptions>;
export type WorkerConfig = ValuesOf<typeof workerOptions>;
export type StaffConfig = ValuesOf<typeof staffOptions>;
export type SsoConfig = ValuesOf<typeof ssoOptions>;
export type StorageConfig = ValuesOf<typeof storageOptions>;
export type BackupConfig = ValuesOf<typeof backupOptions>;
export type TlsConfig = ValuesOf<typeof tlsOptions>;
export type Settings = ValuesOf<typeof allSettings>;
