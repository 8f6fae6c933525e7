import type { Hono } from 'hono';
import packageJson from '../package.json' with { type: 'json' };
import { type Config, publicUrlOf, resolveInstanceId, UsageError } from './config/index.ts';
import { type Db, openDatabase } from './db/client.ts';
import { checkReadiness } from './db/readiness.ts';
import type { Core } from './domain/area.ts';
import { type AreaServices, buildAreas } from './domain/areas.ts';
import { type AssetSource, diskAssets } from './http/assets.ts';
import { createMetrics, type Metrics } from './http/metrics.ts';
import { createHttp } from './http/server.ts';
import type { AppEnv } from './http/types.ts';
import { createJobSystem, type JobDefinition, type JobSystem, type Worker } from './jobs/index.ts';
import { type Clock, systemClock } from './lib/clock.ts';
import { clinicKeys, type LoadedMasterKey, loadOrMakeMasterKey, MasterKeyError } from './lib/crypto.ts';
import { readRetiredKeys } from './lib/keyring.ts';
import { createLogger, type Logger } from './lib/log.ts';
import { type MailTransport, mailTransportFor } from './notify/email/index.ts';
import { type PushTransport, webPushTransport } from './notify/push/index.ts';
import { type SmsTransport, smsTransportFor } from './notify/sms/index.ts';
import { openFileVault } from './storage/index.ts';
import type { FileVault } from './storage/types.ts';

export const version: string = packageJson.version;

/**
 * Everything the app is built from, made once here and passed down; no globals: the core, the
 * services of every area (domain/areas.ts), the job system and the static assets.
 */
export type Deps = Core &
  AreaServices & {
    version: string;
    assets: AssetSource;
    jobs: JobSystem;
  };

export interface App {
  deps: Deps;
  http: Hono<AppEnv>;
  /** This process's background worker, or null when it runs none. */
  worker: Worker | null;
  /** Prometheus metrics, when `--metrics-listen` or `--metrics-token` asks for them. */
  metrics: Metrics | null;
  /** Runs each area's start-up step (the VAPID keys made at first start), then the worker, if any. */
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
  /** The stored files (default: the vault over the store `--storage-url` names). */
  files?: FileVault;
}

/** Builds the whole application from a validated config. Does not listen or migrate. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const log = overrides.log ?? createLogger({ level: config.logLevel, format: config.logFormat });
  const masterKey = loadMasterKey(config, log);
  const db =
    overrides.db ??
    (await openDatabase({
      url: config.databaseUrl,
      listenUrl: config.databaseListenUrl,
      pool: config.databasePool,
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
    concurrency: config.workerConcurrency,
    retentionDays: config.jobRetention,
    pollMs: config.jobPollInterval,
  });
  // The retired keys (keys rotate) only verify the audit rows written under them.
  const keys = clinicKeys(masterKey.key, readRetiredKeys(masterKey.path));
  const core: Core = {
    config,
    log,
    clock,
    db,
    queue: jobs.queue,
    publicUrl: publicUrlOf(config),
    mail: overrides.mail ?? mailTransportFor(config, log),
    sms: overrides.sms ?? smsTransportFor(config, log),
    push: overrides.push ?? webPushTransport(),
    keys,
    files: overrides.files ?? openFileVault(config, keys),
    tuning: {
      passwordCost: overrides.passwordCost,
      allowLocalPushEndpoints: overrides.allowLocalPushEndpoints ?? false,
    },
  };
  const areas = await buildAreas(core);
  jobs.register(areas.jobs, areas.schedules);
  const deps: Deps = {
    ...core,
    ...areas.services,
    version,
    assets: overrides.assets ?? diskAssets(),
    jobs,
  };
  const metrics =
    config.metricsListen || config.metricsToken
      ? createMetrics({ jobs: jobs.admin, db, sms: areas.services.notifications.smsBudget })
      : null;
  // The HTTP layer gets the areas' services and never the database itself.
  const http = createHttp({
    ...areas.services,
    config,
    version,
    log,
    clock,
    assets: deps.assets,
    jobs: jobs.admin,
    readiness: () => checkReadiness(db),
    metrics,
  });
  const worker = overrides.worker ? jobs.createWorker() : null;
  let stopped = false;
  return {
    deps,
    http,
    worker,
    metrics,
    async start() {
      await areas.start();
      await worker?.start();
    },
    async stop(graceMs = 10_000, draining) {
      if (stopped) return;
      stopped = true;
      await Promise.all([worker?.stop(graceMs), draining]);
      await deps.audit.stopSealing();
      await db.close();
    },
  };
}

/**
 * The clinic master key (lib/crypto.ts): given, kept in the data folder, or made there now. Says
 * where it is — never what it is — and what to do about a key that is new or readable by others.
 */
function loadMasterKey(config: Config, log: Logger): LoadedMasterKey {
  let loaded: LoadedMasterKey;
  try {
    loaded = loadOrMakeMasterKey({ file: config.masterKeyFile, dataPath: config.dataPath });
  } catch (e) {
    throw e instanceof MasterKeyError ? new UsageError(e.message) : e;
  }
  if (loaded.origin === 'made') {
    log.warn('made the clinic master key: keep a copy away from this machine and its backups', {
      path: loaded.path,
    });
    if (config.databaseUrl) {
      log.warn(
        'on PostgreSQL every instance needs the same master key: give this one to all (--master-key-file or CLINICBOX_MASTER_KEY)',
      );
    }
  }
  if (loaded.openToOthers) {
    log.warn('the master key file is readable by other users; run: chmod 600', { path: loaded.path });
  }
  return loaded;
}
