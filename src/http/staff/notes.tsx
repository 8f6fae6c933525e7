import { type Context, Hono } from 'hono';
import { type NoteRefusal, SaveStatus } from '../../../views/pages/staff/notes/note-page.tsx';
import { NotesPage } from '../../../views/pages/staff/notes/notes-page.tsx';
import { missingRequired, NoteVersionConflict } from '../../domain/chart/index.ts';
import { type AppError, isAppError, notFound, validationFailed } from '../../lib/errors.ts';
import { readForm } from '../kit/form.ts';
import { orRerender } from '../kit/refusal.ts';
import { actorOf, redirect } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { answersFromForm, notePage, notesListView, typedAnswers } from './notes-view.tsx';

/** A refused save as the form shows it: one message, and each field's (by field id). */
function refusalOf(error: AppError): NoteRefusal {
  const fields: Record<string, string> = {};
  for (const i of error.issues ?? []) {
    const id = /^answers\.([^.]+)/.exec(i.path)?.[1];
    if (id && !fields[id]) fields[id] = i.message;
  }
  return { message: error.message, fields };
}

/** Refusals a note form shows again (the note changed elsewhere, a bad answer, a missing one). */
const shownOnForm = (e: AppError) => e.code === 'validation_failed' || e instanceof NoteVersionConflict;

const listOf = (id: string) => `/staff/patients/${encodeURIComponent(id)}/notes`;
const pageOf = (id: string, noteId: string) => `${listOf(id)}/${encodeURIComponent(noteId)}`;

/** Saves the posted form over the draft (the version it holds must be the note's). */
async function saveForm(deps: HttpDeps, c: Context<AppEnv>) {
  const { id, noteId } = c.req.param() as { id: string; noteId: string };
  const form = await readForm(c);
  const read = await deps.notes.read(actorOf(c), noteId, { patientId: id });
  const answers = answersFromForm(read.template.fields, form);
  const version = Number(form.text('version'));
  return {
    answers,
    fields: read.template.fields,
    saved: () => deps.notes.save(actorOf(c), noteId, { version, answers }, { patientId: id }),
  };
}

/**
 * Saves the draft: htmx (the form saving as it changes) gets the save status back, with the
 * time saved or why not; a plain post goes back to the page, or shows it again when refused.
 */
