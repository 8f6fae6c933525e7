import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { addSmsSegments } from '../src/domain/notifications/notifications.repo.ts';
import { createTestApp } from '../src/testing/app.ts';
import { suiteApp } from '../src/testing/lifecycle.ts';
import { startCli } from '../src/testing/process.ts';
import { tempDir } from './cli-setup.ts';

const token = 'metrics-token-for-the-test-0123456789';

const sample = (families: ReturnType<typeof parsePrometheusTextFormat>, name: string) =>
  families.find((f) => f.name === name);

describe('/metrics on the main address, behind --metrics-token', () => {
  const app = suiteApp({ config: { metricsToken: token } });

  it('refuses a request without the token or with a wrong one', async () => {
    expect((await app().http.request('/metrics')).status).toBe(401);
    const wrong = await app().http.request('/metrics', { headers: { authorization: `Bearer ${token}x` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('parses as Prometheus text: requests by route pattern (no ids), the queue, caches, the runtime', async () => {
    await app().http.request('/healthz');
    await app().http.request('/healthz');
    await app().http.request('/api/v1/services');
    await app().http.request('/api/v1/patients/pat_secret_id_123');
    await app().http.request('/no/such/page');
    const res = await app().http.request('/metrics', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).not.toContain('pat_secret_id_123');
    const families = parsePrometheusTextFormat(text);

    const requests = sample(families, 'clinicbox_http_requests_total');
    expect(requests?.type).toBe('COUNTER');
    const health = requests?.metrics.find((m) => m.labels?.route === '/healthz');
    expect(health).toMatchObject({ value: '2', labels: { method: 'GET', status: '200' } });
    expect(requests?.metrics.some((m) => m.labels?.route === '/api/v1/patients/:id')).toBe(true);
    expect(requests?.metrics.find((m) => m.labels?.route === '(unmatched)')?.labels?.status).toBe('404');

    expect(sample(families, 'clinicbox_http_request_duration_seconds')?.type).toBe('HISTOGRAM');
    // (the parser keeps a histogram's buckets but not its labelled count: read that line itself)
    expect(text).toMatch(
      /^clinicbox_http_request_duration_seconds_count\{method="GET",route="\/healthz"\} 2$/m,
    );

    const jobs = sample(families, 'clinicbox_jobs');
    expect(jobs?.metrics.map((m) => m.labels?.status).sort()).toEqual(
      ['cancelled', 'dead', 'queued', 'running', 'succeeded'].sort(),
    );
    expect(sample(families, 'clinicbox_jobs_oldest_due_seconds')?.type).toBe('GAUGE');
    expect(sample(families, 'clinicbox_cache_lookups_total')?.type).toBe('COUNTER');
    expect(sample(families, 'clinicbox_process_resident_memory_bytes')).toBeDefined();
  });
});

describe('/metrics on the database and the SMS budget', () => {
  it('counts transaction waits, SQLite group commits, and this month’s SMS segments against the limit', async () => {
    const app = await createTestApp({ config: { metricsToken: token, smsMonthlyLimit: 500 } });
    try {
      const scrape = async () =>
        (await app.http.request('/metrics', { headers: { authorization: `Bearer ${token}` } })).text();
      const countOf = (text: string, name: string) =>
        Number(text.match(new RegExp(`^${name}_count (\\d+)$`, 'm'))?.[1] ?? Number.NaN);
      const before = await scrape();
      // Twenty transactions asked for at once: on SQLite they queue for the one writer and are
      // committed in groups. One of them counts 3 SMS segments for this month (the test clock's).
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          app.db.tx(async (ctx) => {
            if (i === 0) await addSmsSegments(ctx, app.clock.now().toISOString().slice(0, 7), 3, null);
          }),
        ),
      );
      const after = await scrape();
      const waits =
        countOf(after, 'clinicbox_db_transaction_wait_seconds') -
        countOf(before, 'clinicbox_db_transaction_wait_seconds');
      expect(waits).toBeGreaterThanOrEqual(20);
      if (app.db.dialect === 'sqlite') {
        const groups =
          countOf(after, 'clinicbox_db_group_commit_size') -
          countOf(before, 'clinicbox_db_group_commit_size');
        expect(groups).toBeGreaterThanOrEqual(1);
        expect(groups).toBeLessThan(20); // grouped: fewer commits than transactions
      }
      expect(after).toMatch(/^clinicbox_sms_segments_this_month 3$/m);
      expect(after).toMatch(/^clinicbox_sms_monthly_limit 500$/m);
    } finally {
      await app.destroy();
    }
  });
});

describe('/metrics without the settings', () => {
  it('is no route at all', async () => {
    const app = await createTestApp();
    try {
      expect((await app.http.request('/metrics')).status).toBe(404);
    } finally {
      await app.destroy();
    }
  });
});

describe('clinicbox serve --metrics-listen', () => {
  it('serves /metrics on its own address with no credential, and not on the main one', async () => {
    const dir = tempDir();
    const { child, match, finished } = await startCli(
      ['serve', '--port', '0', '--data-dir', `${dir}/data`, '--metrics-listen', '127.0.0.1:0', '--no-worker'],
      /Metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics[\s\S]*Open (http:\/\/127\.0\.0\.1:\d+)\//,
      { cwd: dir },
    );
    try {
      const [metricsBase, base] = [match[1]!, match[2]!];
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const res = await fetch(`${metricsBase}/metrics`);
      expect(res.status).toBe(200);
      const families = parsePrometheusTextFormat(await res.text());
      expect(sample(families, 'clinicbox_jobs')).toBeDefined();
      const health = sample(families, 'clinicbox_http_requests_total')?.metrics.find(
        (m) => m.labels?.route === '/healthz',
      );
      expect(health?.value).toBe('1');
      expect((await fetch(`${base}/metrics`)).status).toBe(404);
      expect((await fetch(`${metricsBase}/healthz`)).status).toBe(404);
    } finally {
      child.kill('SIGTERM');
      expect((await finished).code).toBe(0);
    }
  });
});
