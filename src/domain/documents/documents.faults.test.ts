import { openSync, readSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../../db/client.ts';
import { newId } from '../../lib/ids.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import type { TestBrowser } from '../../testing/browser.ts';
import {
  expectDamagedRefused,
  postFile,
  postStreamedUpload,
  samplePdf,
  storedObjectKeys,
} from '../../testing/documents.ts';
import { type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { jobsDone } from '../../testing/jobs.ts';
import { signedInAs } from '../../testing/signed-in.ts';
import { PURGE_DELETED_DOCUMENTS, SWEEP_ORPHAN_FILES } from './documents.jobs.ts';

/**
 * Issue 16's faults, on the suite's dialect with real files on disk: a document is visible only
 * once its object is stored and its row committed — a dropped upload or a failed transaction
 * leaves no document and no object, and what a killed process leaves behind is swept after a
 * day; a flipped byte is refused (never served) and reported to the admins; deleted documents'
 * files are purged after the retention period.
 */
describe('documents: faults, the sweeper and the purge', () => {
  let app: TestApp;
  let clinic: ClinicFixture;
  let doctor: TestBrowser;
  let patientId: string;

  beforeAll(async () => {
    app = await createTestApp({
      now: new Date().toISOString(), // object times are the file system's
      worker: true,
      config: { staffMfa: 'optional', jobPollInterval: 20, documentRetentionDays: 30 },
    });
    clinic = await seedClinic(app, { patients: 1 });
    patientId = clinic.patientIds[0]!;
    doctor = await signedInAs(app, 'p1@clinic.example');
    await app.start();
  });
  afterAll(() => app.destroy());

  const rows = async () => app.db.reader.db.select().from(app.db.reader.t.documents);
  const upload = async (text: string) => {
    const res = await postFile(app, doctor, `/api/v1/patients/${patientId}/documents`, {
      name: 'letter.pdf',
      bytes: samplePdf(text),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { document: { id: string } }).document.id;
  };
  const objectOf = async (id: string) => (await rows()).find((r) => r.id === id)!.objectKey;
  const runJob = async (job: typeof PURGE_DELETED_DOCUMENTS) => {
    await app.db.tx((ctx) => app.deps.jobs.queue.enqueue(ctx, job, {}));
    await jobsDone(app, job.name);
  };

  it('keeps nothing of an upload whose connection drops part way', async () => {
    const before = { rows: (await rows()).length, objects: storedObjectKeys(app.filesPath!) };
    const res = await postStreamedUpload(app, doctor, `/api/v1/patients/${patientId}/documents`, {
      start(controller) {
        controller.enqueue(new Uint8Array(Buffer.alloc(300_000, 0x20)));
        controller.error(new Error('connection reset'));
      },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect((await rows()).length).toBe(before.rows);
    expect(storedObjectKeys(app.filesPath!)).toEqual(before.objects);
  });

  it('removes the stored object when the row’s transaction fails, and shows no document', async () => {
    const before = { rows: (await rows()).length, objects: storedObjectKeys(app.filesPath!) };
    const sqlite = app.db.dialect === 'sqlite';
    await app.db.tx((ctx) =>
      execute(
        ctx,
        sql.raw(
          sqlite
            ? `create trigger documents_fail before insert on documents begin select raise(abort, 'injected'); end`
            : `create function documents_fail() returns trigger as $$ begin raise exception 'injected'; end $$ language plpgsql`,
        ),
      ),
    );
    if (!sqlite)
      await app.db.tx((ctx) =>
        execute(
          ctx,
          sql.raw(
            'create trigger documents_fail before insert on documents for each row execute function documents_fail()',
          ),
        ),
      );
    try {
      const res = await postFile(app, doctor, `/api/v1/patients/${patientId}/documents`, {
        name: 'a.pdf',
        bytes: samplePdf(),
      });
      expect(res.status).toBe(500);
    } finally {
      await app.db.tx((ctx) =>
        execute(
          ctx,
          sql.raw(sqlite ? 'drop trigger documents_fail' : 'drop trigger documents_fail on documents'),
        ),
      );
    }
    expect((await rows()).length).toBe(before.rows);
    expect(storedObjectKeys(app.filesPath!)).toEqual(before.objects);
  });

  it('sweeps objects no row names once they are a day old, and leaves the rest', async () => {
    const kept = await upload('kept');
    // What a process killed between storing the object and writing its row leaves behind.
    const orphan = await app.deps.files.write(Readable.from([samplePdf('orphan')]), {
      keyHint: `documents/${patientId}/${newId()}`,
      maxBytes: 1 << 20,
    });
    const young = await app.deps.files.write(Readable.from([samplePdf('in flight')]), {
      keyHint: `documents/${patientId}/${newId()}`,
      maxBytes: 1 << 20,
    });
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    for (const key of [orphan.objectKey, await objectOf(kept)])
      utimesSync(join(app.filesPath!, key), twoDaysAgo, twoDaysAgo);

    await runJob(SWEEP_ORPHAN_FILES);
    const left = storedObjectKeys(app.filesPath!);
    expect(left).not.toContain(orphan.objectKey);
    expect(left).toContain(young.objectKey);
    expect(left).toContain(await objectOf(kept));
    expect((await doctor.get(`/api/v1/documents/${kept}/content`)).status).toBe(200);
  });

  it('refuses a file with a flipped byte (never serving it) and reports it to the admins', async () => {
    const id = await upload('a letter whose bytes will rot');
    const path = join(app.filesPath!, await objectOf(id));
    const fd = openSync(path, 'r+');
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, 60);
    byte[0] = byte[0]! ^ 0x01;
    writeSync(fd, byte, 0, 1, 60);

    await expectDamagedRefused(app, doctor, id, clinic.adminId);
    expect(app.logs.some((l) => l.msg === 'stored file failed its check' && l.documentId === id)).toBe(true);
  });

  it('purges a deleted document’s file after the retention period, keeping the row for the record', async () => {
    const old = await upload('old');
    const recent = await upload('recent');
    // Through the service: the clock moves past any staff session.
    const practitioner = { type: 'staff' as const, id: clinic.practitionerIds[0]! };
    await app.deps.documents.remove(practitioner, old, { reason: 'duplicate' });
    app.clock.advance(20 * 86_400_000);
    await app.deps.documents.remove(practitioner, recent, { reason: 'duplicate' });
    app.clock.advance(11 * 86_400_000);
    const oldKey = await objectOf(old);
    const recentKey = await objectOf(recent);

    await runJob(PURGE_DELETED_DOCUMENTS);
    const left = storedObjectKeys(app.filesPath!);
    expect(left).not.toContain(oldKey);
    expect(left).toContain(recentKey);
    const byId = new Map((await rows()).map((r) => [r.id, r]));
    expect(byId.get(old)!.purgedAt).not.toBeNull();
    expect(byId.get(recent)!.purgedAt).toBeNull();
    const audit = await app.deps.audit.list({ limit: 500 });
    expect(audit.filter((r) => r.action === 'document.purge').map((r) => r.entityId)).toEqual([old]);
    // Purged, it is no longer a stored file for verify, migrate or keys rotate.
    const stored = await app.deps.documents.listStoredFiles();
    expect(stored.map((f) => f.documentId)).not.toContain(old);
    expect(stored.map((f) => f.documentId)).toContain(recent);
  });
});
