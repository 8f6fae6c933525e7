import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Page, Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { systemActor } from '../../src/domain/audit/index.ts';
import { cleanupsAfterEach } from '../../src/testing/lifecycle.ts';
import { until } from '../../src/testing/wait.ts';
import { screenshotDir, skipBrowserTests } from './chromium.ts';
import { heading, signedInAsMaya } from './patient-app-world.ts';
import { a11y, shots } from './patient-daily-world.ts';
import { slowUploads } from './slow-uploads.ts';

/**
 * Issue 16 in Debian Chromium at a phone's size: the patient app's Documents. A document the
 * clinic shares is listed, opens in the browser (served inline, as it was stored) and downloads;
 * one it keeps to itself is not listed. A photo taken with the camera goes up with its progress
 * shown and lands on the chart as the patient's, waiting in the Inbox for review; once staff
 * review it the app says so. A file that is not what its name says is refused in words, and a
 * stopped upload leaves nothing. (The API's rules on both dialects: B's documents API tests.)
 */
describe.skipIf(skipBrowserTests)('documents in the patient app', () => {
  const cleanups = cleanupsAfterEach();
  const png = () => readFile(join(import.meta.dirname, '../../mobile-pwa/icon-192.png'));
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

  it('lists what the clinic shared, opens it in the browser and downloads it; not what it kept', async () => {
    const { app, page, context, clinic, mayaId } = await signedInAsMaya(cleanups);
    const practitioner = clinic.practitionerIds[0]!;
    const image = await png();
    const xray = await staffUpload(app, practitioner, mayaId, image, 'knee x-ray.png', {
      category: 'imaging',
      title: 'Knee X-ray',
      sharedWithPatient: 'true',
    });
    await staffUpload(app, practitioner, mayaId, Buffer.from(PDF), 'notes.pdf', {
      category: 'letter',
      title: 'Internal notes',
    });
    await staffUpload(app, practitioner, mayaId, Buffer.from(PDF), 'referral.pdf', {
      category: 'referral',
      title: 'Referral to Dr Martin',
      sharedWithPatient: 'true',
    });

    await page.getByRole('link', { name: 'Documents', exact: true }).click();
    await expect.poll(() => heading(page)).toBe('Documents');
    const fromClinic = page.getByRole('region', { name: 'From the clinic' });
    await expect.poll(() => fromClinic.locator('article.document').count()).toBe(2);
    const titles = await fromClinic.locator('article.document h3').allInnerTexts();
    expect(titles.sort()).toEqual(['Knee X-ray', 'Referral to Dr Martin']);
    expect(await page.getByText('Internal notes').count()).toBe(0);
    const card = fromClinic.locator('article.document', { hasText: 'Knee X-ray' });
    expect(await card.innerText()).toMatch(/Imaging · .* · Image, \d/);

    // Open: a new tab with the picture, served inline as it was stored.
    const served = new Promise<Response>((resolve) =>
      context.on('response', (r) => r.url().endsWith(`/documents/${xray.id}/content`) && resolve(r)),
    );
    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      card.getByRole('link', { name: 'Open Knee X-ray' }).click(),
    ]);
    const response = await served;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('image/png');
    expect(response.headers()['content-disposition']).toMatch(/^inline/);
    expect(sha256(await response.body())).toBe(sha256(image));
    await tab.close();

    // Download: the same bytes, under the file's name.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('link', { name: 'Download Knee X-ray' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/x-ray\.png$/);
    expect(sha256(await readFile((await download.path())!))).toBe(sha256(image));

    await a11y(page, 'documents shared');
    await shots(page, 'documents-shared-en');
    await page.evaluate(() => localStorage.setItem('cb.lang', 'fr'));
    await page.reload();
    await expect
      .poll(() => page.getByRole('region', { name: 'Du cabinet' }).locator('article').count())
      .toBe(2);
    expect(await page.getByRole('link', { name: 'Ouvrir Knee X-ray' }).isVisible()).toBe(true);
    await a11y(page, 'documents shared, French');
    await shots(page, 'documents-shared-fr');

    // Offline: the list the phone saw stays readable; opening and sending need the clinic, and say so.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await expect
      .poll(() => page.getByRole('region', { name: 'Du cabinet' }).locator('article').count())
      .toBe(2);
    await context.setOffline(true);
    await page.reload();
    const offlineList = page.getByRole('region', { name: 'Du cabinet' });
    await expect.poll(() => offlineList.locator('article').count()).toBe(2);
    expect(await page.locator('.banner.offline').isVisible()).toBe(true);
    const open = offlineList.getByRole('button', { name: 'Ouvrir Knee X-ray' });
    expect(await open.isDisabled()).toBe(true);
    expect(await open.getAttribute('aria-describedby')).toBe('offline-reason');
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Choisir un fichier' }).click(),
    ]);
    await chooser.setFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from(PDF) });
    expect(await page.getByRole('button', { name: 'Envoyer au cabinet' }).isDisabled()).toBe(true);
    await a11y(page, 'documents offline');
    await context.setOffline(false);
  });

  it('sends a camera photo with its progress; it waits on the chart and in the staff Inbox for review, then shows as seen', async () => {
    const { app, page, context, base, clinic, mayaId } = await signedInAsMaya(cleanups);
    const practitioner = { type: 'staff' as const, id: clinic.practitionerIds[0]! };
    await page.getByRole('link', { name: 'Documents', exact: true }).click();
    await expect
      .poll(() => page.getByText('The clinic has not shared any document with you yet.').count())
      .toBe(1);
    const photo = await cameraPhoto(page);

    // The camera button asks the phone for its back camera.
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Take a photo' }).click(),
    ]);
    expect(await chooser.element().getAttribute('capture')).toBe('environment');
    expect(await chooser.element().getAttribute('accept')).toBe('image/*');
    await chooser.setFiles({ name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: photo });
    const title = page.getByRole('textbox', { name: 'Title' });
    await expect.poll(() => title.evaluate((e) => e === document.activeElement)).toBe(true);
    expect(await title.inputValue()).toMatch(/^Photo of \d/);
    await title.fill('Insurance card');
    await page.getByRole('combobox', { name: 'Kind of document' }).selectOption({ label: 'ID or insurance' });
    await a11y(page, 'photo chosen');
    await shots(page, 'documents-photo-chosen-en');

    // A slow upload, so the bar is seen part-way.
    const fullSpeed = await slowUploads(page, photo.length / 3);
    await page.getByRole('button', { name: 'Send to the clinic' }).click();
    const bar = page.getByRole('progressbar', { name: 'Sending…' });
    await expect
      .poll(() => bar.evaluate((e) => (e as HTMLProgressElement).value), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(await bar.evaluate((e) => (e as HTMLProgressElement).value)).toBeLessThan(1);
    await a11y(page, 'photo sending');
    await page.screenshot({ path: join(screenshotDir, 'patient-daily-documents-sending-phone.png') });
    await expect
      .poll(() => page.getByText('Sent. The clinic will look at it.').isVisible(), { timeout: 15_000 })
      .toBe(true);
    await fullSpeed();
    // The Send button is gone: the keyboard goes on from the section's heading.
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
    expect(await focused()).toBe('Send a document');
    const sent = page.getByRole('region', { name: 'Sent by you' });
    await expect.poll(() => sent.locator('article.document').count()).toBe(1);
    expect(await sent.locator('article.document').innerText()).toContain('Not yet seen by the clinic');

    // On the chart: the patient's, unreviewed, the very bytes; in the Inbox's "to review".
    const [stored] = await app.deps.documents.list(practitioner, mayaId);
    expect(stored).toMatchObject({
      title: 'Insurance card',
      category: 'id-insurance',
      source: 'patient',
      contentType: 'image/jpeg',
      size: photo.length,
      sha256: sha256(photo),
      reviewedAt: null,
    });
    const objects = [];
    for await (const o of app.deps.files.store.list(`documents/${mayaId}/`)) objects.push(o);
    expect(objects).toHaveLength(1);
    const toReview = await app.deps.documents.listToReview(practitioner);
    expect(toReview.map((d) => d.id)).toContain(stored!.id);
    // The practitioner's Inbox, in a browser beside the phone: the photo waits under "Documents to review".
    const account = (await app.deps.staff.accounts.findActiveByEmail('p1@clinic.example'))!;
    const { token } = await app.deps.staff.accounts.startSession(systemActor, account, {
      mfaVerified: true, // the second step is staff-sign-in.test.ts's subject
      method: 'test',
    });
    await context.addCookies([{ name: 'cb_staff', value: token, url: base }]);
    const inbox = await context.newPage();
    await inbox.goto(`${base}/staff/inbox`);
    const review = inbox.getByRole('region', { name: 'Documents to review (1)' });
    await review.getByRole('link', { name: 'Insurance card' }).waitFor();
    expect(await review.textContent()).toContain('Maya Lind');
    await inbox.close();

    await app.deps.documents.markReviewed(practitioner, stored!.id);
    await page.reload();
    await expect.poll(() => sent.getByText('Seen by the clinic').count()).toBe(1);
    await a11y(page, 'photo sent and seen');
    await shots(page, 'documents-sent-en');
  });

  it('refuses a file that is not what its name says, in words, and a stopped upload leaves nothing', async () => {
    const { app, page, mayaId } = await signedInAsMaya(cleanups);
    await page.getByRole('link', { name: 'Documents', exact: true }).click();
    await expect.poll(() => heading(page)).toBe('Documents');
    const choose = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser'),
        page.getByRole('button', { name: 'Choose a file' }).click(),
      ]);
      expect(await chooser.element().getAttribute('capture')).toBeNull();
      await chooser.setFiles(file);
    };

    // A web page named .pdf: refused by the server (415), said in the app, the file still chosen.
    await choose({ name: 'letter.pdf', mimeType: 'application/pdf', buffer: Buffer.from(HTML) });
    expect(await page.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('letter');
    const [refused] = await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/me/documents') && r.request().method() === 'POST',
      ),
      page.getByRole('button', { name: 'Send to the clinic' }).click(),
    ]);
    expect(refused.status()).toBe(415);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.isVisible()).toBe(true);
    expect(await alert.innerText()).toMatch(/not accepted/);
    expect(await page.getByRole('button', { name: 'Send to the clinic' }).isEnabled()).toBe(true);
    await a11y(page, 'file refused');
    await shots(page, 'documents-refused-en');

    // A PDF sent over a slow line and stopped half-way: back to the form, nothing stored.
    const pdf = Buffer.concat([Buffer.from(PDF), Buffer.alloc(600_000, 0x20)]);
    await choose({ name: 'results.pdf', mimeType: 'application/pdf', buffer: pdf });
    await slowUploads(page, pdf.length / 6);
    await page.getByRole('button', { name: 'Send to the clinic' }).click();
    const bar = page.getByRole('progressbar', { name: 'Sending…' });
    await expect.poll(() => bar.evaluate((e) => (e as HTMLProgressElement).value)).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Stop sending' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Send to the clinic' }).isVisible()).toBe(true);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent?.trim()))
      .toBe('Send to the clinic');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByText('Sent. The clinic will look at it.').count()).toBe(0);
    expect(await app.deps.documents.listOwn({ type: 'patient', id: mayaId })).toEqual([]);
    // The server noticed the dropped upload and removed what it had stored of it.
    await until('the stopped upload’s object to be removed', async () => {
      for await (const _ of app.deps.files.store.list(`documents/${mayaId}/`)) return false;
      return true;
    });
  });

  it('a guardian sees what was shared about a dependant, sends one for them, and takes it back before review', async () => {
    const { app, page, clinic, mayaId } = await signedInAsMaya(cleanups);
    const practitioner = clinic.practitionerIds[0]!;
    const leo = await app.deps.patientFamily.addDependent(
      { type: 'patient', id: mayaId },
      { firstName: 'Leo', lastName: 'Lind', dateOfBirth: '2019-04-02' },
    );
    const shared = { category: 'letter', sharedWithPatient: 'true' };
    await staffUpload(app, practitioner, leo.id, Buffer.from(PDF), 'vacc.pdf', {
      ...shared,
      title: 'Vaccination record',
    });
    await staffUpload(app, practitioner, mayaId, Buffer.from(PDF), 'maya.pdf', {
      ...shared,
      title: 'Letter for Maya',
    });
    await page.reload();
    await page.getByRole('link', { name: 'Documents', exact: true }).click();
    const fromClinic = page.getByRole('region', { name: 'From the clinic' });
    await expect
      .poll(() => fromClinic.locator('article.document h3').allInnerTexts())
      .toEqual(['Letter for Maya']);

    // The family switcher shows Leo: his documents only, said as his.
    const switcher = page.getByRole('combobox', { name: 'Showing' });
    await expect.poll(() => switcher.locator('option').count()).toBe(2);
    await switcher.selectOption({ label: 'Leo Lind' });
    await expect
      .poll(() => fromClinic.locator('article.document h3').allInnerTexts())
      .toEqual(['Vaccination record']);
    expect(await page.getByText('Documents of Leo:').isVisible()).toBe(true);
    expect(await page.getByText('It goes to Leo’s file at the clinic.').isVisible()).toBe(true);
    expect(await fromClinic.getByRole('button', { name: /Delete/ }).count()).toBe(0);

    // Sent for Leo: on Leo's record, waiting in the Inbox.
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Choose a file' }).click(),
    ]);
    await chooser.setFiles({
      name: 'school form.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(PDF),
    });
    await page.getByRole('button', { name: 'Send to the clinic' }).click();
    const sent = page.getByRole('region', { name: 'Sent by you' });
    await expect.poll(() => sent.locator('article.document').count()).toBe(1);
    const staff = { type: 'staff' as const, id: practitioner };
    const [waiting] = await app.deps.documents.list(staff, leo.id, { category: 'other' });
    expect(waiting).toMatchObject({
      title: 'school form',
      source: 'patient',
      patientId: leo.id,
      reviewedAt: null,
    });
    expect((await app.deps.documents.listToReview(staff)).map((d) => d.id)).toContain(waiting!.id);

    // Delete, confirmed: gone from the app and from the Inbox, kept on the row as deleted by the patient.
    await shots(page, 'documents-dependant-sent-en');
    await sent.getByRole('button', { name: 'Delete school form' }).click();
    const confirm = page.getByRole('group', { name: 'Delete this document? The clinic will not see it.' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    await a11y(page, 'documents delete confirm');
    await shots(page, 'documents-dependant-delete-en');
    await confirm.getByRole('button', { name: 'Yes, delete it' }).click();
    await expect.poll(() => sent.locator('article.document').count()).toBe(0);
    expect(await page.getByText('Deleted. The clinic will not see it.').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Sent by you');
    expect((await app.deps.documents.listToReview(staff)).map((d) => d.id)).not.toContain(waiting!.id);
    const row = (await app.deps.db.reader.db.select().from(app.deps.db.reader.t.documents)).find(
      (d) => d.id === waiting!.id,
    );
    expect(row?.deletedAt).not.toBeNull();
    expect(row?.deleteReason).toBe('deleted by patient');
    await a11y(page, 'documents deleted');
    await shots(page, 'documents-dependant-deleted-en');

    // Back to Maya: her own documents again.
    await switcher.selectOption({ index: 0 });
    await expect
      .poll(() => fromClinic.locator('article.document h3').allInnerTexts())
      .toEqual(['Letter for Maya']);
  }, 60_000);
});

