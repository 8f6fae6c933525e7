import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/domain/audit/index.ts';
import { createTestApp, type TestApp } from '../src/testing/app.ts';
import { testBrowser } from '../src/testing/browser.ts';

/** The API document: valid OpenAPI 3.1, and exactly the `/api/v1` routes the server has. */
describe('GET /api/v1/openapi.json', () => {
  let app: TestApp;
  let doc: {
    openapi: string;
    paths: Record<
      string,
      Record<string, { requestBody?: unknown; responses: Record<string, unknown>; security?: object[] }>
    >;
  };
  beforeAll(async () => {
    app = await createTestApp();
    doc = (await (await app.http.request('/api/v1/openapi.json')).json()) as typeof doc;
  });
  afterAll(() => app.destroy());

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, JSON.stringify(result)).toBe(true);
  });

  it('documents every /api/v1 route of the server, and no other', () => {
    const served = new Set(
      app.http.routes
        .filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`)),
    );
    expect([...documented].sort()).toEqual([...served].sort());
  });

  it('names the codes of every 409 it lists (error.code, what each means)', () => {
    const vague = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => {
          const said = (op.responses['409'] as { description?: string } | undefined)?.description;
          return said !== undefined && !/\b(stale|[a-z]+(_[a-z]+)+)\b/.test(said);
        })
        .map(([method]) => `${method} ${path}`),
    );
    expect(vague).toEqual([]);
    // The booking's codes are its own, not a move's (it was once one text for every 409).
    const booking = (doc.paths['/api/v1/appointments']!.post!.responses['409'] as { description: string })
      .description;
    expect(booking).toContain('start_in_past');
    expect(booking).not.toContain('stale');
  });

  it('describes request bodies with the zod schemas that validate them', () => {
    const book = doc.paths['/api/v1/appointments']!.post!.requestBody as {
      content: {
        'application/json': { schema: { required: string[]; properties: Record<string, unknown> } };
      };
    };
    const schema = book.content['application/json'].schema;
    expect(schema.required.sort()).toEqual(['practitionerId', 'serviceId', 'start']);
    expect(Object.keys(schema.properties)).toContain('patientId');
  });

  it('has a readable page', async () => {
    const res = await app.http.request('/api');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/api/v1/appointment-series');
  });

  it('lists the answer a patient session not yet registered gets from every patient operation', async () => {
    // A verified address without a record (sign-in done, registration next): most patient routes
    // refuse it with 403 registration_required, which the document must say.
    // A fresh session for each call: one of them signs out.
    const unregistered = async () => {
      const { token } = await app.deps.db.tx((ctx) =>
        app.deps.patientSignIn.startSession(ctx, 'email:new@example.org', null, { actor: systemActor }),
      );
      const browser = testBrowser(app.http);
      browser.cookies.set('cb_patient', token);
      return browser;
    };
    const undocumented: string[] = [];
    let refused = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!op.security?.some((s) => 'patientSession' in s)) continue;
        const url = path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');
        const body = method === 'get' || method === 'delete' ? undefined : {};
        const res = await (await unregistered()).json(method.toUpperCase(), url, body);
        if (res.status === 403) refused++;
        if (!(String(res.status) in op.responses)) undocumented.push(`${method} ${path}: ${res.status}`);
      }
    }
    expect(undocumented).toEqual([]);
    expect(refused).toBeGreaterThan(10);
  });
});
