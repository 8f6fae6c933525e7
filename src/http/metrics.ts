import { Hono, type MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { SmsBudget } from '../domain/notifications/index.ts';
import { type JobAdmin, jobStatuses } from '../jobs/index.ts';
import { cacheCounts } from '../lib/cache.ts';
import { sameText } from '../lib/crypto.ts';
import type { RouteKit } from './routes.ts';
import type { AppEnv, HttpDeps } from './types.ts';

/**
 * The process's metrics in Prometheus text format (prom-client): HTTP requests and their latency
 * per route (the route's pattern, never the URL: ids and tokens stay out), the job queue by status
 * and the age of the oldest due job (read from the database when scraped), cache hits and misses,
 * transaction waits and group-commit sizes, the SMS budget used this month, and the runtime's own
 * (memory, CPU, event loop). One registry per app, so tests can build many.
 */
export interface Metrics {
  registry: Registry;
  /** Records every request; mount first, so it times the whole chain. */
  middleware: MiddlewareHandler;
  /** The registry as Prometheus text, and its content type. */
  scrape(): Promise<{ body: string; contentType: string }>;
}

export function createMetrics(deps: {
  jobs: JobAdmin;
  /** The database's transaction waits and (SQLite) group-commit sizes (http/ never touches db/ itself). */
  db: TransactionSource;
  sms: Pick<SmsBudget, 'monthlyLimit' | 'usedThisMonth'>;
}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'clinicbox_' });
  databaseMetrics(registry, deps.db);
  new Gauge({
    name: 'clinicbox_sms_segments_this_month',
    help: 'SMS segments counted against this month’s budget (UTC month).',
    registers: [registry],
    async collect() {
      this.set(await deps.sms.usedThisMonth());
    },
  });
  new Gauge({
    name: 'clinicbox_sms_monthly_limit',
    help: 'The monthly SMS budget in segments (--sms-monthly-limit; 0 = none).',
    registers: [registry],
    collect() {
      this.set(deps.sms.monthlyLimit);
    },
  });

  const requests = new Counter({
    name: 'clinicbox_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'clinicbox_http_request_duration_seconds',
    help: 'Time to answer an HTTP request (until the handler returned), by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  new Gauge({
    name: 'clinicbox_jobs',
    help: 'Jobs in the queue by status.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const stats = await deps.jobs.stats();
      for (const status of jobStatuses) this.set({ status }, stats.counts[status] ?? 0);
      oldestDue.set(stats.oldestDueSeconds ?? 0);
    },
  });
  const oldestDue = new Gauge({
    name: 'clinicbox_jobs_oldest_due_seconds',
    help: 'How long the oldest due queued job has waited (0 when none is due).',
    registers: [registry],
  });
  new Counter({
    name: 'clinicbox_cache_lookups_total',
    help: 'In-memory cache lookups by cache and result (hit or miss).',
    labelNames: ['cache', 'result'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [cache, c] of cacheCounts()) {
        this.inc({ cache, result: 'hit' }, c.hits);
        this.inc({ cache, result: 'miss' }, c.misses);
      }
    },
  });

  const middleware: MiddlewareHandler = async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const status = c.res.status;
      // The pattern the request matched ("/api/v1/patients/:id"); a request that only passed
      // through middleware (`*`, `/api/*`) matched no route, and all of those share one label.
      const matched = routePath(c, -1);
      const route = !matched || (status === 404 && matched.endsWith('*')) ? '(unmatched)' : matched;
      const method = c.req.method;
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, (performance.now() - started) / 1000);
    }
  };

  return {
    registry,
    middleware,
    async scrape() {
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}

/** What app.ts hands over of the database: a way to be told about its transactions (Db.observe). */
export interface TransactionSource {
  observe(observer: { waited(ms: number): void; committedGroup?(size: number): void }): void;
}

/** How long transactions wait to start, and how many SQLite commits together (one fsync each group). */
function databaseMetrics(registry: Registry, db: TransactionSource): void {
  const wait = new Histogram({
    name: 'clinicbox_db_transaction_wait_seconds',
    help: 'Time from asking for a transaction to its work starting: SQLite’s one-writer queue, or a PostgreSQL pool connection and BEGIN.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  const group = new Histogram({
    name: 'clinicbox_db_group_commit_size',
    help: 'SQLite: transactions committed together with one fsync (group commit).',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [registry],
  });
  db.observe({
    waited: (ms) => wait.observe(ms / 1000),
    committedGroup: (size) => group.observe(size),
  });
}

/**
 * `GET /metrics` on the main address (`--metrics-token`): only with the token as a bearer
 * credential; without the setting, no such route. The separate `--metrics-listen` address serves
 * `metricsOnlyApp` instead, with no credential (keep it on a private network).
 */
export function metricsRoutes(deps: Pick<HttpDeps, 'metrics' | 'config'>, kit: RouteKit) {
  const app = new Hono<AppEnv>();
  const { metrics } = deps;
  const token = deps.config.metricsToken;
  if (!metrics || !token) return app;
  app.get('/', kit.authorize('public'), async (c) => {
    const given = c.req.header('authorization')?.match(/^Bearer (.+)$/)?.[1] ?? '';
    if (!sameText(given, token)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      return c.json({ error: { code: 'unauthorized', message: 'a valid metrics token is needed' } }, 401);
    }
    const { body, contentType } = await metrics.scrape();
    return c.body(body, 200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  });
  return app;
}

/** The whole of the `--metrics-listen` address: `/metrics`, nothing else. */
export function metricsOnlyApp(metrics: Metrics): Hono {
  const app = new Hono();
  app.get('/metrics', async (c) => {
    const { body, contentType } = await metrics.scrape();
    return c.body(body, 200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
  });
  return app;
}
