/**
 * What the staff notes pages show, from the domain's notes and templates: the chart's list, a
 * note's page (and its rendering, notePage); dates in the clinic's zone and locale; a posted note
 * form turned back into answers.
 */
import type { Context } from 'hono';
import {
  NotePage,
  type NotePageView,
  type NoteRefusal,
} from '../../../views/pages/staff/notes/note-page.tsx';
import type { NotesListView } from '../../../views/pages/staff/notes/notes-page.tsx';
import { can } from '../../domain/accounts/index.ts';
import type { Answers, NoteRead, TemplateField } from '../../domain/chart/index.ts';
import type { FormFields } from '../kit/form.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { appointmentChoices } from './appointment-choices.ts';

const roleOf = (c: Context<AppEnv>) => c.get('staff')!.account.role;

const formatters = new Map<string, Intl.DateTimeFormat>();
/**
 * "3 Dec 2026, 09:30" in the clinic's zone and locale, through one Intl formatter per zone and
 * locale (a chart lists hundreds of notes: luxon took ~65 µs a date, this ~8).
 */
export function atOf(clinic: { timeZone: string; locale: string }): (d: Date) => string {
  const key = `${clinic.locale} ${clinic.timeZone}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(clinic.locale, {
      timeZone: clinic.timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(key, format);
  }
  const f = format;
  return (d) => {
    const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
    for (const p of f.formatToParts(d)) part[p.type] = p.value;
    return `${part.day} ${part.month} ${part.year}, ${part.hour}:${part.minute}`;
  };
}

/** The staff members' names by id (authors, signers). */
export async function namesOf(deps: HttpDeps): Promise<(id: string | null) => string> {
  const members = await deps.staff.accounts.list();
  const byId = new Map(members.map((m) => [m.id, m.name]));
  return (id) => (id ? (byId.get(id) ?? 'a former member') : '');
}

/** What a new note starts with when opened from an appointment: the appointment, its service's template. */
export interface NewNoteChoice {
  appointmentId?: string | undefined;
  templateId?: string | undefined;
}

/**
 * The chart's notes as the member may know them (the list read, or the count, is audited by the
 * domain); with `query`, the notes a full-text search found; with `start`, the new note's form
 * preselected (from an appointment).
 */
export async function notesListView(
  deps: HttpDeps,
  c: Context<AppEnv>,
  patientId: string,
  error?: string,
  options: { start?: NewNoteChoice; query?: string } = {},
): Promise<NotesListView> {
  const actor = actorOf(c);
  const [patient, listed, clinic, nameOf] = await Promise.all([
    deps.patients.get(actor, patientId),
    deps.notes.listOfPatient(actor, patientId),
    deps.clinic.get(),
    namesOf(deps),
  ]);
  const at = atOf(clinic);
  const writes = can(roleOf(c), 'clinical.write');
  const [templates, appointments] = writes
    ? await Promise.all([
        deps.templates.list(actor, 'note'),
        appointmentChoices(deps, c, patientId, clinic, { daysAhead: 1, keep: options.start?.appointmentId }),
      ])
    : [undefined, undefined];
  // A search (clinical readers who may read this chart's notes) lists the notes it found instead.
  const query = options.query?.trim() ?? '';
  const searching = query !== '' && listed.notes !== null;
  const shown = searching ? await deps.notes.search(actor, patientId, query) : listed.notes;
  return {
    patientId,
    patientName: `${patient.firstName} ${patient.lastName}`,
    count: listed.count,
    search:
      listed.notes === null ? undefined : { query, found: searching ? (shown?.length ?? 0) : undefined },
    start: options.start,
    rows: shown?.map((n) => ({
      id: n.id,
      href: `/staff/patients/${patientId}/notes/${n.id}`,
      template: n.templateName ?? '',
      date: at(n.createdAt),
      author: nameOf(n.authorId),
      status: n.status,
    })),
    templates: templates?.map((t) => ({ id: t.id, name: t.name })),
    appointments,
    error,
  };
}

/** A note's page from its read (audited by the domain); `answers` shows a refused form's typing again. */
export async function notePageView(
  deps: HttpDeps,
  c: Context<AppEnv>,
  read: NoteRead,
  answers?: Answers,
): Promise<NotePageView> {
  const { note, addenda, template } = read;
  const [patient, clinic, nameOf] = await Promise.all([
    deps.patients.get(actorOf(c), note.patientId),
    deps.clinic.get(),
    namesOf(deps),
  ]);
  const at = atOf(clinic);
  const me = c.get('staff')!.account.id;
  const writer = can(roleOf(c), 'clinical.write');
  const editable = note.status === 'draft' && note.authorId === me && writer;
  // Beside the author's draft: the patient's last signed note (its read audited) and copy forward.
  const previous = editable
    ? await deps.notes.previous(actorOf(c), note.id, { patientId: note.patientId })
    : null;
  const shown = previous?.shown;
  return {
    patientId: note.patientId,
    patientName: `${patient.firstName} ${patient.lastName}`,
    id: note.id,
    status: note.status,
    version: note.version,
    templateName: template.name,
    templateVersion: template.version,
    begun: `${at(note.createdAt)} by ${nameOf(note.authorId)}`,
    signed: note.signedAt ? `${at(note.signedAt)} by ${nameOf(note.signedBy)}` : undefined,
    contentHash: note.contentHash ?? undefined,
    tampered: read.intact === false,
    fields: template.fields,
    answers: answers ?? note.answers,
    editable,
    previous: shown
      ? {
          href: `/staff/patients/${note.patientId}/notes/${shown.note.id}`,
          templateName: shown.template.name,
          signed: `${at(shown.note.signedAt!)} by ${nameOf(shown.note.signedBy)}`,
          fields: shown.template.fields,
          answers: shown.note.answers,
          addenda: shown.addenda.map((a) => ({
            author: nameOf(a.authorId),
            at: at(a.createdAt),
            text: a.text,
          })),
        }
      : undefined,
    copyFrom: previous?.copyFrom ? { signed: at(previous.copyFrom.signedAt) } : undefined,
    canAddend: note.status === 'signed' && writer,
    addenda: addenda.map((a) => ({
      author: nameOf(a.authorId),
      at: at(a.createdAt),
      text: a.text,
      hash: a.contentHash,
    })),
  };
}

/** What a note's page says after an action. */
const noteNotices: Record<string, string> = {
  saved: 'The note is saved.',
  signed: 'The note is signed. It can no longer change; add an addendum to correct it.',
  addendum: 'The addendum is added and signed.',
  copied: 'Copied forward: the empty fields now hold the previous note’s answers. Check them before signing.',
  'copied-none': 'Nothing to copy forward: every field the previous note answered is filled already.',
};

/** A note's page (`:id`, `:noteId`), as stored or with a refused form's typing and its refusal. */
export async function notePage(
  deps: HttpDeps,
  kit: RouteKit,
  c: Context<AppEnv>,
  options: {
    answers?: Answers;
    refusal?: NoteRefusal;
    confirmSign?: boolean;
    addendumError?: string;
    status?: number;
  } = {},
) {
  const { id, noteId } = c.req.param() as { id: string; noteId: string };
  const read = await deps.notes.read(actorOf(c), noteId, { patientId: id });
  const note = await notePageView(deps, c, read, options.answers);
  return c.html(
    NotePage({
      nav: kit.nav(c),
      note,
      notice: noteNotices[c.req.query('notice') ?? ''],
      refusal: options.refusal,
      confirmSign: options.confirmSign ?? false,
      addendumError: options.addendumError,
    }),
    (options.status ?? 200) as 200,
  );
}

/** A number typed in a form: the number, or the text as typed (the domain then says it is not one). */
const numberOf = (text: string): number | string =>
  text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;

/**
 * A posted note form as answers to every field of its template (an empty field clears its
 * answer: null). Inputs are named as note-fields.tsx names them.
 */
export function answersFromForm(fields: readonly TemplateField[], form: FormFields): Answers {
  const answers: Answers = {};
  for (const f of fields) {
    const name = `a.${f.id}`;
    const text = form.text(name);
    const orNull = (v: unknown) => (v === '' ? null : v);
    switch (f.type) {
      case 'heading':
        break;
      case 'short-text':
      case 'long-text':
      case 'date':
      case 'single-choice':
        answers[f.id] = orNull(text);
        break;
      case 'number':
      case 'scale':
        answers[f.id] = text.trim() === '' ? null : numberOf(text);
        break;
      case 'yes-no':
        answers[f.id] = text === 'yes' ? true : text === 'no' ? false : null;
        break;
      case 'multiple-choice': {
        const chosen = form.list(name);
        answers[f.id] = chosen.length ? chosen : null;
        break;
      }
      case 'vitals': {
        const v: Record<string, number | string> = {};
        for (const part of ['systolic', 'diastolic', 'pulse', 'weightKg', 'heightCm']) {
          const typed = form.text(`${name}.${part}`);
          if (typed.trim() !== '') v[part] = numberOf(typed);
        }
        answers[f.id] = Object.keys(v).length ? v : null;
        break;
      }
      case 'table': {
        const shown = Math.min(100, Number(form.text(`${name}.rows`)) || 0);
        const rows: Record<string, string>[] = [];
        for (let r = 0; r < shown; r++) {
          const row: Record<string, string> = {};
          for (const col of f.columns) {
            const cell = form.text(`${name}.${r}.${col.id}`);
            if (cell !== '') row[col.id] = cell;
          }
          if (Object.keys(row).length) rows.push(row);
        }
        answers[f.id] = rows.length ? rows : null;
        break;
      }
      case 'signature': {
        const signer = form.text(`${name}.name`).trim();
        answers[f.id] = signer ? { name: signer } : null;
        break;
      }
    }
  }
  return answers;
}

/** Answers without the cleared fields, to show a refused form again as it was typed. */
export const typedAnswers = (answers: Answers): Answers =>
  Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== null));
