import type { Child } from 'hono/jsx';
import type { TemplateField } from '../../../../src/domain/chart/index.ts';
import { Fact } from '../../../components/facts.tsx';
import { Form, PostButton } from '../../../components/form.tsx';
import { Alert, Notice } from '../../../components/notice.tsx';
import { Section } from '../../../components/section.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';
import { type AnswerMap, AnswersRead, FieldInput, Lines } from './note-fields.tsx';

export interface NotePageView {
  patientId: string;
  patientName: string;
  id: string;
  status: 'draft' | 'signed';
  version: number;
  templateName: string;
  templateVersion: number;
  /** "3 Dec 2026, 09:30 by Dr P1". */
  begun: string;
  /** "3 Dec 2026, 10:02 by Dr P1" once signed. */
  signed?: string | undefined;
  contentHash?: string | undefined;
  /** A signed note that no longer matches its fingerprint (changed outside the app). */
  tampered?: boolean;
  fields: TemplateField[];
  answers: AnswerMap;
  /** The author's own draft: a form that saves as it changes. */
  editable: boolean;
  /** Members who may write addenda (signed notes only). */
  canAddend: boolean;
  addenda: { author: string; at: string; text: string; hash: string }[];
  /** Beside a draft being written: the patient's last signed note, read-only. */
  previous?: PreviousNoteView | undefined;
  /** Copy forward's source: the last signed note of this template ("3 Dec 2026"). */
  copyFrom?: { signed: string } | undefined;
}

/** The patient's previous (signed) note as shown beside a draft. */
export interface PreviousNoteView {
  href: string;
  templateName: string;
  /** "3 Dec 2026, 10:02 by Dr P1". */
  signed: string;
  fields: TemplateField[];
  answers: AnswerMap;
  addenda: { author: string; at: string; text: string }[];
}

/** The answers' refusal as the page shows it again. */
export interface NoteRefusal {
  message: string;
  fields: Record<string, string>;
}

const base = (n: NotePageView) => `/staff/patients/${n.patientId}/notes/${n.id}`;

/**
 * One note. The author's draft is a form: each change is saved at once (htmx posts the form with
 * the version it holds; the status line answers, with the next version), "Save" does the same
 * without JavaScript, and "Sign…" asks for confirmation first. A save refused because the note
 * changed elsewhere says so and changes nothing. A signed note (or another's draft) reads as text,
 * with its addenda and, for clinical writers, a form to add one.
 */
export function NotePage(props: {
  nav: StaffNavProps;
  note: NotePageView;
  notice?: string | undefined;
  refusal?: NoteRefusal | undefined;
  /** Ask before signing (after "Sign…"). */
  confirmSign?: boolean;
  addendumError?: string | undefined;
}) {
  const n = props.note;
  const csrf = props.nav.csrf;
  return (
    <StaffLayout title={`${n.templateName} · ${n.patientName}`} nav={props.nav} scripts={[notesScript]}>
      <p>
        <a href={`/staff/patients/${n.patientId}/notes`}>← {n.patientName}’s notes</a> ·{' '}
        <a href={`/staff/patients/${n.patientId}/notes/${n.id}/pdf`} target="_blank" rel="noopener">
          PDF to print
        </a>
      </p>
      <Notice text={props.notice} />
      {n.tampered ? (
        <Alert error="This note no longer matches the fingerprint taken when it was signed: it was changed outside Clinicbox. Tell an administrator." />
      ) : null}
      <dl class="details">
        <Fact term="Template">
          {n.templateName} (version {n.templateVersion})
        </Fact>
        <Fact term="Begun">{n.begun}</Fact>
        <Fact term="Status">{n.signed ? `Signed ${n.signed}` : 'Draft'}</Fact>
        {n.contentHash ? (
          <Fact term="Fingerprint (SHA-256)">
            <code>{n.contentHash}</code>
          </Fact>
        ) : null}
      </dl>
      {props.confirmSign ? <ConfirmSign note={n} csrf={csrf} /> : null}
      {n.editable && !props.confirmSign ? (
        n.previous ? (
          <div class="note-beside">
            <PreviousNote previous={n.previous} />
            <DraftForm note={n} csrf={csrf} refusal={props.refusal} />
          </div>
        ) : (
          <DraftForm note={n} csrf={csrf} refusal={props.refusal} />
        )
      ) : (
        <AnswersRead fields={n.fields} answers={n.answers} />
      )}
      {n.status === 'signed' ? <Addenda note={n} csrf={csrf} error={props.addendumError} /> : null}
    </StaffLayout>
  );
}

/** Autosave's ordering and version hand-over (see the file). */
const notesScript = '/static/notes.js';

