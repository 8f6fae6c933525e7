import type { Child } from 'hono/jsx';
import type { AppointmentStatus, AppointmentView } from '../../../src/domain/scheduling/index.ts';
import { DateTimeFields } from '../../components/booking-fields.tsx';
import { EmailAddress, Fact } from '../../components/facts.tsx';
import { Field, SelectField } from '../../components/fields.tsx';
import { Alert, Notice } from '../../components/notice.tsx';
import { type AppointmentBilling, AppointmentInvoices } from './invoices/appointment-invoices.tsx';

/**
 * The calendar's side panel for one appointment, with its actions: a fragment for htmx and the
 * body of a full page without JavaScript. Every form posts the version it showed, so a change
 * made meanwhile in another tab is refused, not overwritten.
 */
export interface AppointmentDetails {
  id: string;
  version: number;
  status: AppointmentStatus;
  patient: {
    id: string;
    name: string;
    dateOfBirth: string;
    email: string;
    /** As the clinic writes it (+44 7700 900156), and as dialled (E.164). */
    phone: string;
    tel: string | null;
  };
  practitioner: string;
  practitionerId: string;
  service: string;
  when: string;
  date: string;
  time: string;
  cancelledBy: AppointmentView['cancelledBy'];
  cancelReason: string | null;
  /** The reason for the visit given at booking. */
  reason: string | null;
  lateCancel: boolean;
  /** Part of a recurring series. */
  inSeries: boolean;
  /** Clinical staff: "Write note" (a new note for it) or "Open note" (the one written for it). */
  note?: { href: string; label: 'Write note' | 'Open note' } | undefined;
  /** Its invoices and "Create invoice" (members who read invoices). */
  billing?: AppointmentBilling | undefined;
}

