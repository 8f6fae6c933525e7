import { describe, expect, it } from 'vitest';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { signedInAs } from '../../src/testing/signed-in.ts';
import { sleep } from '../../src/testing/wait.ts';
import { seriousA11yViolations } from './a11y.ts';
import { pageShots, skipBrowserTests } from './chromium.ts';
import { practitionerAtChart } from './signed-in-page.ts';

/**
 * Issue 17, treatment notes on the chart, in Chromium: a practitioner starts a SOAP note from the
 * chart's Notes section, types (each change saved with its version), a second tab on the same note
 * is refused with a message and changes nothing, signs after a confirmation; the signed note reads
 * as text with its fingerprint and takes an addendum. The front desk sees only "1 note". Desktop
 * and phone sizes, axe-core on each screen.
 */
describe.skipIf(skipBrowserTests)('treatment notes on the patient’s chart', () => {
  const cleanups = cleanupsAfterAll();

  it('writes, autosaves, refuses a stale tab, signs and adds an addendum; the front desk sees a count', async () => {
    const { app, patientId, chart, page, errors } = await practitionerAtChart(cleanups, 'staff-notes');

    await page.goto(chart);
    await page.getByRole('link', { name: 'Treatment notes' }).click();
    await page.getByRole('heading', { name: '0 notes' }).waitFor();
    await page.getByLabel('Template').selectOption({ label: 'SOAP note' });
    await page.getByRole('button', { name: 'Start the note' }).click();
    await page.getByLabel(/^Subjective/).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Each change is saved at once; the status line says so and holds the next version.
    await page.getByLabel(/^Subjective/).fill('Knee pain on stairs for 3 weeks.');
    await page.getByLabel(/^Assessment/).click(); // leaving the field is a change
    await page.getByText(/^Saved at/).waitFor();
    expect(await page.locator('#note-status input[name=version]').inputValue()).toBe('2');
    // Typing on through a slow connection: each save takes 400 ms, so changes come while one is in
    // flight. None is dropped and none is refused as "changed elsewhere" (it is this tab's own save).
    const version = () => page.locator('#note-status input[name=version]').inputValue();
    const noteId = page.url().split('/').pop()!;
    const answers = async () =>
      JSON.stringify(
        await page.evaluate(
          async (id) => (await (await fetch(`/api/v1/notes/${id}`)).json()).note.answers,
          noteId,
        ),
      );
    await page.route('**/save', async (route) => {
      await sleep(400);
      await route.continue();
    });
    await page.getByLabel(/^Weight/).fill('80');
    await page.getByLabel(/^Height/).fill('180');
    await page.getByLabel(/^Assessment/).fill('Patellofemoral pain.');
    await page.getByLabel(/^Plan/).fill('Quadriceps strengthening, review in 2 weeks.');
    await page.getByLabel(/^Objective/).click();
    await expect.poll(answers, { timeout: 15_000 }).toContain('review in 2 weeks');
    await page.unroute('**/save');
    expect(await answers()).toContain('Patellofemoral pain.');
    expect(await answers()).toContain('180');
    expect(await page.getByText(/Not saved/).count()).toBe(0);
    // The status line holds the version the server has now (the waiting save's answer swapped in).
    const stored = async () =>
      page.evaluate(async (id) => (await (await fetch(`/api/v1/notes/${id}`)).json()).note.version, noteId);
    await expect.poll(async () => Number(await version()) === (await stored())).toBe(true);
    await desktopThenPhone(page, 'draft');
    await page.setViewportSize({ width: 1280, height: 800 });

    // A second tab opened before the first saved again: its save is refused, nothing changes.
    const noteUrl = page.url();
    const other = await page.context().newPage();
    await other.goto(noteUrl);
    const before = Number(await version());
    await page.getByLabel(/^Objective/).fill('Pain on squat.');
    await page.getByLabel(/^Subjective/).click();
    await expect.poll(async () => Number(await version())).toBe(before + 1);
    await other.getByLabel(/^Objective/).fill('Overwritten?');
    await other.getByLabel(/^Subjective/).click();
    await other.getByText(/Not saved: .*saved elsewhere/).waitFor();
    await shot(other, 'conflict-desktop');
    await other.close();
    await page.reload();
    expect(await page.getByLabel(/^Objective/).inputValue()).toBe('Pain on squat.');

    // Sign after a confirmation: read-only, with its fingerprint; an addendum is signed too.
    await page.getByRole('button', { name: 'Sign…' }).click();
    await page.getByRole('heading', { name: 'Sign this note?' }).waitFor();
    await page.getByRole('button', { name: 'Sign the note' }).click();
    await page.getByText('The note is signed.').waitFor();
    expect(await page.getByLabel(/^Subjective/).count()).toBe(0);
    await page.getByText('BMI 24.7').waitFor();
    await page.getByRole('textbox', { name: 'Addendum' }).fill('Also mild swelling noted.');
    await page.getByRole('button', { name: 'Add and sign the addendum' }).click();
    await page.getByText('The addendum is added and signed.').waitFor();
    await page.getByText('Also mild swelling noted.').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await desktopThenPhone(page, 'signed');
    await page.goto(`${chart}/notes`);
    await page.getByRole('cell', { name: 'SOAP note' }).waitFor();
    await shot(page, 'list-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot(page, 'list-desktop');
    expect(errors).toEqual([]);

    // The front desk: the count, never a note.
    const desk = await signedInAs(app, 'bo@clinic.example');
    const listed = await desk.text(await desk.get(`/staff/patients/${patientId}/notes`));
    expect(listed).toContain('1 note');
    expect(listed).not.toContain('SOAP note');
    expect(listed).not.toContain('Knee pain');
  }, 120_000);
});

const { shot, desktopThenPhone } = pageShots('staff-notes-');
