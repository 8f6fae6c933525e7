import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRecordsOnFile } from '../../../domain/patients/index.ts';
import { createTestApp, type TestApp } from '../../../testing/app.ts';
import type { TestBrowser } from '../../../testing/browser.ts';
import { cookieOf, samplePdf } from '../../../testing/documents.ts';
import { seedClinic } from '../../../testing/factories.ts';
import { jobsDone } from '../../../testing/jobs.ts';
import { signedInAs } from '../../../testing/signed-in.ts';

/**
 * Admin › Import over HTTP, as the page drives it: the streamed upload (htmx sends the CSRF token
 * as a header), the mapping form, the preview and dry run, the run as a job, the rejected rows as
 * CSV — admins only; a file that is not CSV is refused and changes nothing.
 */
describe('Admin › Import', () => {
  let app: TestApp;
  const as = (email: string) => signedInAs(app, email);
  beforeAll(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' }, worker: true });
    await app.start();
    // Pat1 Ient1, born 1980-01-01, patient1@example.org (and two more) are on file.
    await seedClinic(app, { patients: 3 });
  });
  afterAll(() => app.destroy());

  async function upload(
    browser: TestBrowser,
    kind: string,
    name: string,
    bytes: Buffer,
    from = '/staff/admin/import',
  ) {
    await browser.text(await browser.get(from));
    // The page's token, or (a page the member may not open) the double-submit cookie it equals.
    const token =
      /name="_csrf" value="([^"]*)"/.exec(browser.page())?.[1] ??
      [...browser.cookies].find(([k]) => /csrf/i.test(k))![1];
    const form = new FormData();
    form.append('kind', kind);
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    return app.http.request('http://localhost/staff/admin/import', {
      method: 'POST',
      headers: {
        cookie: cookieOf(browser),
        origin: 'http://localhost',
        'hx-request': 'true',
        'x-csrf-token': token,
      },
      body: form,
    });
  }
  const storedFiles = () => (app.filesPath ? readdirSync(join(app.filesPath, 'imports')).sort() : []);
  const importCount = async () => (await app.deps.imports.list()).length;

  it('upload → mapping → preview and dry run → import as a job → the rejected rows with reasons', async () => {
    const admin = await as('ada@clinic.example');
    const csv = [
      'First Name,Last Name,Born,E-mail,Mobile Phone',
      'Grace,Hopper,09/12/1986,grace@example.org,07700 900111', // new
      'Grace,Hopper,09/12/1986,other@example.org,', // duplicate of line 2
      'Alan,Turing,23/06/1982,not-an-email,', // rejected: email
      'Pat1,Ient1,01/01/1980,pat@elsewhere.org,', // possible duplicate of the record on file
      'Ada,Lovelace,10/12/1985,ada@example.org,', // new
    ].join('\r\n');
    const res = await upload(admin, 'patients', 'old-system.csv', Buffer.from(csv));
    expect(res.status).toBe(200);
    const page = res.headers.get('hx-redirect')!;
    expect(page).toMatch(/^\/staff\/admin\/import\/[\w-]+$/);
    expect(storedFiles()).toHaveLength(1);

    // "Born" is not a header it knows: the preview waits for the date of birth's column.
    let html = await admin.text(await admin.get(page));
    expect(html).toContain('Choose a column for dateOfBirth');
    expect(html).toMatch(/<option value="First Name" selected="">First Name<\/option>/);
    expect(html).toContain('5 rows');

    const saved = await admin.post(`${page}/mapping`, {
      'map.firstName': 'First Name',
      'map.lastName': 'Last Name',
      'map.dateOfBirth': 'Born',
      'map.email': 'E-mail',
      'map.phone': ['Mobile Phone'],
      'map.sex': '',
      dateFormat: 'dmy',
    });
    expect(saved.status).toBe(303);
    html = await admin.text(await admin.get(page));
    expect(html).toContain(
      'Dry run (nothing written yet): 5 rows — 2 would be imported, 0 already on file (skipped), 3 rejected.',
    );
    const outcomes = [...html.matchAll(/<td class="outcome">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(outcomes).toEqual([
      'would import',
      'duplicate of line 2 (same name and date of birth)',
      'rejected: email is not a valid address',
      expect.stringMatching(/^possible duplicate of record \S+ on file \(same name and date of birth\)$/),
      'would import',
    ]);
    const before = (await listRecordsOnFile(app.deps.db.reader)).length;
    expect(before).toBe(3);

    const run = await admin.post(`${page}/run`);
    expect(run.status).toBe(303);
    await jobsDone(app, 'imports.run', 20_000);
    html = await admin.text(await admin.get(`${page}/progress`));
    expect(html).toContain('5 rows: 2 imported, 0 already on file (skipped), 3 rejected.');
    expect(html).not.toContain('hx-trigger');
    expect((await listRecordsOnFile(app.deps.db.reader)).length).toBe(5);

    const rejected = await admin.get(`${page}/rejected.csv`);
    expect(rejected.status).toBe(200);
    expect(rejected.headers.get('content-disposition')).toBe(
      'attachment; filename="old-system.rejected.csv"',
    );
    const [header, ...rows] = parse(await rejected.text()) as string[][];
    expect(header).toEqual(['First Name', 'Last Name', 'Born', 'E-mail', 'Mobile Phone', 'line', 'reason']);
    expect(rows.map((r) => [r[5], r[6]])).toEqual([
      ['3', 'duplicate of line 2 (same name and date of birth)'],
      ['4', 'email is not a valid address'],
      ['5', expect.stringMatching(/^possible duplicate of record/)],
    ]);
    // The upload is gone; only the rejected rows are kept (encrypted).
    expect(storedFiles()).toEqual([expect.stringMatching(/-rejected\./)]);
    const actions = (await app.deps.audit.list({ limit: 500 }))
      .filter((r) => r.entity === 'import')
      .map((r) => r.action);
    for (const a of [
      'import.upload',
      'import.preview',
      'import.map',
      'import.start',
      'import.finish',
      'import.rejected-download',
    ])
      expect(actions).toContain(a);
    // Nothing left to run: a second start is refused.
    await admin.text(await admin.get(page));
    expect((await admin.post(`${page}/run`)).status).toBe(409);
  }, 60_000);

  it('refuses a file that is not CSV with a clear error, storing nothing', async () => {
    const admin = await as('ada@clinic.example');
    const count = await importCount();
    const files = storedFiles();
    const res = await upload(admin, 'patients', 'scan.pdf', samplePdf('not a table'));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(
      'This file cannot be imported: not a CSV file (it is a PDF file: export the table as CSV).',
    );
    expect(html).toContain('id="import-upload"');
    expect(await importCount()).toBe(count);
    expect(storedFiles()).toEqual(files);
  });

  it('is for admins only', async () => {
    const count = await importCount();
    for (const email of ['bo@clinic.example', 'p1@clinic.example']) {
      const member = await as(email);
      expect((await member.get('/staff/admin/import')).status).toBe(403);
      await member.text(await member.get('/staff'));
      const res = await upload(
        member,
        'patients',
        'x.csv',
        Buffer.from('first_name,last_name,date_of_birth\nA,B,1980-01-01\n'),
      );
      expect(res.status).toBe(403);
    }
    expect(await importCount()).toBe(count);
  });
});
