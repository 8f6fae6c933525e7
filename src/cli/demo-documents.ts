import { Readable } from 'node:stream';
import type { App } from '../app.ts';
import { startPdf } from '../lib/pdf-writer.ts';

/**
 * The demo clinic's documents (issue 16): letters on two charts — a GP's referral shared with the
 * patient, an imaging report and blood results kept for the clinicians, a signed consent — and a
 * letter a patient sent from the app, waiting in the Inbox under "Documents to review". Uploaded
 * through the documents service as a practitioner and as the patient, so they are encrypted,
 * checked and audited like any other; real PDFs, so the chart's preview draws them.
 */
export async function seedDemoDocuments(app: App, patientIds: string[]): Promise<void> {
  const { documents, staff } = app.deps;
  const practitioner = (await staff.accounts.list()).find((a) => a.role === 'practitioner');
  if (!practitioner || patientIds.length < 3) return;
  const asPractitioner = { type: 'staff' as const, id: practitioner.id };
  const upload = async (patientId: string, title: string, lines: string[], fields: Record<string, unknown>) =>
    documents.upload(asPractitioner, patientId, {
      file: Readable.from([await letter(title, lines)]),
      fileName: `${title}.pdf`,
      fields: { title, ...fields },
    });
  const knee = patientIds[1]!;
  await upload(
    knee,
    'Referral from Dr Okafor',
    [
      'Dear colleague,',
      'Thank you for seeing this patient, who has had pain in the right knee since March, worse on stairs.',
      'No locking or giving way. Ibuprofen helps a little. I would be grateful for your assessment and a',
      'programme of exercises.',
      'Dr N. Okafor, Mill Lane Surgery',
    ],
    { category: 'referral', documentDate: '2026-11-20', sharedWithPatient: 'true' },
  );
  await upload(
    knee,
    'MRI right knee, report',
    [
      'Small joint effusion. Grade 1 signal in the posterior horn of the medial meniscus, no tear.',
      'Cruciate and collateral ligaments intact. Mild patellofemoral chondral thinning.',
    ],
    { category: 'imaging', documentDate: '2026-11-28' },
  );
  await upload(
    knee,
    'Consent to treatment',
    ['I agree to assessment and physiotherapy treatment, explained to me, including manual therapy.'],
    { category: 'consent', sharedWithPatient: 'true' },
  );
  await upload(
    patientIds[0]!,
    'Full blood count',
    ['Haemoglobin 138 g/L, white cells 6.2 x10^9/L, platelets 251 x10^9/L: within the reference ranges.'],
    { category: 'lab-result', documentDate: '2026-11-12' },
  );
  await documents.uploadOwn(
    { type: 'patient', id: patientIds[2]! },
    {
      file: Readable.from([
        await letter('Letter from my insurer', ['Please send the invoices for the sessions in November.']),
      ]),
      fileName: 'insurer letter.pdf',
      fields: { title: 'Letter from my insurer' },
    },
  );
}

/** A one-page letter: its title, then its lines. */
async function letter(title: string, lines: string[]): Promise<Buffer> {
  const w = await startPdf(title);
  w.text(title, { font: w.fonts.bold, size: 16 });
  w.gap(12);
  for (const line of lines) w.text(line, { size: 11 });
  return Buffer.from(await w.pdf.save());
}
