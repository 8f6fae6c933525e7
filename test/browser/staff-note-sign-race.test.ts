import { describe, expect, it } from 'vitest';
import { cleanupsAfterAll } from '../../src/testing/lifecycle.ts';
import { sleep } from '../../src/testing/wait.ts';
import { skipBrowserTests } from './chromium.ts';
import { practitionerAtChart } from './signed-in-page.ts';

/**
 * "Sign…" clicked straight after typing, on a slow connection: leaving the field starts an
 * autosave, and the click must wait for it rather than post the version it replaces (which the
 * server refuses as "changed elsewhere", losing the click). The note reaches the confirmation with
 * everything typed saved.
 */
describe.skipIf(skipBrowserTests)('signing while a save is on its way', () => {
  const cleanups = cleanupsAfterAll();

  it('waits for the save, then asks to sign with all that was typed', async () => {
    const { chart, page, errors } = await practitionerAtChart(cleanups, 'note-sign-race');
    page.setDefaultTimeout(10_000);
    await page.goto(`${chart}/notes`);
    await page.getByLabel('Template').selectOption({ label: 'SOAP note' });
    await page.getByRole('button', { name: 'Start the note' }).click();
    await page.getByLabel(/^Subjective/).waitFor();
    const noteId = page.url().split('/').pop()!;

    // The save reaches the server at once; its answer takes 600 ms to come back.
    await page.route('**/save', async (route) => {
      const response = await route.fetch();
      await sleep(600);
      await route.fulfill({ response });
    });
    await page.getByLabel(/^Subjective/).fill('Knee pain on stairs.');
    await page.getByLabel(/^Assessment/).fill('Patellofemoral pain.');
    await page.getByLabel(/^Plan/).fill('Exercises; review in two weeks.');
    await page.getByRole('button', { name: 'Sign…' }).click(); // the Plan's change saves on the way
    await page.getByText('Sign this note?').waitFor();
    expect(await page.getByText(/changed elsewhere|Not saved/).count()).toBe(0);
    const answers = await page.evaluate(
      async (id) => (await (await fetch(`/api/v1/notes/${id}`)).json()).note.answers,
      noteId,
    );
    expect(answers).toMatchObject({
      subjective: 'Knee pain on stairs.',
      assessment: 'Patellofemoral pain.',
      plan: 'Exercises; review in two weeks.',
    });
    expect(errors).toEqual([]);
  });
});
