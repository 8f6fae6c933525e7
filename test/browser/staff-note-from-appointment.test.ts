import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { panelWorld } from './calendar-panel-world.ts';
import { launchChromium, pageErrors, screenshotDir, skipBrowserTests } from './chromium.ts';
import { signedInStaffPage } from './signed-in-page.ts';

/**
 * A note written from the calendar in Chromium (issue 17, section 3): the appointment's panel has
 * "Write note", which opens a new note's form with the appointment and the service's template
 * chosen; the draft shows the patient's last signed note beside it (open on a desktop, folded on a
 * phone) and "Copy forward" fills its empty fields; the panel then says "Open note". Screenshots
 * at 1280x800 and 390x844, and nothing wider than the phone's screen.
 */
describe.skipIf(skipBrowserTests)(
  'a note from the appointment, beside the previous one, in a real browser',
  () => {
    const cleanups = cleanupsAfterAll();

    it('writes the note from the panel and copies the previous note forward, at both sizes', async () => {
      const world = await panelWorld({ patients: 2 });
      cleanups.push(() => world.stop());
      const { app, clinic } = world;
      const doctor = { type: 'staff' as const, id: clinic.practitionerIds[0]! };
      const soap = (await app.deps.templates.list(doctor)).find((t) => t.name === 'SOAP note')!;
      const service = await app.deps.services.get(clinic.serviceId);
      await app.deps.services.update({ type: 'staff', id: clinic.adminId }, service.id, {
        ...service,
        defaultNoteTemplateId: soap.id,
      });
      // Each patient was seen before: a signed SOAP note.
      for (const patientId of clinic.patientIds) {
        const note = await app.deps.notes.create(doctor, patientId, {
          templateId: soap.id,
          answers: {
            subjective: 'Right knee pain when climbing stairs',
            objective: 'Mild effusion, full range of motion',
            assessment: 'Patellofemoral pain',
            plan: 'Quadriceps strengthening, review in two weeks',
          },
        });
        await app.deps.notes.sign(doctor, note.id, {});
      }
      await world.book({ practitioner: 1, patient: 1, time: '14:00' });
      await world.book({ practitioner: 1, patient: 2, time: '15:00' });

      const browser = await launchChromium(cleanups);
      for (const [name, viewport, patient, time] of [
        ['desktop', { width: 1280, height: 800 }, 'Pat1 Ient1', '14:00'],
        ['phone', { width: 390, height: 844 }, 'Pat2 Ient2', '15:00'],
      ] as const) {
        const page = await signedInStaffPage(browser, app, world.base, 'p1@clinic.example', { viewport });
        const errors = pageErrors(page);
        await page.goto(`${world.base}/staff/calendar?view=day&date=${world.today}`);
        await page
          .locator('table.calendar')
          .getByRole('link', { name: new RegExp(`${time} ${patient}`) })
          .click();
        await page.getByRole('link', { name: `Write note: ${patient}` }).click();

        // The form has the service's template and the appointment chosen.
        const form = page.getByRole('form', { name: 'New note' });
        expect(await form.getByLabel('Template').inputValue()).toBe(soap.id);
        expect(await form.getByLabel('Appointment').locator('option:checked').textContent()).toContain(time);
        await form.getByRole('button', { name: 'Start the note' }).click();

        // The previous note beside the draft: open on a desktop, folded on a phone until tapped.
        const previous = page.locator('details.previous-note');
        await previous.waitFor();
        const open = await previous.evaluate((d) => (d as HTMLDetailsElement).open);
        expect(open).toBe(name === 'desktop');
        if (!open) await previous.locator('summary').click();
        await previous.getByText('Mild effusion, full range of motion').waitFor();

        await page.getByLabel('Subjective').fill('Knee better, stairs easier');
        await page.getByLabel('Subjective').press('Tab');
        await page.getByText(/^Saved at /).waitFor();
        await page.getByRole('button', { name: 'Copy forward' }).click();
        await page.getByText(/^Copied forward/).waitFor();
        // The typed answer stays; the empty ones hold the previous note's.
        expect(await page.getByLabel('Subjective').inputValue()).toBe('Knee better, stairs easier');
        expect(await page.getByLabel('Objective').inputValue()).toBe('Mild effusion, full range of motion');
        expect(await page.getByLabel('Assessment').inputValue()).toBe('Patellofemoral pain');

        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(wide).toBeLessThanOrEqual(viewport.width);
        await page.screenshot({ path: join(screenshotDir, `note-copy-forward-${name}.png`), fullPage: true });

        // Back on the calendar, the panel now opens that note.
        const noteUrl = page.url().replace(/\?.*$/, '');
        await page.goto(`${world.base}/staff/calendar?view=day&date=${world.today}`);
        await page
          .locator('table.calendar')
          .getByRole('link', { name: new RegExp(`${time} ${patient}`) })
          .click();
        const openNote = page.getByRole('link', { name: `Open note: ${patient}` });
        await openNote.waitFor();
        expect(new URL((await openNote.getAttribute('href'))!, world.base).href).toBe(noteUrl);
        await openNote.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(screenshotDir, `note-panel-open-${name}.png`) });
        expect(errors).toEqual([]);
      }
    }, 90_000);
  },
);
