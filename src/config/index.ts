import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type {
  dataOptions,
  mailOptions,
  patientOptions,
  serverOptions,
  smsOptions,
  ssoOptions,
  staffOptions,
  ValuesOf,
  workerOptions,
} from './options.ts';

export { formatHelp, loadOptions, UsageError } from './load.ts';
export {
  boolOption,
  dataOptions,
  mailOptions,
  patientOptions,
  serverOptions,
  smsOptions,
  ssoOptions,
  staffOptions,
  workerOptions,
} from './options.ts';

/** Settings shared by every command that touches data, with derived paths resolved. */
export type DataConfig = ValuesOf<typeof dataOptions> & {
  /** Absolute data folder. */
  readonly dataPath: string;
  /** Absolute SQLite file (used when databaseUrl is empty). */
  readonly sqlitePath: string;
};

export type ServerConfig = ValuesOf<typeof serverOptions>;
export type WorkerConfig = ValuesOf<typeof workerOptions>;

/** The whole validated configuration `createApp` takes. */
export type StaffConfig = ValuesOf<typeof staffOptions>;
export type SsoConfig = ValuesOf<typeof ssoOptions>;
export type Config = DataConfig &
  Partial<ServerConfig> &
  Partial<WorkerConfig> &
  Partial<StaffConfig> &
  Partial<SsoConfig> &
  Partial<ValuesOf<typeof mailOptions>> &
  Partial<ValuesOf<typeof patientOptions>> &
  Partial<ValuesOf<typeof smsOptions>>;

/**
 * This process's instance id as configured: the flag, else `<host>-<command>` (so serve and
 * worker differ). Its worker holds the id while it runs and, when a live process holds it
 * already (two workers on one host), takes `<id>-2`, `<id>-3`… (jobs/instance.ts).
 */
export const resolveInstanceId = (configured: string | undefined, command: string) =>
  configured || `${hostname().replace(/[^\w.:-]/g, '-')}-${command}`;

export function resolveDataConfig(values: ValuesOf<typeof dataOptions>): DataConfig {
  const dataPath = resolve(values.dataDir);
  return Object.freeze({ ...values, dataPath, sqlitePath: resolve(dataPath, 'clinicbox.db') });
}

/**
 * Creates the data folder with owner-only permissions (it holds health data). An existing
 * folder is left as it is, but reported when others can read it.
 */
export function ensureDataDir(path: string): { created: boolean; openToOthers: boolean } {
  if (!existsSync(path)) {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    chmodSync(path, 0o700);
    return { created: true, openToOthers: false };
  }
  return { created: false, openToOthers: (statSync(path).mode & 0o077) !== 0 };
}