async function saveNote(deps: HttpDeps, kit: RouteKit, c: Context<AppEnv>) {
  const { id, noteId } = c.req.param() as { id: string; noteId: string };
  const { answers, saved } = await saveForm(deps, c);
  const htmx = c.req.header('hx-request') === 'true';
  try {
    const note = await saved();
    if (!htmx) return redirect(c, `${pageOf(id, noteId)}?notice=saved`);
    const clinic = await deps.clinic.get();
    const at = note.updatedAt.toLocaleTimeString(clinic.locale, {
      timeZone: clinic.timeZone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    return c.html(SaveStatus({ version: note.version, saved: at }));
  } catch (error) {
    if (!isAppError(error) || !shownOnForm(error)) throw error;
    const refusal = refusalOf(error);
    const version = Number((await readForm(c)).text('version'));
    if (htmx) {
      const fieldText = Object.values(refusal.fields).join(' ');
      return c.html(
        SaveStatus({ version, error: `Not saved: ${fieldText || refusal.message}` }),
        error.status as 409,
      );
    }
    return notePage(deps, kit, c, { answers: typedAnswers(answers), refusal, status: error.status });
  }
}

/** Signs the note when confirmed; "Sign…" from the draft's form saves what it holds, then asks. */
async function signNote(deps: HttpDeps, kit: RouteKit, c: Context<AppEnv>) {
  const { id, noteId } = c.req.param() as { id: string; noteId: string };
  const form = await readForm(c);
  if (form.text('confirm') === 'yes') {
    return orRerender(
      async () => {
        await deps.notes.sign(
          actorOf(c),
          noteId,
          { version: Number(form.text('version')) },
          { patientId: id },
        );
        return redirect(c, `${pageOf(id, noteId)}?notice=signed`);
      },
      (refusal) => notePage(deps, kit, c, { refusal: refusalOf(refusal.error), status: refusal.status }),
      shownOnForm,
    );
  }
  const { answers, fields, saved } = await saveForm(deps, c);
  return orRerender(
    async () => {
      const note = await saved();
      // Asked "Sign this note?" with a required field empty, "Sign the note" was only refused.
      const missing = missingRequired(fields, JSON.parse(note.answers));
      if (missing.length) throw validationFailed(missing, 'Answer the required fields before signing.');
      return notePage(deps, kit, c, { confirmSign: true });
    },
    (refusal) =>
      notePage(deps, kit, c, {
        answers: typedAnswers(answers),
        refusal: refusalOf(refusal.error),
        status: refusal.status,
      }),
    shownOnForm,
  );
}

/**
 * "Copy forward" from the draft's form: saves what the form holds (the version it holds must be
 * the note's), then fills the empty fields from the last signed note of the template, with the
 * version that save answered; the page then says how it went. Refused: the form again, as typed.
 */
async function copyForward(deps: HttpDeps, kit: RouteKit, c: Context<AppEnv>) {
  const { id, noteId } = c.req.param() as { id: string; noteId: string };
  const { answers, saved } = await saveForm(deps, c);
  return orRerender(
    async () => {
      const note = await saved();
      const { copied } = await deps.notes.copyForward(
        actorOf(c),
        noteId,
        { version: note.version },
        { patientId: id },
      );
      return redirect(c, `${pageOf(id, noteId)}?notice=${copied ? 'copied' : 'copied-none'}`);
    },
    (refusal) =>
      notePage(deps, kit, c, {
        answers: typedAnswers(answers),
        refusal: refusalOf(refusal.error),
        status: refusal.status,
      }),
    (e) => shownOnForm(e) || e.code === 'nothing_to_copy',
  );
}

/**
 * `/staff/patients/:id/notes…`: a patient's treatment notes. The list (clinical roles; the front
 * desk sees how many), a new note from a template, a note's page: the author's draft saved as it
 * changes (htmx posts the form with its version; a save refused because the note changed in
 * another tab says so and changes nothing), signing after a confirmation, addenda on signed notes.
 * The domain checks every step against the member's role and audits each read and change.
 */
export function staffNotesRoutes(deps: HttpDeps, kit: RouteKit) {
  const { authorize } = kit;
  const app = new Hono<AppEnv>();

  app.get('/:id/notes', authorize('patients.read'), async (c) => {
    const notes = await notesListView(deps, c, c.req.param('id'), undefined, { query: c.req.query('q') });
    return c.html(NotesPage({ nav: kit.nav(c), notes }));
  });

  // From the calendar's panel: the appointment's note if one was written, else a new one's form
  // with the appointment and its service's template chosen.
  app.get('/:id/notes/for-appointment/:appointmentId', authorize('clinical.write'), async (c) => {
    const { id, appointmentId } = c.req.param();
    const found = await deps.notes.ofAppointment(actorOf(c), appointmentId);
    if (found.patientId !== id) throw notFound('The appointment');
    if (found.note) return redirect(c, pageOf(id, found.note.id));
    const start = { appointmentId, templateId: found.defaultTemplateId ?? undefined };
    const notes = await notesListView(deps, c, id, undefined, { start });
    return c.html(NotesPage({ nav: kit.nav(c), notes }));
  });

  app.post('/:id/notes', authorize('clinical.write'), async (c) => {
    const id = c.req.param('id');
    const form = await readForm(c);
    const appointmentId = form.text('appointmentId') || null;
    return orRerender(
      async () => {
        // One note per appointment from these pages: a second start (another tab) opens the first.
        const existing = appointmentId
          ? (await deps.notes.ofAppointment(actorOf(c), appointmentId)).note
          : null;
        if (existing?.patientId === id) return redirect(c, pageOf(id, existing.id));
        const note = await deps.notes.create(actorOf(c), id, {
          templateId: form.text('templateId'),
          appointmentId,
        });
        return redirect(c, pageOf(id, note.id));
      },
      async (refusal) =>
        c.html(NotesPage({ nav: kit.nav(c), notes: await notesListView(deps, c, id, refusal.first) }), 422),
    );
  });

  app.get('/:id/notes/:noteId', authorize('clinical.read'), (c) => notePage(deps, kit, c));
  app.post('/:id/notes/:noteId/save', authorize('clinical.write'), (c) => saveNote(deps, kit, c));
  app.post('/:id/notes/:noteId/sign', authorize('clinical.write'), (c) => signNote(deps, kit, c));
  app.post('/:id/notes/:noteId/copy-forward', authorize('clinical.write'), (c) => copyForward(deps, kit, c));

  app.post('/:id/notes/:noteId/addenda', authorize('clinical.write'), async (c) => {
    const { id, noteId } = c.req.param();
    const text = (await readForm(c)).text('text');
    return orRerender(
      async () => {
        await deps.notes.addAddendum(actorOf(c), noteId, { text }, { patientId: id });
        return redirect(c, `${pageOf(id, noteId)}?notice=addendum#h-addenda`);
      },
      (refusal) => notePage(deps, kit, c, { addendumError: refusal.first, status: refusal.status }),
    );
  });

  return app;
}
