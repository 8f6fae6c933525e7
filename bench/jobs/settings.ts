/**
 * The job queue benchmark's settings, read once from the environment (every variable is described
 * in bench/jobs.ts), and the small helpers its modules share.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../src/lib/log.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Stops the bench with one line on stderr. */
export function die(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

function intEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) die(`${name} must be an integer >= ${min} (got "${raw}")`);
  return n;
}

export const N = intEnv('BENCH_JOBS', 50_000);
export const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 50);
export const PARALLEL = intEnv('BENCH_ENQUEUE_PARALLEL', 100);
export const LAT_JOBS = intEnv('BENCH_LATENCY_JOBS', 1000);
export const LAT_INTERVAL_MS = intEnv('BENCH_LATENCY_INTERVAL_MS', 20, 0);
export const DRAIN_TIMEOUT_MS = intEnv('BENCH_DRAIN_TIMEOUT_S', 60) * 1000;
export const LATENCY_TIMEOUT_MS = 30_000;
const PG_ADMIN_URL = process.env.BENCH_PG_URL || 'postgres://127.0.0.1:5432/test';
export const REDIS_URL = new URL(process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379');
export const PGBOSS_POLL_S = 0.5; // pg-boss 10's minimum pollingIntervalSeconds (MIN_POLLING_INTERVAL_MS 500)
// pg-boss 10: each work() call is one worker loop fetching a batch. BENCH_CONCURRENCY jobs in
// flight are split over PGBOSS_WORKERS loops. Tried on the development machine (processed/s):
// 1 loop × 50: 2,989–3,900; 2 × 25: 3,075; 5 × 10: 1,475–1,514; 10 × 5: 609–894 — each fetch
// costs about the same whatever its batch, so fewer, fuller fetches win: 1 is the default.
export const PGBOSS_WORKERS = intEnv('BENCH_PGBOSS_WORKERS', 1);
export const PGBOSS_BATCH = Math.max(1, Math.ceil(CONCURRENCY / PGBOSS_WORKERS));
export const CLINICBOX_POLL_MS = 1000;

const allSystems = [
  'bullmq',
  'clinicbox-sqlite-full',
  'clinicbox-sqlite-normal',
  'clinicbox-pg',
  'pg-boss',
] as const;
export type SystemId = (typeof allSystems)[number];
/** The systems BENCH_SYSTEMS names, in its order (all by default). */
export const selected: SystemId[] = process.env.BENCH_SYSTEMS
  ? process.env.BENCH_SYSTEMS.split(',').map((s) => {
      const id = s.trim() as SystemId;
      if (!allSystems.includes(id)) die(`unknown system "${s}" in BENCH_SYSTEMS (${allSystems.join(', ')})`);
      return id;
    })
  : [...allSystems];
export const labels: Record<SystemId, string> = {
  bullmq: 'BullMQ (Redis)',
  'clinicbox-sqlite-full': 'Clinicbox SQLite FULL',
  'clinicbox-sqlite-normal': 'Clinicbox SQLite NORMAL',
  'clinicbox-pg': 'Clinicbox PostgreSQL',
  'pg-boss': 'pg-boss (PostgreSQL)',
};

// PostgreSQL user: libpq-style defaults. pg (pg-boss) reads $USER only, so pass it as PGUSER.
export const pgAdminUrl = new URL(PG_ADMIN_URL);
if (!pgAdminUrl.username) {
  const user = process.env.PGUSER || process.env.USER || process.env.LOGNAME || userInfo().username;
  if (!user || user === 'unknown') die('no PostgreSQL user: set PGUSER or put it in BENCH_PG_URL');
  process.env.PGUSER = user;
  pgAdminUrl.username = user;
}
/** The URL of `database` on the benchmark's PostgreSQL server. */
export const pgUrlFor = (database: string) => {
  const u = new URL(pgAdminUrl);
  u.pathname = `/${database}`;
  return u.toString();
};

export const log = createLogger({
  level: 'warn',
  format: 'pretty',
  write: (l) => process.stderr.write(`${l}\n`),
});
export { sleep } from '../../src/testing/wait.ts';
export const rand = () => randomBytes(5).toString('hex');
export const pkgVersion = (name: string) =>
  (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;
