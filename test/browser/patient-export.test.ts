import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach } from '../../src/testing/lifecycle.ts';
import { seriousA11yViolations } from './a11y.ts';
import { screenshotDir, skipBrowserTests } from './chromium.ts';
import { profileSection, signedInAsMaya } from './patient-app-world.ts';

/**
 * "Download my data" on the patient app's profile (issue 18 §5), in Debian Chromium at a phone's
 * size: Maya asks, the screen waits while the clinic builds the zip, then offers it; the zip
 * downloads with her record in it.
 */
describe.skipIf(skipBrowserTests)('the patient app’s “Download my data”', () => {
  const cleanups = cleanupsAfterEach();

  it('asks for the export, waits for it, and downloads the zip', async () => {
    const { page, mayaId } = await signedInAsMaya(cleanups);
    const section = await profileSection(page, 'my-data');
    await section.getByRole('button', { name: 'Download my data' }).click();
    const link = section.getByRole('link', { name: 'Download (zip)' });
    await expect.poll(() => link.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await seriousA11yViolations(page), 'profile, download my data').toEqual([]);
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotDir, 'patient-app-export.png') });

    // Back on the profile later, the link is still there (read from /api/v1/me/exports).
    await page.getByRole('link', { name: 'Home', exact: true }).click();
    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    await expect.poll(() => link.isVisible()).toBe(true);

    const href = (await link.getAttribute('href'))!;
    const zip = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, bytes: [...new Uint8Array(await res.arrayBuffer())] };
    }, href);
    expect(zip.status).toBe(200);
    const files = unzipSync(new Uint8Array(zip.bytes));
    const bundle = JSON.parse(new TextDecoder().decode(files['record.json'])) as {
      entry: { resource: { resourceType: string; id: string } }[];
    };
    expect(bundle.entry[0]!.resource).toMatchObject({ resourceType: 'Patient', id: mayaId });
    expect(new TextDecoder().decode(files['summary.html'])).toContain('Maya Lind');
  });
});
