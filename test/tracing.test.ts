import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracing, type Tracing } from '../src/lib/tracing.ts';
import { createTestApp, type TestApp } from '../src/testing/app.ts';
import { deskBookingOverApi } from '../src/testing/booking-api-world.ts';
import { until } from '../src/testing/wait.ts';

/*
 * Issue 21, item 5: with OTEL_EXPORTER_OTLP_ENDPOINT set, the official SDK exports spans over
 * OTLP/HTTP to a collector (here a local one reading the JSON): a request's server span named by
 * its route pattern (never the URL's ids), continuing the caller's trace (`traceparent`), and the
 * run of a job the request enqueued, carrying the request's id.
 */
interface OtlpSpan {
  name: string;
  traceId: string;
  parentSpanId?: string;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}

describe('OpenTelemetry traces over OTLP/HTTP', () => {
  const spans: OtlpSpan[] = [];
  let collector: Server;
  let traces: Tracing | null;
  let app: TestApp;
  beforeAll(async () => {
    collector = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        if (req.url === '/v1/traces') {
          const sent = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
          for (const r of sent.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans);
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as { port: number };
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${port}`;
    process.env.OTEL_BSP_SCHEDULE_DELAY = '50';
    traces = await startTracing(process.env, { name: 'clinicbox', version: 'test' });
    app = await createTestApp({ worker: true, config: { staffMfa: 'optional', jobPollInterval: 20 } });
    await app.start();
  });
  afterAll(async () => {
    await app?.destroy();
    await traces?.stop();
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_BSP_SCHEDULE_DELAY;
    await new Promise((resolve) => collector.close(resolve));
  });
  const attr = (span: OtlpSpan, key: string) => {
    const v = span.attributes.find((a) => a.key === key)?.value;
    return v?.stringValue ?? (v?.intValue !== undefined ? Number(v.intValue) : undefined);
  };

  it('is off without the variable: no SDK, no provider', async () => {
    expect(await startTracing({}, { name: 'clinicbox', version: 'test' })).toBeNull();
  });

  it('exports a server span per request, named by route pattern, in the caller’s trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await app.http.request('/api/v1/services', {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    await app.http.request('/api/v1/patients/pat_secret_123');
    const services = await until('the services span', async () =>
      spans.find((s) => s.name === 'GET /api/v1/services'),
    );
    expect(services.traceId).toBe(traceId);
    expect(services.parentSpanId).toBe('00f067aa0ba902b7');
    expect(attr(services, 'http.route')).toBe('/api/v1/services');
    expect(attr(services, 'http.response.status_code')).toBe(200);
    const patient = await until('the patient span', async () =>
      spans.find((s) => attr(s, 'http.route') === '/api/v1/patients/:id'),
    );
    expect(JSON.stringify(patient)).not.toContain('pat_secret_123');
  });

  it('exports the run of a job the request enqueued, with the request’s id', async () => {
    const res = await deskBookingOverApi(app);
    expect(res.status).toBe(201);
    const requestId = res.headers.get('x-request-id');
    const job = await until('a job span of the booking', async () =>
      spans.find((s) => s.name.startsWith('job ') && attr(s, 'clinicbox.request_id') === requestId),
    );
    expect(attr(job, 'clinicbox.job.attempt')).toBe(1);
  });
});
