import { z } from '@hono/zod-openapi';
import {
  type AddendumView,
  addendumView,
  NoteVersionConflict,
  type NoteView,
  noteStatuses,
  noteView,
} from '../../domain/chart/index.ts';
import { apiOperations, apiRoute, createApi } from '../kit/api.ts';
import { orVersionConflict, versionConflictAnswer } from '../kit/version-conflict.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { HttpDeps } from '../types.ts';
import { optionalChoice } from './optional-query.ts';
import { id, instant } from './schemas.ts';
import { templateJson, templateOut } from './templates.ts';

const answers = z
  .record(z.string(), z.unknown())
  .describe('Answers keyed by field id; each checked against its field’s type');

/** A treatment note as the API shows it (the domain's noteView). */
export const noteJson = z.object({
  id,
  patientId: id,
  templateId: id,
  templateVersion: z.int().describe('The template version it was written with (kept after edits)'),
  templateName: z.string().optional(),
  appointmentId: id.nullable(),
  authorId: id,
  status: z.enum(noteStatuses),
  version: z.int().describe('Send it back with an autosave; a stale one answers 409 version_conflict'),
  answers,
  createdAt: instant,
  updatedAt: instant,
  signedAt: instant.nullable(),
  signedBy: id.nullable(),
  contentHash: z
    .string()
    .nullable()
    .describe('SHA-256 of the canonical signed content (also in the audit row)'),
});
const addendumJson = z.object({
  id,
  noteId: id,
  authorId: id,
  text: z.string(),
  createdAt: instant,
  contentHash: z.string().describe('SHA-256 of the addendum, chained to the note’s hash'),
});
const withNote = z.object({ note: noteJson });
const noteList = z.object({ notes: z.array(noteJson) });

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const noteOut = (n: NoteView) => ({
  ...n,
  createdAt: n.createdAt.toISOString(),
  updatedAt: n.updatedAt.toISOString(),
  signedAt: iso(n.signedAt),
});
const addendumOut = (a: AddendumView) => ({ ...a, createdAt: a.createdAt.toISOString() });

const conflictAnswer = versionConflictAnswer(
  'version_conflict or note_signed',
  z.int().optional().describe('With version_conflict: the note’s version now'),
  'version_conflict (nothing changed; `currentVersion` says the note’s version) or note_signed',
);

/** Notes are read with a clinical role's `clinical.read` and written with its `clinical.write`. */
const reads = apiOperations({ tags: ['Notes'], policy: 'clinical.read' });
const writes = apiOperations({ tags: ['Notes'], policy: 'clinical.write' });

// ------------------------------------------------------------------- a chart's notes

const create = writes.post('/{id}/notes', {
  summary: 'Start a treatment note (a draft) on a patient’s chart, with the template’s latest version',
  body: z.object({
    templateId: id.describe('A note template'),
    appointmentId: id.nullable().optional().describe('An appointment of this patient'),
    answers: answers.optional(),
  }),
  created: [withNote, 'The draft'],
});
const listOfPatient = reads.get('/{id}/notes', {
  policy: 'patients.read',
  summary:
    'A chart’s notes, newest first (clinical roles). Others (the front desk) get only `count`: never a note (audited). With `q`: a full-text search of the notes (clinical roles only; 403 otherwise)',
  query: z.object({
    q: z
      .string()
      .max(200)
      .optional()
      .describe(
        'Words to find in the notes’ answers and addenda: every word, each as a word’s beginning, accents and case aside; newest first, at most 200. Audited as a search, without the words',
      ),
  }),
  ok: [
    z.object({
      count: z.int().describe('How many notes the chart has; with `q`, how many were found'),
      notes: z.array(noteJson).optional().describe('Only for clinical roles'),
    }),
    'The notes, or their count',
  ],
  refuses: [401, 403, 404, 422],
});

/** `/api/v1/patients/{id}/notes`: a chart's notes — list (or count) and start one. */
export function patientNotesApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, create), async (c) => {
    const note = await deps.notes.create(actorOf(c), c.req.valid('param').id, await c.req.json());
    return c.json({ note: noteOut(noteView(note)) }, 201);
  });
  app.openapi(apiRoute(kit, listOfPatient), async (c) => {
    const { q } = c.req.valid('query');
    if (q !== undefined && q.trim() !== '') {
      const found = await deps.notes.search(actorOf(c), c.req.valid('param').id, q);
      return c.json({ count: found.length, notes: found.map(noteOut) }, 200);
    }
    const { count, notes } = await deps.notes.listOfPatient(actorOf(c), c.req.valid('param').id);
    return c.json(notes ? { count, notes: notes.map(noteOut) } : { count }, 200);
  });
  return app;
}

// ------------------------------------------------------------------- one note

