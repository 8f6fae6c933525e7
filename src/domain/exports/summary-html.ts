import { DateTime } from 'luxon';
import { answerText } from '../chart/index.ts';
import { type ExportRecord, noteSections } from './fhir.ts';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * `summary.html`: the same record for a person to read (one page, no scripts, no outside links):
 * the details, appointments, documents (linked to the files beside it), forms and notes.
 */
export function summaryHtml(
  record: ExportRecord,
  context: { clinicName: string; timeZone: string; now: Date; leftOut: string | null },
): string {
  const local = (at: Date | string) =>
    DateTime.fromJSDate(typeof at === 'string' ? new Date(at) : at, { zone: context.timeZone }).toFormat(
      'yyyy-MM-dd HH:mm',
    );
  const p = record.patient;
  const row = (label: string, value: string | null | undefined) =>
    value ? `<tr><th scope="row">${esc(label)}</th><td>${esc(value)}</td></tr>` : '';
  const parts: string[] = [];
  parts.push(`<h1>${esc(`${p.firstName} ${p.lastName}`)}</h1>`);
  parts.push(
    `<p>Record held by ${esc(context.clinicName)}, exported ${esc(local(context.now))} (${esc(context.timeZone)}).` +
      ' The same record, machine-readable, is in record.json (FHIR R4).</p>',
  );
  if (context.leftOut) parts.push(`<p><strong>${esc(context.leftOut)}</strong></p>`);
  parts.push(
    `<h2>Details</h2><table>${row('Date of birth', p.dateOfBirth)}${row('Sex', p.sex)}${row('Email', p.email)}${row('Phone', p.phone)}${row('Address', p.address)}${row('Emergency contact', [p.emergencyName, p.emergencyRelation, p.emergencyPhone].filter(Boolean).join(', '))}${row('Language', p.preferredLanguage)}</table>`,
  );
  parts.push(`<h2>Appointments (${record.appointments.length})</h2>`);
  if (record.appointments.length)
    parts.push(
      `<table><thead><tr><th>When</th><th>Service</th><th>Status</th><th>Reason</th></tr></thead><tbody>${record.appointments
        .map(
          (a) =>
            `<tr><td>${esc(local(a.start))}</td><td>${esc(a.service)}${a.practitioner ? `, ${esc(a.practitioner)}` : ''}</td><td>${esc(a.status.replace('_', ' '))}</td><td>${esc(a.reason ?? '')}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  parts.push(`<h2>Documents (${record.documents.length})</h2>`);
  if (record.documents.length)
    parts.push(
      `<ul>${record.documents
        .map(
          (d) =>
            `<li><a href="${esc(encodeURI(d.path))}">${esc(d.title)}</a> (${esc(d.category)}, ${esc(d.documentDate)})</li>`,
        )
        .join('')}</ul>`,
    );
  parts.push(`<h2>Forms (${record.forms.length})</h2>`);
  for (const f of record.forms) {
    parts.push(
      `<h3>${esc(f.name)}</h3><p>${esc(f.status.replace('_', ' '))}${f.submittedAt ? `, sent back ${esc(local(f.submittedAt))}` : ''}</p>`,
    );
    const lines = f.fields.flatMap((field) => {
      if (field.type === 'heading') return [`<dt class="heading">${esc(field.label)}</dt>`];
      const v = f.answers[field.id];
      if (v === undefined || v === null || v === '') return [];
      return [`<dt>${esc(field.label)}</dt><dd>${esc(answerText(field, v))}</dd>`];
    });
    if (lines.length) parts.push(`<dl>${lines.join('')}</dl>`);
  }
  parts.push(`<h2>Treatment notes (${record.notes.length})</h2>`);
  for (const n of record.notes) {
    parts.push(`<h3>${esc(n.title)}</h3><p>Signed ${esc(local(n.signedAt))} by ${esc(n.signedBy)}</p>`);
    for (const s of noteSections(n)) {
      parts.push(
        `<h4>${esc(s.title)}</h4>${s.lines.map((l) => `<p>${l.label ? `<b>${esc(l.label)}</b>: ` : ''}${esc(l.text)}</p>`).join('')}`,
      );
    }
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${p.firstName} ${p.lastName}`)} — record</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#111}table{border-collapse:collapse}th,td{text-align:left;padding:.25rem .75rem .25rem 0;vertical-align:top}dt{font-weight:600}dt.heading{margin-top:1rem;font-size:1.1em}dd{margin:0 0 .5rem 1rem}</style>
</head><body>
${parts.join('\n')}
</body></html>
`;
}
