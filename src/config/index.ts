import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { allSettings, type DataSettings, type Settings } from './options.ts';

export { formatHelp, loadOptions, UsageError } from './load.ts';
export * from './options.ts';

/** Settings shared by every command that touches data, with derived paths resolved. */
export type DataConfig = DataSettings & {
  /** Absolute data folder. */
  readonly dataPath: string;
  /** Absolute SQLite file (used when databaseUrl is empty). */
  readonly sqlitePath: string;
};

/**
 * The whole validated configuration `createApp` takes: every setting present (a command's own
 * flags, env and config file; every other setting at its default), nothing left to default later.
 */
export type Config = Settings & DataConfig;

/**
 * A command's parsed values completed into a Config: the settings it does not take get their
 * defaults, and the data paths are resolved. Extra keys (a command's own switches) are kept.
 */
export function configFrom<V extends Partial<Settings>>(values: V): Config & V {
  const defaults = Object.fromEntries(
    Object.entries(allSettings).map(([key, spec]) => [key, spec.default]),
  ) as Settings;
  const merged = { ...defaults, ...values };
  return Object.freeze({ ...merged, ...resolveDataConfig(merged) }) as Config & V;
}

/** The HTTPS address of `--domain` served on `port` (443 is left out). */
export const domainUrl = (domain: string, port: number) =>
  `https://${domain}${port === 443 ? '' : `:${port}`}`;

/** The public URL of links and emails: --base-url, else the --domain's HTTPS address, else host:port. */
export const publicUrlOf = (c: Pick<Settings, 'baseUrl' | 'domain' | 'host' | 'port'>) =>
  c.baseUrl || (c.domain ? domainUrl(c.domain, c.port) : `http://${c.host}:${c.port}`);

/**
 * This process's instance id as configured: the flag, else `<host>-<command>` (so serve and
 * worker differ). Its worker holds the id while it runs and, when a live process holds it
 * already (two workers on one host), takes `<id>-2`, `<id>-3`… (jobs/instance.ts).
 */
export const resolveInstanceId = (configured: string | undefined, command: string) =>
  configured || `${hostname().replace(/[^\w.:-]/g, '-')}-${command}`;

export function resolveDataConfig(values: DataSettings): DataConfig {
  const dataPath = resolve(values.dataDir);
  return Object.freeze({ ...values, dataPath, sqlitePath: resolve(dataPath, 'clinicbox.db') });
}

/** What `ensureDataDir` did and found. */
export interface DataDirState {
  created: boolean;
  /** The folder's mode when others could open it (a fresh clone's data/ is 0755); else null. */
  openMode: number | null;
  /** Whether it was then made owner-only. */
  tightened: boolean;
}

/**
 * Creates the data folder with owner-only permissions (it holds health data), or makes an
 * existing one owner-only when others can open it — unless `tighten` is false (doctor only looks)
 * or this account may not change it (then it is reported). Windows has no such modes.
 */
export function ensureDataDir(path: string, options: { tighten?: boolean } = {}): DataDirState {
  if (!existsSync(path)) {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    chmodSync(path, 0o700);
    return { created: true, openMode: null, tightened: false };
  }
  const mode = statSync(path).mode & 0o777;
  if (process.platform === 'win32' || (mode & 0o077) === 0)
    return { created: false, openMode: null, tightened: false };
  if (options.tighten === false) return { created: false, openMode: mode, tightened: false };
  try {
    chmodSync(path, 0o700);
    return { created: false, openMode: mode, tightened: true };
  } catch {
    return { created: false, openMode: mode, tightened: false };
  }
}
