import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateWhere } from '../../db/rows.ts';
import { createCache } from '../../lib/cache.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { seedClinic } from '../../testing/factories.ts';
import { secondInstance } from '../../testing/second-instance.ts';
import { patientOnRecord, staffMember } from '../../testing/signed-in.ts';
import type { Actor } from '../audit/index.ts';
import { findNote } from './chart.repo.ts';
import type { TemplateField } from './chart.schema.ts';
import { writeDraft } from './save-draft.ts';

/**
 * Races on notes and templates, through the services, on the suite's dialect (on a PostgreSQL
 * server the second instance has its own connection): many saves of one version, a save racing
 * the signature, an edit of a template racing another, and two instances making the starters at
 * once.
 */
describe('notes and templates under concurrent use', () => {
  let app: TestApp;
  let author: Actor;
  let admin: Actor;
  let patientId: string;
  let soapId: string;

  beforeAll(async () => {
    app = await createTestApp();
    const clinic = await seedClinic(app, { patients: 0 });
    admin = { type: 'staff', id: clinic.adminId };
    author = { type: 'staff', id: (await staffMember(app, 'practitioner')).account.id };
    patientId = (await patientOnRecord(app)).id;
    soapId = (await app.deps.templates.list(author)).find((t) => t.name === 'SOAP note')!.id;
  });
  afterAll(() => app.destroy());

  const settled = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);
  const codeOf = (r: PromiseSettledResult<unknown>) =>
    r.status === 'fulfilled' ? 'ok' : ((r.reason as { code?: string }).code ?? 'error');

  it('lets exactly one of eight saves of one version through, and keeps its answer', async () => {
    const note = await app.deps.notes.create(author, patientId, { templateId: soapId });
    const results = await settled(
      Array.from({ length: 8 }, (_, i) =>
        app.deps.notes.save(author, note.id, { version: 1, answers: { subjective: `tab ${i}` } }),
      ),
    );
    const codes = results.map(codeOf);
    expect(codes.filter((c) => c === 'ok')).toHaveLength(1);
    expect(codes.filter((c) => c === 'version_conflict')).toHaveLength(7);
    const winner = results.findIndex((r) => r.status === 'fulfilled');
    const { note: saved } = await app.deps.notes.read(author, note.id);
    expect(saved).toMatchObject({ version: 2, answers: { subjective: `tab ${winner}` } });
  });

  it('undoes a save that races a merge moving the note: no index entry or audit row under the old chart', async () => {
    const note = await app.deps.notes.create(author, patientId, { templateId: soapId });
    const stale = (await findNote(app.db.reader, note.id))!;
    const other = (await patientOnRecord(app, { email: 'merged-into@example.org' })).id;
    await app.db.tx((ctx) =>
      updateWhere(ctx, ctx.t.notes, eq(ctx.t.notes.id, note.id), { patientId: other }),
    );
    const chartDeps = {
      db: app.db,
      clock: app.clock,
      audit: app.deps.audit,
      clinic: app.deps.clinic,
      appointments: app.deps.appointments,
      versionFields: createCache<{ fields: TemplateField[] }>('test-version-fields', {
        max: 10,
        ttlMs: 60_000,
      }),
      ready: async () => {},
    };
    const fields = (await app.deps.templates.get(admin, soapId)).fields;
    const saving = writeDraft(
      chartDeps,
      author,
      { note: stale, version: 1, answers: { subjective: 'moved' }, fields },
      'note.save',
    );
    await expect(saving).rejects.toMatchObject({ code: 'version_conflict' });
    const { note: read } = await app.deps.notes.read(author, note.id);
    expect(read).toMatchObject({ version: 1, patientId: other });
    const saves = (await app.deps.audit.list({ limit: 2000 })).filter(
      (r) => r.entityId === note.id && r.action === 'note.save',
    );
    expect(saves).toHaveLength(0);
    // The next save, at the same version, goes through under the chart the note is in now.
    await app.deps.notes.save(author, note.id, { version: 1, answers: { subjective: 'again' } });
    const [saved] = (await app.deps.audit.list({ limit: 2000 })).filter(
      (r) => r.entityId === note.id && r.action === 'note.save',
    );
    expect(saved).toMatchObject({ patientId: other });
  });

  it('signs what was saved when a save races the signature: the hash matches the stored note', async () => {
    for (let round = 0; round < 5; round++) {
      const note = await app.deps.notes.create(author, patientId, {
        templateId: soapId,
        answers: { subjective: 's', assessment: 'a', plan: 'p' },
      });
      const [save, sign] = (await settled<unknown>([
        app.deps.notes.save(author, note.id, { version: 1, answers: { plan: `changed ${round}` } }),
        app.deps.notes.sign(author, note.id, {}),
      ])) as [PromiseSettledResult<unknown>, PromiseSettledResult<unknown>];
      expect(codeOf(sign)).toBe('ok');
      expect(['ok', 'note_signed', 'version_conflict']).toContain(codeOf(save));
      const read = await app.deps.notes.read(author, note.id);
      expect(read.note.status).toBe('signed');
      expect(read.intact).toBe(true);
      expect(read.note.answers.plan).toBe(codeOf(save) === 'ok' ? `changed ${round}` : 'p');
    }
  });

  it('makes one new version of two edits racing each other', async () => {
    const fields = (await app.deps.templates.get(admin, soapId)).fields;
    const results = await settled([
      app.deps.templates.addVersion(admin, soapId, {
        fields: [...fields, { id: 'x1', type: 'yes-no', label: 'X1' }],
      }),
      app.deps.templates.addVersion(admin, soapId, {
        fields: [...fields, { id: 'x2', type: 'yes-no', label: 'X2' }],
      }),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of results) if (r.status === 'rejected') expect(codeOf(r)).toBe('stale');
    expect((await app.deps.templates.get(admin, soapId)).version).toBe(1 + ok.length);
  });

  it('makes the starters once when two instances start at once', async () => {
    const fresh = await createTestApp();
    const other = await secondInstance(fresh);
    try {
      await Promise.all([fresh.start(), other.start()]);
      const rows = await fresh.db.reader.db.select().from(fresh.db.reader.t.templates);
      expect(rows).toHaveLength(8);
      expect(new Set(rows.map((r) => r.starterKey)).size).toBe(8);
    } finally {
      await other.stop();
      await other.close();
      await fresh.destroy();
    }
  });
});
