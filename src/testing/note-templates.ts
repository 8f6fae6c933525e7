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
