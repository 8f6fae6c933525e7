import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { App } from '../../src/app.ts';
import { systemActor } from '../../src/domain/audit/index.ts';
import { type ClinicFixture, savePractitionerProfile } from '../../src/testing/factories.ts';
import { screenshotDir } from './chromium.ts';

/**
 * What the patient app's daily-use tests (issue 15, items 18-20) share beyond patient-app-world:
 * changing the seeded service and hours, reading a summary's rows, axe, and screenshots at a
 * phone's and a desktop's size.
 */

/** The seeded service with `changes` (askReason, requiresApproval…), as an admin saves it. */
export async function changeService(app: App, serviceId: string, changes: Record<string, unknown>) {
  const service = await app.deps.services.get(serviceId);
  await app.deps.services.update(systemActor, serviceId, { ...service, ...changes });
}

/** Each practitioner's weekday hours (in order), as an admin saves them. */
export async function setWeekdayHours(app: App, clinic: ClinicFixture, hours: string[]) {
  for (const [i, id] of clinic.practitionerIds.entries()) {
    await savePractitionerProfile(app, id, `Dr P${i + 1}`, [clinic.serviceId], hours[i] ?? '');
  }
}

/** The clinic's street address, as the settings page saves it. */
export async function setClinicAddress(app: App, address: string) {
  await app.deps.clinic.update(systemActor, { ...(await app.deps.clinic.get()), address });
}

/** A `<dl class="summary">`'s rows as [term, description] pairs, in order. */
export function summaryRows(page: Page, within = 'main'): Promise<[string, string][]> {
  return page
    .locator(`${within} dl.summary`)
    .first()
    .evaluate((dl) => {
      const rows: [string, string][] = [];
      for (const dt of dl.querySelectorAll('dt')) {
        const dd = dt.nextElementSibling;
        rows.push([dt.textContent?.trim() ?? '', dd?.textContent?.trim() ?? '']);
      }
      return rows;
    });
}

export { a11y } from './a11y.ts';

/** Screenshots at phone (390x844) and desktop (1280x800) size; the page is left at phone size. */
export async function shots(page: Page, name: string) {
  for (const [size, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: join(screenshotDir, `patient-daily-${name}-${size}.png`), fullPage: true });
  }
}