const own = reads.get('/', {
  summary:
    'The signed-in member’s own notes (`mine=1`), oldest first; `status=draft&toFinish=1`: drafts begun before today (notes to finish)',
  query: z.object({
    mine: z.enum(['1']).openapi({ type: 'string', enum: ['1'], description: 'Required: your own notes' }),
    status: optionalChoice(noteStatuses),
    toFinish: optionalChoice(['1'], 'Only drafts begun before today at the clinic'),
  }),
  ok: [noteList, 'The notes'],
  refuses: [401, 403, 422],
});
const read = reads.get('/{id}', {
  summary: 'A note, its addenda and the template version it was written with (clinical roles; audited)',
  ok: [
    z.object({
      note: noteJson,
      addenda: z.array(addendumJson),
      template: templateJson,
      intact: z
        .boolean()
        .nullable()
        .describe(
          'Signed: whether the note still matches its hash (false: changed outside the app). Draft: null',
        ),
    }),
    'The note',
  ],
});
const save = writes.patch('/{id}', {
  summary:
    'Autosave a draft (its author only): the answers given are merged over the saved ones (null clears one); `version` must be the one read',
  body: z.object({ version: z.int(), answers }),
  ok: [withNote, 'Saved: version + 1'],
  conflicts: conflictAnswer,
});
const sign = writes.post('/{id}/sign', {
  summary:
    'Sign a draft (its author only; required fields answered): locked for ever, hashed, the hash written into the audit row. Body `{}` or `{"version"}`',
  body: z.object({ version: z.int().optional().describe('Sign only if still this version') }),
  ok: [withNote, 'Signed'],
  conflicts: conflictAnswer,
});
const copyForward = writes.post('/{id}/copy-forward', {
  summary:
    'Copy forward (the draft’s author): fill the draft’s empty fields from the patient’s last signed note of the same template, as an autosave does (`version` must be the one read). Audited with the source note and how many fields were filled',
  body: z.object({ version: z.int() }),
  ok: [
    z.object({
      note: noteJson,
      copied: z.int().describe('How many fields were filled'),
      fromNoteId: id.describe('The signed note copied from'),
    }),
    'The draft as saved: version + 1',
  ],
  conflicts: versionConflictAnswer(
    'version_conflict, note_signed or nothing_to_copy',
    z.int().optional(),
    'version_conflict (nothing changed), note_signed, or nothing_to_copy (no signed note of this template)',
  ),
});
const addendum = writes.post('/{id}/addenda', {
  summary: 'Add a signed addendum to a signed note (the note itself never changes)',
  body: z.object({ text: z.string() }),
  created: [z.object({ addendum: addendumJson }), 'The addendum'],
  responses: { 409: { description: 'note_not_signed' } },
});

/** `/api/v1/notes`: one note — read, autosave, sign, addenda — and the member's own notes. */
export function notesApi(deps: HttpDeps, kit: RouteKit) {
  const app = createApi();
  app.openapi(apiRoute(kit, own), async (c) => {
    const { status, toFinish } = c.req.valid('query');
    const notes = toFinish
      ? await deps.notes.toFinish(actorOf(c))
      : await deps.notes.listOwn(actorOf(c), { status });
    return c.json({ notes: notes.map(noteOut) }, 200);
  });
  app.openapi(apiRoute(kit, read), async (c) => {
    const { note, addenda, template, intact } = await deps.notes.read(actorOf(c), c.req.valid('param').id);
    return c.json(
      { note: noteOut(note), addenda: addenda.map(addendumOut), template: templateOut(template), intact },
      200,
    );
  });
  // Saving and signing a draft answer alike: the note, or 409 with the version it is at now.
  for (const [route, change] of [
    [save, deps.notes.save],
    [sign, deps.notes.sign],
  ] as const) {
    app.openapi(apiRoute(kit, route), async (c) =>
      orVersionConflict(c, NoteVersionConflict, async () => {
        const note = await change(actorOf(c), c.req.valid('param').id, await c.req.json());
        return c.json({ note: noteOut(noteView(note)) }, 200);
      }),
    );
  }
  app.openapi(apiRoute(kit, copyForward), async (c) =>
    orVersionConflict(c, NoteVersionConflict, async () => {
      const done = await deps.notes.copyForward(actorOf(c), c.req.valid('param').id, await c.req.json());
      const { copied, fromNoteId } = done;
      return c.json({ note: noteOut(noteView(done.note)), copied, fromNoteId }, 200);
    }),
  );
  app.openapi(apiRoute(kit, addendum), async (c) => {
    const row = await deps.notes.addAddendum(actorOf(c), c.req.valid('param').id, await c.req.json());
    return c.json({ addendum: addendumOut(addendumView(row)) }, 201);
  });
  return app;
}