/** A staff member (by account id) puts a file on the patient's chart through the documents service. */
function staffUpload(
  app: App,
  staffId: string,
  patientId: string,
  bytes: Buffer,
  fileName: string,
  fields: Record<string, string>,
) {
  return app.deps.documents.upload({ type: 'staff', id: staffId }, patientId, {
    file: Readable.from([bytes]),
    fileName,
    fields,
  });
}

/** A photo as a phone's camera makes one: a JPEG of a few MB (a card on grainy noise, drawn in the page). */
async function cameraPhoto(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 1600;
    canvas.height = 1200;
    const g = canvas.getContext('2d')!;
    const pixels = g.createImageData(canvas.width, canvas.height);
    let x = 2041;
    for (let i = 0; i < pixels.data.length; i += 4) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      pixels.data[i] = 120 + (x >>> 26);
      pixels.data[i + 1] = 140 + ((x >>> 20) & 63);
      pixels.data[i + 2] = 170 + ((x >>> 14) & 63);
      pixels.data[i + 3] = 255;
    }
    g.putImageData(pixels, 0, 0);
    g.fillStyle = '#f4f1e8';
    g.fillRect(300, 300, 1000, 600);
    g.fillStyle = '#123';
    g.font = 'bold 80px sans-serif';
    g.fillText('INSURANCE CARD', 360, 440);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg', 0.92));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary);
  });
  return Buffer.from(base64, 'base64');
}

/** The smallest PDF a sniffer takes for one. */
const PDF =
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';
/** A web page, which must never be taken for a PDF because of its name. */
const HTML = '<!doctype html><html><body><script>alert(1)</script>Letter</body></html>\n';
