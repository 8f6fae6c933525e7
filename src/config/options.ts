import { z } from 'zod';
import { proxyEntryProblem } from '../lib/client-address.ts';
import { backupOptions } from './backup-options.ts';
import { metricsOptions } from './metrics-options.ts';
import { choice, emptyOr, int, numberValue, option, type ValuesOf } from './option-spec.ts';
import { smsOptions } from './sms-options.ts';
import { storageOptions } from './storage-options.ts';
import { tlsOptions } from './tls-options.ts';

export { backupOptions } from './backup-options.ts';
export { metricsOptions } from './metrics-options.ts';
export {
  boolOption,
  choice,
  int,
  type OptionSpec,
  type OptionTable,
  option,
  textOption,
  type ValuesOf,
} from './option-spec.ts';
export { smsOptions } from './sms-options.ts';
export { storageOptions } from './storage-options.ts';
export { LETS_ENCRYPT_DIRECTORY, tlsOptions } from './tls-options.ts';

/** An http(s) URL or empty, without a trailing slash (once here, so every link is `${baseUrl}/path`). */
const publicUrl = z
  .string()
  .refine((v) => v === '' || /^https?:\/\/[^/]+/.test(v))
  .transform((v) => v.replace(/\/+$/, ''));
/** Comma-separated in a flag or env, a list in a config file; each entry an address or CIDR range. */
const proxyList = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (typeof v === 'string' ? v.split(',') : v).map((a) => a.trim()).filter(Boolean))
  .superRefine((entries, ctx) => {
    for (const entry of entries) {
      const problem = proxyEntryProblem(entry);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
  });

const postgresUrl = emptyOr(/^postgres(ql)?:\/\//);

/**
 * Every setting Clinicbox takes, in one table. Each has a flag (`--name`), an env twin
 * (`CLINICBOX_NAME`), a default shown in `--help`, and a schema. Precedence when loading:
 * flag > env > config file (`--config`) > default. Commands list which groups they take.
 */
/** Settings every command that touches data takes. */
export const dataOptions = {
  config: option('config <file>', z.string(), '', {
    accepts: 'a path to a JSON file',
    describe: 'Read settings from this JSON file (keys are flag names); flags and env win over it.',
  }),
  dataDir: option('data-dir <dir>', z.string().min(1), './data', {
    accepts: 'a folder path',
    describe: 'Folder for the SQLite database, uploaded files and backups (created 0700).',
  }),
  masterKeyFile: option('master-key-file <file>', z.string(), '', {
    accepts: 'empty or a path to a file holding 32 random bytes (base64 or raw)',
    describe:
      'The clinic master key (keys the audit chain, encrypts stored secrets); or its base64 in the environment variable CLINICBOX_MASTER_KEY (not both). Empty = <data-dir>/master.key, made 0600 at first start. Give every instance the same one; keep a copy apart from backups.',
  }),
  databaseUrl: option('database-url <url>', postgresUrl, '', {
    accepts: 'empty (SQLite in the data folder) or a postgres:// URL',
    describe: 'Empty = SQLite at <data-dir>/clinicbox.db; postgres://user@host:5432/db = PostgreSQL.',
  }),
  databaseListenUrl: option('database-listen-url <url>', postgresUrl, '', {
    accepts: 'empty or a postgres:// URL',
    describe:
      'When --database-url goes through PgBouncer in transaction mode: a direct PostgreSQL URL for LISTEN (how instances tell each other to drop cached sessions and settings); the pooled connections then skip prepared statements. Empty = LISTEN on --database-url.',
  }),
  databasePool: option('database-pool <n>', int(1, 1000), 10, {
    accepts: 'a whole number from 1 to 1000',
    describe:
      "PostgreSQL connections this instance keeps open. Every instance keeps as many: together they must stay under the server's max_connections (or PgBouncer's pool). SQLite ignores it.",
  }),
  sqliteSynchronous: choice('sqlite-synchronous <mode>', ['full', 'normal'], 'full', {
    describe:
      'SQLite fsync policy: full survives power loss; normal may lose the last commits on power loss.',
  }),
  logLevel: choice('log-level <level>', ['debug', 'info', 'warn', 'error'], 'info', {
    describe: 'Least severe log level printed.',
  }),
  logFormat: choice('log-format <format>', ['json', 'pretty'], 'pretty', {
    describe: 'Log lines as JSON (for collectors) or pretty (for a terminal).',
  }),
};

/** Settings of the HTTP server. */
export const serverOptions = {
  port: option('port <port>', int(0, 65535), 8080, {
    accepts: 'a port number 0–65535 (0 = any free port)',
    describe: 'TCP port to listen on.',
  }),
  host: option('host <addr>', z.string().min(1), '127.0.0.1', {
    accepts: 'an IP address or host name',
    describe: 'Address to listen on; 0.0.0.0 serves the whole clinic LAN.',
  }),
  baseUrl: option('base-url <url>', publicUrl, '', {
    accepts: 'an http(s):// URL',
    describe: 'Public URL used in links and emails; empty = http://<host>:<port>.',
  }),
  trustProxy: option('trust-proxy <addrs>', proxyList, [], {
    accepts: 'empty or comma-separated IP addresses or CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8)',
    describe:
      'Reverse proxies whose X-Forwarded-For / Forwarded headers name the client; empty = use the connection address only.',
  }),
  tlsCert: option('tls-cert <file>', z.string(), '', {
    accepts: 'a path to a PEM certificate',
    describe: 'Serve HTTPS with this certificate (with --tls-key), no proxy needed.',
  }),
  tlsKey: option('tls-key <file>', z.string(), '', {
    accepts: 'a path to a PEM private key',
    describe: 'Private key for --tls-cert.',
  }),
  shutdownGrace: option(
    'shutdown-grace <seconds>',
    numberValue(/^\d+(\.\d+)?$/).pipe(z.number().min(0).max(600)),
    10,
    {
      accepts: 'seconds, 0–600',
      describe: 'On SIGTERM/SIGINT, how long in-flight requests and jobs may take to finish.',
    },
  ),
};

/** Settings of the background worker (serve runs one unless --no-worker; `clinicbox worker` is one). */
export const workerOptions = {
  workerConcurrency: option('worker-concurrency <n>', int(1, 256), 4, {
    accepts: 'a whole number 1–256',
    describe: 'Jobs run at once by this process.',
  }),
  instanceId: option('instance-id <id>', z.string().regex(/^[\w.:-]*$/), '', {
    accepts: 'letters, digits, . _ : -',
    describe:
      'Names this process in job leases; each running process needs its own. Empty = <host>-<command>.',
  }),
  jobPollInterval: option('job-poll-interval <ms>', int(10, 60_000), 1000, {
    accepts: 'milliseconds, 10–60000',
    describe: 'How often the worker looks for jobs other processes enqueued (its own wake it at once).',
  }),
  jobRetention: option('job-retention <days>', int(1, 3650), 14, {
    accepts: 'days, 1–3650',
    describe: 'Succeeded and cancelled jobs are deleted after this many days; dead ones stay for review.',
  }),
  deliveryRetention: option('delivery-retention <days>', int(30, 3650), 365, {
    accepts: 'days, 30–3650',
    describe:
      'Entries of the message delivery log (who was sent what kind of message, never its text) are deleted after this many days.',
  }),
};

/** Staff sign-in settings. */
export const staffOptions = {
  staffMfa: choice('staff-mfa <mode>', ['required', 'optional'], 'required', {
    describe: 'Whether staff must use a second factor (an authenticator app code) to sign in.',
  }),
  sessionIdleTimeout: option('session-idle-timeout <minutes>', int(1, 1440), 30, {
    accepts: 'minutes, 1–1440',
    describe: 'A staff session ends after this long without a request.',
  }),
  sessionLifetime: option('session-lifetime <hours>', int(1, 168), 12, {
    accepts: 'hours, 1–168',
    describe: 'A staff session ends this long after sign-in, however active.',
  }),
};

/** Single sign-on for staff with the clinic's OpenID Connect provider (all three, or none). */
export const ssoOptions = {
  oidcIssuer: option('oidc-issuer <url>', emptyOr(/^https?:\/\/[^/]+/), '', {
    accepts: 'an https:// issuer URL',
    describe:
      'OpenID Connect issuer for staff single sign-on (discovery at <issuer>/.well-known/openid-configuration).',
  }),
  oidcClientId: option('oidc-client-id <id>', z.string(), '', {
    accepts: 'the client id registered at the provider',
    describe: 'Client id; register <base-url>/staff/login/sso/callback as its redirect URI.',
  }),
  oidcClientSecret: option('oidc-client-secret <secret>', z.string(), '', {
    accepts: 'the client secret',
    describe: 'Client secret (prefer the env twin, so it does not show in the process list).',
  }),
};

/** Outgoing email (serve and worker send it). */
export const mailOptions = {
  smtpUrl: option('smtp-url <url>', emptyOr(/^smtps?:\/\//), '', {
    accepts: 'empty or smtp[s]://user:pass@host:port',
    describe: 'SMTP server for email; empty = nothing is sent (a warning is logged instead).',
  }),
  mailFrom: option('mail-from <address>', z.string().min(3), 'Clinicbox <clinicbox@localhost>', {
    accepts: 'an address, e.g. "Clinic <desk@clinic.example>"',
    describe: 'Sender of the emails Clinicbox sends.',
  }),
};

/** Patient sign-in (one-time codes). */
export const patientOptions = {
  patientCodeIpLimit: option('patient-code-ip-limit <n>', int(1, 10_000), 30, {
    accepts: 'a number 1–10000',
    describe:
      'Sign-in codes one network address may ask for in 10 minutes (a clinic’s shared Wi-Fi is one address).',
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
