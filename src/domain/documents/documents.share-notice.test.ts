import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppWithSinks, createAppWithSinks } from '../../testing/app-with-sinks.ts';
import { readablePdf } from '../../testing/documents.ts';
import { type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { jobsDone } from '../../testing/jobs.ts';

/**
 * Issue 16: a document newly shared with the patient is announced through the dispatcher — by
 * the worker, to a real SMTP sink — as a link to the app's Documents, never the document: not its
 * title, its category, its file's name or a byte of it, nothing attached. A document shared and
 * unshared before the worker sends is not announced at all. Runs on the suite's dialect.
 */
describe('a shared document’s notice to the patient', () => {
  let app: AppWithSinks;
  let clinic: ClinicFixture;
  beforeAll(async () => {
    app = await createAppWithSinks({ config: { baseUrl: 'https://clinic.example' } });
    clinic = await seedClinic(app, { patients: 2 });
  });
  afterAll(() => app?.destroy());

  const practitioner = () => ({ type: 'staff' as const, id: clinic.practitionerIds[0]! });
  const upload = async (patientId: string, title: string, shared: boolean) =>
    app.deps.documents.upload(practitioner(), patientId, {
      file: Readable.from([await readablePdf('Histology: benign naevus, excised completely')]),
      fileName: 'histology-naevus.pdf',
      fields: { category: 'lab-result', title, sharedWithPatient: shared },
    });

  it('is a link to the app’s documents, without the title, category, file name or content', async () => {
    await upload(clinic.patientIds[0]!, 'Skin biopsy result', true);
    await jobsDone(app);
    const mails = app.mailsTo('patient1@example.org');
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.text).toContain('https://clinic.example/app/#/documents');
    const everything = JSON.stringify({ subject: mail.subject, text: mail.text, html: mail.html });
    expect(everything).not.toMatch(/biopsy|Skin|lab|result|histology|naevus|benign|\.pdf/i);
    expect(mail.attachments).toEqual([]);
  });

  it('is not sent for a document unshared before the worker got to it', async () => {
    const worker = app.worker!;
    await worker.stop(5000);
    try {
      const doc = await upload(clinic.patientIds[1]!, 'Letter', true);
      await app.deps.documents.update(practitioner(), doc.id, { sharedWithPatient: false });
    } finally {
      await worker.start();
    }
    await jobsDone(app);
    expect(app.mailsTo('patient2@example.org')).toEqual([]);
  });
});
