import { expect } from 'vitest';
import type { TestBrowser } from './browser.ts';

/** The shipped SOAP note and Follow-up templates, as GET /api/v1/templates lists them to `staff`. */
export async function starterTemplates<T extends { name: string }>(
  staff: TestBrowser,
): Promise<{ soap: T; followUp: T }> {
  const { templates } = (await (await staff.get('/api/v1/templates')).json()) as { templates: T[] };
  const named = (name: string): T => {
    const template = templates.find((t) => t.name === name);
    if (!template) throw new Error(`no "${name}" template among the starters`);
    return template;
  };
  return { soap: named('SOAP note'), followUp: named('Follow-up') };
}

/*
 * Notes written and signed through the JSON API by a staff member's browser: each call checks the
 * answer's status and gives the note, typed as the test reads it (`N`: the fields it looks at).
 */

async function noteFrom<N>(res: Response, status: number): Promise<N> {
  expect(res.status).toBe(status);
  return ((await res.json()) as { note: N }).note;
}

/** A new note on `patientId`'s chart (`body`: its template, answers, appointment), by `staff`. */
export const writeNote = async <N = { id: string; version: number }>(
  staff: TestBrowser,
  patientId: string,
  body: Record<string, unknown>,
) => noteFrom<N>(await staff.json('POST', `/api/v1/patients/${patientId}/notes`, body), 201);

/** The note `id`, signed by `staff` (`body`: the version it was read at, when the test names one). */
export const signNote = async <N = { id: string; version: number }>(
  staff: TestBrowser,
  id: string,
  body: Record<string, unknown> = {},
) => noteFrom<N>(await staff.json('POST', `/api/v1/notes/${id}/sign`, body), 200);

/*
 * Notes started and signed through the staff pages' forms (the htmx-free posts a browser sends).
 */

/** A SOAP note `staff` starts from `patientId`'s notes list (a redirect): the new note's page. */
export async function startNoteFromList(staff: TestBrowser, patientId: string): Promise<string> {
  const list = await staff.text(await staff.get(`/staff/patients/${patientId}/notes`));
  const soapId = /<option value="([^"]+)"[^>]*>SOAP note<\/option>/.exec(list)![1]!;
  const started = await staff.post(`/staff/patients/${patientId}/notes`, { templateId: soapId });
  expect(started.status).toBe(303);
  return started.headers.get('location')!;
}

/**
 * Signs the note at `page` as its form does: "Sign…" with `fields` at `version` saves them and
 * asks (200), "yes" at the next version signs (a redirect). The confirmation page's HTML.
 */
export async function signNoteOnPage(
  staff: TestBrowser,
  page: string,
  version: number,
  fields: Record<string, string>,
): Promise<string> {
  const ask = await staff.post(`${page}/sign`, { version: String(version), ...fields });
  expect(ask.status).toBe(200);
  const confirm = await staff.text(ask);
  const signed = await staff.post(`${page}/sign`, { version: String(version + 1), confirm: 'yes' });
  expect(signed.status).toBe(303);
  return confirm;
}
