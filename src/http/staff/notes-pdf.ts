import { type Context, Hono } from 'hono';
import { noteSection, type PdfSection, type PdfWords, renderAnswersPdf } from '../../domain/chart/index.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { atOf, namesOf } from './notes-view.tsx';

/**
 * `/staff/patients/:id/notes.pdf` and `/staff/patients/:id/notes/:noteId/pdf` (clinical readers):
 * a note, or every signed note of the chart (oldest first, with addenda), as a PDF to print or
 * send, under the clinic's header and the patient's name. Each note read is audited by the chart.
 */
export function staffNotesPdfRoutes(deps: HttpDeps, kit: RouteKit) {
  const app = new Hono<AppEnv>();
  const needs = kit.authorize('clinical.read');

  app.get('/:id/notes.pdf', needs, async (c) => {
    const patientId = c.req.param('id');
    const listed = await deps.notes.listOfPatient(actorOf(c), patientId);
    const signed = (listed.notes ?? [])
      .filter((n) => n.status === 'signed')
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const words = await wordsOf(deps);
    const sections: PdfSection[] = [];
    for (const n of signed)
      sections.push(noteSection(await deps.notes.read(actorOf(c), n.id, { patientId }), words));
    return pdfAnswer(c, deps, patientId, sections, 'Treatment notes', words);
  });

  app.get('/:id/notes/:noteId/pdf', needs, async (c) => {
    const patientId = c.req.param('id');
    const read = await deps.notes.read(actorOf(c), c.req.param('noteId'), { patientId });
    const words = await wordsOf(deps);
    return pdfAnswer(c, deps, patientId, [noteSection(read, words)], read.template.name, words);
  });
  return app;
}

async function wordsOf(deps: HttpDeps): Promise<PdfWords> {
  const [clinic, nameOf] = await Promise.all([deps.clinic.get(), namesOf(deps)]);
  return { nameOf, local: atOf(clinic) };
}

/** The PDF under the clinic's header (address, the patient, who printed it and when), inline. */
async function pdfAnswer(
  c: Context<AppEnv>,
  deps: HttpDeps,
  patientId: string,
  sections: PdfSection[],
  title: string,
  words: PdfWords,
) {
  const [clinic, patient] = await Promise.all([deps.clinic.get(), deps.patients.get(actorOf(c), patientId)]);
  const member = c.get('staff')!.account;
  const bytes = await renderAnswersPdf(
    {
      clinicName: clinic.name,
      lines: [
        [clinic.address.replace(/\n/g, ', '), clinic.phone].filter(Boolean).join(' · '),
        `Patient: ${patient.firstName} ${patient.lastName}${patient.dateOfBirth ? `, born ${patient.dateOfBirth}` : ''}`,
        `${title}${sections.length === 0 ? ': no signed notes' : ''} - printed ${words.local(deps.clock.now())} by ${member.name}`,
      ],
    },
    sections,
    `${title} - ${patient.firstName} ${patient.lastName}`,
  );
  const file = `${title}-${patient.lastName}`
    .normalize('NFKD')
    .replace(/[^a-zA-Z0-9-]+/g, '-')
    .toLowerCase();
  return c.body(new Uint8Array(bytes), 200, {
    'content-type': 'application/pdf',
    'content-disposition': `inline; filename="${file}.pdf"`,
    'cache-control': 'no-store',
  });
}
