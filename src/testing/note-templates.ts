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
