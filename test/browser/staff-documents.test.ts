import { Readable } from 'node:stream';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../src/domain/audit/index.ts';
import { readablePdf, samplePng } from '../../src/testing/documents.ts';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { seriousA11yViolations } from './a11y.ts';
import { pageShots, skipBrowserTests } from './chromium.ts';
import { pdfViewerState } from './pdf-preview.ts';
import { practitionerAtChart, signedInStaffPage } from './signed-in-page.ts';

/**
 * Issue 16, documents on the chart, in Chromium: a practitioner drops one file and picks another,
 * sees each one's progress bar fill as it is sent (the upload throttled, so the bar has steps),
 * previews the PDF in its frame (drawn by Chromium's viewer under the sandboxing CSP) and the
 * image, renames and re-categorises one, shares it, and deletes it with a reason; the front desk
 * sees only the non-clinical one; a patient's upload waits in the Inbox until it is marked reviewed. Desktop and phone sizes, axe-core on each screen.
 */
describe.skipIf(skipBrowserTests)('documents on the patient’s chart', () => {
  const cleanups = cleanupsAfterAll();

  it('uploads with progress, previews, renames, shares and deletes; the Inbox lists a patient’s upload', async () => {
    const { app, base, patientId, chart, browser, page, errors } = await practitionerAtChart(
      cleanups,
      'staff-documents',
      { viewport: { width: 1366, height: 768 } },
    );
    await page.goto(chart);
    const section = page.getByRole('region', { name: 'Documents' });
    await section.getByText('No document is on file yet.').waitFor();

    // A 3 MB referral letter from the picker, a scan of a lab result dropped on the form.
    await section.getByLabel(/Drop files here/).setInputFiles({
      name: 'Referral to Dr Smith.pdf',
      mimeType: 'application/pdf',
      // Padded to 3 MB after its end, so the upload takes a while at 1 MB/s.
      buffer: Buffer.concat([await readablePdf('Referral to Dr Smith'), Buffer.alloc(3 * 1024 * 1024, 0x20)]),
    });
    await dropFile(page, 'form[data-documents-upload] [data-dropzone]', 'blood test.png', samplePng());
    const queue = section.getByRole('list', { name: 'Files to add' });
    await expect.poll(() => queue.getByRole('listitem').count()).toBe(2);
    expect(await queue.getByLabel('Title').first().inputValue()).toBe('Referral to Dr Smith');
    await section.getByLabel('Category', { exact: true }).first().selectOption({ label: 'Lab result' });
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Sent at 1 MB/s: the first bar moves through several values before it is full.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 1024 * 1024,
    });
    await section.getByRole('button', { name: 'Add documents' }).click();
    // The first bar's values as the browser reports the upload's progress.
    const seen = new Set<number>();
    await expect
      .poll(
        async () => {
          seen.add(await barValue(page, 0));
          return [...seen].some((v) => v > 0 && v < 100);
        },
        { timeout: 20_000, interval: 50 },
      )
      .toBe(true);
    expect(await queue.getByRole('progressbar', { name: 'Sending Referral to Dr Smith.pdf' }).count()).toBe(
      1,
    );
    await shot(page, 'upload-progress-desktop');
    await section.getByText('2 documents added.').waitFor({ timeout: 30_000 });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    const list = section.getByRole('list', { name: 'Documents, newest first' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
    expect(await queue.isHidden()).toBe(true);
    const stored = await app.deps.documents.list(systemActor, patientId, {});
    expect(stored.map((d) => [d.title, d.category, d.contentType, d.source]).sort()).toEqual([
      ['Referral to Dr Smith', 'lab-result', 'application/pdf', 'staff'],
      ['blood test', 'lab-result', 'image/png', 'staff'],
    ]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'chart-documents-desktop');

    // Filters: by category (htmx replaces the list).
    await section.getByLabel('Category', { exact: true }).last().selectOption({ label: 'Referral' });
    await section.getByRole('button', { name: 'Filter' }).click();
    await section.getByText('No document matches these filters.').waitFor();
    await section.getByRole('link', { name: 'Show all' }).click();
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);

    // The PDF's page: previewed in a frame, served inline under its own locked-down policy.
    await list.getByRole('link', { name: 'Preview Referral to Dr Smith' }).click();
    await page.getByRole('heading', { name: 'Referral to Dr Smith', level: 1 }).waitFor();
    const frame = page.locator('iframe[title="Preview of Referral to Dr Smith"]');
    const src = await frame.getAttribute('src');
    const served = await page.evaluate(async (url) => {
      const r = await fetch(url!);
      return {
        status: r.status,
        type: r.headers.get('content-type'),
        disposition: r.headers.get('content-disposition'),
        csp: r.headers.get('content-security-policy'),
      };
    }, src);
    expect(served.status).toBe(200);
    expect(served.type).toBe('application/pdf');
    expect(served.disposition).toMatch(/^inline/);
    expect(served.csp).toMatch(/sandbox/);
    await expect.poll(() => page.frames().some((f) => f.url().endsWith(src!))).toBe(true);
    // Drawn by Chromium's viewer under that policy: its one page open, not its "failed to load".
    await expect.poll(() => pdfViewerState(page), { timeout: 10_000 }).toEqual({ pages: 1, failed: false });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'document-pdf-desktop');

    // Rename and re-categorise; share it with the patient.
    await page.getByLabel('Title').fill('Referral letter, knee');
    await page.getByLabel('Category').selectOption({ label: 'Referral' });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('The changes are saved.').waitFor();
    await page.getByRole('heading', { name: 'Referral letter, knee', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Share with the patient' }).click();
    await page.getByText('The patient can now see it in the app').waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'document-pdf-phone');
    await page.setViewportSize({ width: 1366, height: 768 });

    // The image's page: shown in an <img> that loaded.
    await page.goto(chart);
    await page.getByRole('link', { name: 'Preview blood test' }).click();
    const image = page.getByRole('img', { name: 'Preview of blood test' });
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(1);

    // Delete with a reason: too short is refused beside the field, then it goes.
    await page.getByLabel('Why it is deleted').fill('no');
    await page.getByRole('button', { name: 'Delete the document' }).click();
    await page.locator('#delete-reason-error').waitFor();
    await page.getByLabel('Why it is deleted').fill('Scanned the wrong patient’s result');
    await page.getByRole('button', { name: 'Delete the document' }).click();
    await page.getByText('The document was deleted').waitFor();
    await expect
      .poll(() => page.getByRole('list', { name: 'Documents, newest first' }).getByRole('listitem').count())
      .toBe(1);

    // The front desk: no clinical category to upload into or read.
    const desk = await signedInStaffPage(browser, app, base, 'bo@clinic.example', {
      viewport: { width: 1366, height: 768 },
    });
    await desk.goto(chart);
    const deskSection = desk.getByRole('region', { name: 'Documents' });
    await deskSection.getByText('No document is on file yet.').waitFor();
    const options = await deskSection.locator('#upload-category option').allInnerTexts();
    expect(options).toEqual(['Choose…', 'ID / insurance', 'Other']);

    // A patient's photo from the app waits in the Inbox until someone marks it reviewed.
    await app.deps.documents.uploadOwn(
      { type: 'patient', id: patientId },
      {
        file: Readable.from([samplePng()]),
        fileName: 'insurance card.png',
        fields: { title: 'Insurance card' },
      },
    );
    await page.goto(`${base}/staff/inbox`);
    const review = page.getByRole('region', { name: 'Documents to review (1)' });
    await review.getByRole('link', { name: 'Insurance card' }).waitFor();
    await checkAtBothSizes(page, 'inbox-documents');
    await page.goto(chart);
    await page.getByRole('region', { name: 'Documents' }).getByText('To review').waitFor();
    await checkAtBothSizes(page, 'chart-documents-to-review');
    await page.goto(`${base}/staff/inbox`);
    await page.getByRole('button', { name: 'Mark reviewed Insurance card' }).click();
    await page.getByRole('heading', { name: 'Documents to review (0)' }).waitFor();
    expect(errors).toEqual([]);
  }, 180_000);
});

const { shot, checkAtBothSizes } = pageShots('staff-documents-');

/** The value of the queue's n-th progress bar (a property the attribute does not follow). */
const barValue = (page: Page, n: number) =>
  page.evaluate(
    (i) => document.querySelectorAll<HTMLProgressElement>('[data-queue] progress')[i]?.value ?? 0,
    n,
  );

/** Drops a file on `selector` as a browser does: dragenter, dragover, drop with a DataTransfer. */
async function dropFile(page: Page, selector: string, name: string, bytes: Buffer) {
  const transfer = await page.evaluateHandle(
    ({ name, data }) => {
      const dt = new DataTransfer();
      dt.items.add(
        new File([Uint8Array.from(atob(data), (ch) => ch.charCodeAt(0))], name, { type: 'image/png' }),
      );
      return dt;
    },
    { name, data: bytes.toString('base64') },
  );
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent(selector, type, { dataTransfer: transfer });
  }
}
