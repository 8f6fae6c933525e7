import type { FieldIssue } from '../../lib/errors.ts';
import { type Channel, healthVariables, type MessageDefinition, type MessageTemplate } from './messages.ts';

/**
 * Templates are plain text with `{{variable}}` placeholders. Rendering fills them in; the HTML
 * part of an email escapes everything (the clinic's wording and the values alike) and only then
 * turns line breaks and links into markup, so no value can inject HTML.
 */
const placeholder = /\{\{\s*([a-zA-Z][a-zA-Z0-9]*)\s*\}\}/g;

export const variablesIn = (text: string): string[] => [...text.matchAll(placeholder)].map((m) => m[1]!);

/**
 * The variables a template of `kind` may use on `channel`: all of them in an email (the health
 * ones in its text only), none of the health ones in an SMS or a push notification.
 */
export const variablesFor = (kind: Pick<MessageDefinition, 'variables'>, channel: Channel): string[] =>
  kind.variables.filter((v) => channel === 'email' || !healthVariables.includes(v));

/** Field issues for a template of `kind`: unknown variables, and health details where they may not go. */
export function templateIssues(
  kind: Pick<MessageDefinition, 'variables'>,
  channel: Channel,
  template: MessageTemplate,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const known = variablesFor(kind, channel)
    .map((v) => `{{${v}}}`)
    .join(', ');
  const check = (field: 'subject' | 'body', text: string) => {
    for (const name of new Set(variablesIn(text))) {
      if (!kind.variables.includes(name)) {
        issues.push({ path: field, message: `Unknown variable {{${name}}}. You can use: ${known}.` });
      } else if (healthVariables.includes(name) && (channel !== 'email' || field === 'subject')) {
        issues.push({
          path: field,
          message: `{{${name}}} may appear only in an email’s text: ${channel === 'email' ? 'subjects' : `${channel === 'sms' ? 'SMS' : 'push notifications'}`} must not carry health details.`,
        });
      }
    }
    const stray = text.replace(placeholder, '').match(/\{\{[^}]*\}?\}?/);
    if (stray) issues.push({ path: field, message: `"${stray[0]}" is not a variable; write {{name}}.` });
  };
  if (!template.body.trim()) issues.push({ path: 'body', message: 'Enter the text of the message.' });
  if (template.body.length > 4000) issues.push({ path: 'body', message: 'At most 4,000 characters.' });
  check('body', template.body);
  if (channel === 'email' || channel === 'push') {
    if (!template.subject?.trim()) {
      issues.push({ path: 'subject', message: channel === 'email' ? 'Enter a subject.' : 'Enter a title.' });
    }
    if ((template.subject?.length ?? 0) > 200)
      issues.push({ path: 'subject', message: 'At most 200 characters.' });
    check('subject', template.subject ?? '');
  }
  return issues;
}

/** Fills each line in; a line naming a variable that is empty (no clinic phone) is left out. */
const fill = (text: string, vars: Record<string, string | undefined>, encode: (s: string) => string) =>
  text
    .split('\n')
    .filter((line) => variablesIn(line).every((name) => (vars[name] ?? '') !== ''))
    .map((line) => {
      let out = '';
      let last = 0;
      for (const m of line.matchAll(placeholder)) {
        out += encode(line.slice(last, m.index));
        out += encode(vars[m[1]!] ?? '');
        last = m.index! + m[0].length;
      }
      return out + encode(line.slice(last));
    })
    .join('\n');

const asIs = (s: string) => s;
export const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

/** Lines left empty by an empty value are dropped (one blank line stays between paragraphs). */
const tidy = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n')
    .trim();

/** Text with the values filled in. */
export const renderText = (text: string, vars: Record<string, string | undefined>): string =>
  tidy(fill(text, vars, asIs));

/** The email's HTML part: everything escaped, then line breaks and http(s) links made markup. */
export function renderHtml(text: string, vars: Record<string, string | undefined>): string {
  const escaped = tidy(fill(text, vars, escapeHtml));
  const linked = escaped.replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
  return `<!doctype html><html><body><p>${linked
    .split(/\n{2,}/)
    .map((p) => p.replaceAll('\n', '<br>'))
    .join('</p><p>')}</p></body></html>`;
}