/** The draft's form: autosaved on change (htmx), saved or sent to signing by its buttons. */
function DraftForm(props: { note: NotePageView; csrf: string; refusal?: NoteRefusal | undefined }) {
  const n = props.note;
  const action = `${base(n)}/save`;
  return (
    <Form
      action={action}
      csrf={props.csrf}
      label="The note"
      attributes={{
        'hx-post': action,
        'hx-trigger': 'change',
        'hx-sync': 'this:queue last',
        'hx-target': '#note-status',
        'hx-swap': 'outerHTML',
        'data-autosave': '',
      }}
    >
      <SaveStatus version={n.version} error={props.refusal?.message} />
      {n.fields.map((f) => (
        <FieldInput field={f} value={n.answers[f.id]} error={props.refusal?.fields[f.id]} />
      ))}
      <p class="actions">
        <button type="submit">Save</button>
        <button type="submit" class="secondary" formaction={`${base(n)}/sign`}>
          Sign…
        </button>
        {n.copyFrom ? (
          <button type="submit" class="secondary" formaction={`${base(n)}/copy-forward`}>
            Copy forward
          </button>
        ) : null}
      </p>
      {n.copyFrom ? (
        <p class="muted">
          Copy forward fills the empty fields from the {n.templateName} signed {n.copyFrom.signed}.
        </p>
      ) : null}
    </Form>
  );
}

/**
 * The patient's last signed note beside the draft, read-only: a column on a wide screen, folded
 * away on a phone until opened (static/notes.js opens it where there is room).
 */
function PreviousNote(props: { previous: PreviousNoteView }) {
  const p = props.previous;
  return (
    <details class="previous-note" data-open-wide="">
      <summary>
        Previous note: {p.templateName}, signed {p.signed}
      </summary>
      <AnswersRead fields={p.fields} answers={p.answers} />
      {p.addenda.length ? (
        <>
          <h3>Addenda</h3>
          <AddendaList
            addenda={p.addenda}
            about={(a) => (
              <p class="muted">
                {a.at} by {a.author}
              </p>
            )}
          />
        </>
      ) : null}
      <p>
        <a href={p.href}>Open the previous note</a>
      </p>
    </details>
  );
}

/** A note's addenda, oldest first: each one's text, then what is said `about` it (who, when…). */
function AddendaList<A extends { text: string }>(props: { addenda: A[]; about: (addendum: A) => Child }) {
  return (
    <ol class="stack">
      {props.addenda.map((a) => (
        <li>
          <p>
            <Lines text={a.text} />
          </p>
          {props.about(a)}
        </li>
      ))}
    </ol>
  );
}

/**
 * The autosave's status line, holding the version the next save sends (htmx swaps the whole
 * line, so the form always carries the version it last saved).
 */
export function SaveStatus(props: {
  version: number;
  saved?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <div id="note-status">
      <input type="hidden" name="version" value={String(props.version)} />
      {props.error ? (
        <Alert error={props.error} />
      ) : (
        <p class="muted" role="status">
          {props.saved ? `Saved at ${props.saved}.` : 'Changes are saved as you go.'}
        </p>
      )}
    </div>
  );
}

function ConfirmSign(props: { note: NotePageView; csrf: string }) {
  const n = props.note;
  return (
    <Section id="h-sign" title="Sign this note?">
      <p>Once signed, the note can never change. Corrections are then added as signed addenda.</p>
      <p class="actions">
        <PostButton
          action={`${base(n)}/sign`}
          csrf={props.csrf}
          label="Sign the note"
          fields={{ version: String(n.version), confirm: 'yes' }}
        />
        <a href={base(n)}>Not yet: back to the draft</a>
      </p>
    </Section>
  );
}

function Addenda(props: { note: NotePageView; csrf: string; error?: string | undefined }) {
  const n = props.note;
  return (
    <Section id="h-addenda" title="Addenda">
      {n.addenda.length ? (
        <AddendaList
          addenda={n.addenda}
          about={(a) => (
            <dl class="details">
              <Fact term="Signed">
                {a.at} by {a.author}
              </Fact>
              <Fact term="Fingerprint (SHA-256)">
                <code>{a.hash}</code>
              </Fact>
            </dl>
          )}
        />
      ) : (
        <p class="muted">None.</p>
      )}
      {n.canAddend ? (
        <Form action={`${base(n)}/addenda`} csrf={props.csrf} error={props.error} label="Add an addendum">
          <div class="field">
            <label for="f-addendum">Addendum</label>
            <textarea id="f-addendum" name="text" rows={3} required maxlength={20000} />
          </div>
          <button type="submit">Add and sign the addendum</button>
        </Form>
      ) : null}
    </Section>
  );
}