const statusLabel: Record<AppointmentStatus, string> = {
  requested: 'Requested (awaiting approval)',
  booked: 'Booked',
  arrived: 'Arrived',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

/** Which status buttons each status offers (the domain's `transitions` allow the same steps). */
const nextSteps: Record<AppointmentStatus, [AppointmentStatus, string][]> = {
  requested: [['booked', 'Approve']],
  booked: [
    ['arrived', 'Mark arrived'],
    ['no_show', 'Mark no-show'],
    ['completed', 'Mark completed'],
  ],
  arrived: [
    ['completed', 'Mark completed'],
    ['booked', 'Undo arrival'],
  ],
  no_show: [['booked', 'Undo no-show']],
  completed: [],
  cancelled: [],
};

/** What the panel says after a change went through (`done` in its answer or URL). */
export const panelNotices = {
  booked: 'The appointment is booked.',
  arrived: 'Marked arrived.',
  completed: 'Marked completed.',
  no_show: 'Marked no-show.',
  moved: 'The appointment is moved.',
  cancelled: 'The appointment is cancelled.',
} as const;
export type PanelDone = keyof typeof panelNotices;

/** A refused change, shown beside the control that asked for it. */
export interface PanelError {
  on: 'status' | 'move' | 'cancel';
  message: string;
}

/** What the member typed into a refused Move or Cancel form, shown again. */
export interface PanelTyped {
  date?: string;
  time?: string;
  practitionerId?: string;
  reason?: string;
}

interface PanelProps {
  a: AppointmentDetails;
  csrf: string;
  practitioners: { id: string; name: string }[];
  canChange: boolean;
  error?: PanelError | undefined;
  done?: PanelDone | undefined;
  typed?: PanelTyped | undefined;
}

export function AppointmentPanel(props: PanelProps) {
  const { a, error } = props;
  const open = a.status === 'booked' || a.status === 'requested';
  return (
    <section class="stack" aria-labelledby="appt-title" data-appointment={a.id}>
      <h2 id="appt-title" tabindex={-1}>
        {a.patient.name}
      </h2>
      <Notice text={props.done ? panelNotices[props.done] : undefined} />
      <div hx-get={`/staff/patients/${a.patient.id}/alerts-banner`} hx-trigger="load" hx-swap="outerHTML" />
      {/* An error of a form no longer offered (the status changed meanwhile) shows here. */}
      {error && !props.canChange ? <Alert error={error.message} /> : null}
      <Facts a={a} />
      <p class="actions">
        {a.note ? (
          <a class="button" href={a.note.href} aria-label={`${a.note.label}: ${a.patient.name}`}>
            {a.note.label}
          </a>
        ) : null}
        <a href={`/staff/patients/${a.patient.id}`}>Patient chart and messages</a>
      </p>
      {a.billing ? <AppointmentInvoices billing={a.billing} csrf={props.csrf} /> : null}
      <p>
        <a href={`/staff/appointments/${a.id}/calendar.ics`} download>
          Add to a calendar (.ics)
        </a>
      </p>
      {props.canChange ? (
        <>
          <div class="actions">
            {nextSteps[a.status].map(([status, label]) => (
              <PanelForm
                action={`/staff/appointments/${a.id}/status`}
                csrf={props.csrf}
                version={a.version}
                label={label}
              >
                <input type="hidden" name="status" value={status} />
                <button type="submit">{label}</button>
              </PanelForm>
            ))}
          </div>
          {error && (error.on === 'status' || !open) ? <Alert error={error.message} /> : null}
          {open ? (
            <>
              <MoveForm {...props} />
              <CancelForm {...props} />
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function Facts({ a }: { a: AppointmentDetails }) {
  return (
    <dl class="facts">
      <Fact term="When">{a.when}</Fact>
      <Fact term="Service">{a.service}</Fact>
      <Fact term="With">{a.practitioner}</Fact>
      {a.reason ? <Fact term="Reason for visit">{a.reason}</Fact> : null}
      <dt>Status</dt>
      <dd class={`status-text status-${a.status}`}>
        {statusLabel[a.status] ?? a.status}
        {a.status === 'cancelled' ? ` by ${a.cancelledBy}${a.lateCancel ? ' (late)' : ''}` : ''}
      </dd>
      {a.cancelReason ? <Fact term="Cancellation reason">{a.cancelReason}</Fact> : null}
      <Fact term="Born">{a.patient.dateOfBirth}</Fact>
      <Fact term="Phone">{a.patient.tel ? <a href={`tel:${a.patient.tel}`}>{a.patient.phone}</a> : '—'}</Fact>
      <Fact term="Email">{a.patient.email ? <EmailAddress address={a.patient.email} /> : '—'}</Fact>
    </dl>
  );
}

function PanelForm(props: { action: string; csrf: string; version: number; children: Child; label: string }) {
  return (
    <form
      method="post"
      action={props.action}
      hx-post={props.action}
      hx-target="#panel"
      class="stack"
      aria-label={props.label}
    >
      <input type="hidden" name="_csrf" value={props.csrf} />
      <input type="hidden" name="version" value={String(props.version)} />
      {props.children}
    </form>
  );
}

/** A refused Move or Cancel stays open with what was typed and its error beside the button. */
function MoveForm({ a, csrf, practitioners, error, typed }: PanelProps) {
  const refused = error?.on === 'move';
  const t = refused ? (typed ?? {}) : {};
  return (
    <details open={refused}>
      <summary>Move</summary>
      <PanelForm action={`/staff/appointments/${a.id}/move`} csrf={csrf} version={a.version} label="Move">
        <DateTimeFields idPrefix="move" date={t.date || a.date} time={t.time || a.time} />
        <SelectField
          id="move-practitioner"
          name="practitionerId"
          label="With"
          options={practitioners}
          selected={t.practitionerId || a.practitionerId}
        />
        <button type="submit">Move appointment</button>
        {refused ? <Alert error={error.message} /> : null}
      </PanelForm>
    </details>
  );
}

function CancelForm({ a, csrf, error, typed }: PanelProps) {
  const refused = error?.on === 'cancel';
  return (
    <details open={refused}>
      <summary>Cancel</summary>
      <PanelForm action={`/staff/appointments/${a.id}/cancel`} csrf={csrf} version={a.version} label="Cancel">
        <Choices
          legend="Who cancelled?"
          name="by"
          options={{ patient: 'The patient', clinic: 'The clinic' }}
        />
        {a.inSeries ? (
          <Choices
            legend="Which appointments?"
            name="scope"
            options={{ one: 'This one', following: 'This and all following' }}
          />
        ) : null}
        <Field
          id="cancel-reason"
          name="reason"
          label="Reason"
          maxlength={500}
          required={false}
          value={refused ? typed?.reason : undefined}
        />
        <button type="submit" class="danger">
          Cancel appointment
        </button>
        {refused ? <Alert error={error.message} /> : null}
      </PanelForm>
    </details>
  );
}

/** Radio buttons (value → label), the first one chosen. */
function Choices(props: { legend: string; name: string; options: Record<string, string> }) {
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      {Object.entries(props.options).map(([value, label], i) => (
        <label>
          <input type="radio" name={props.name} value={value} checked={i === 0} /> {label}
        </label>
      ))}
    </fieldset>
  );
}
