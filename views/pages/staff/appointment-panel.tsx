import type { Child } from 'hono/jsx';
import type { AppointmentStatus, AppointmentView } from '../../../src/domain/scheduling/index.ts';
import { DateTimeFields } from '../../components/booking-fields.tsx';
import { Field, SelectField } from '../../components/fields.tsx';
import { Alert } from '../../components/notice.tsx';

/**
 * The calendar's side panel for one appointment, with its actions: a fragment for htmx and the
 * body of a full page without JavaScript. Every form posts the version it showed, so a change
 * made meanwhile in another tab is refused, not overwritten.
 */
export interface AppointmentDetails {
  id: string;
  version: number;
  status: AppointmentStatus;
  patient: { id: string; name: string; dateOfBirth: string; email: string | null; phone: string | null };
  practitioner: string;
  practitionerId: string;
  service: string;
  when: string;
  date: string;
  time: string;
  cancelledBy: AppointmentView['cancelledBy'];
  cancelReason: string | null;
  lateCancel: boolean;
  /** Part of a recurring series. */
  inSeries: boolean;
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

interface PanelProps {
  a: AppointmentDetails;
  csrf: string;
  practitioners: { id: string; name: string }[];
  canChange: boolean;
  error?: string | undefined;
}

export function AppointmentPanel(props: PanelProps) {
  const { a } = props;
  const open = a.status === 'booked' || a.status === 'requested';
  return (
    <section class="stack" aria-labelledby="appt-title">
      <h2 id="appt-title">{a.patient.name}</h2>
      <Alert error={props.error} />
      <Facts a={a} />
      <p>
        <a href={`/staff/patients/${a.patient.id}`}>Patient chart and messages</a>
      </p>
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
      <dt>When</dt>
      <dd>{a.when}</dd>
      <dt>Service</dt>
      <dd>{a.service}</dd>
      <dt>With</dt>
      <dd>{a.practitioner}</dd>
      <dt>Status</dt>
      <dd class={`status-text status-${a.status}`}>
        {statusLabel[a.status] ?? a.status}
        {a.status === 'cancelled' ? ` by ${a.cancelledBy}${a.lateCancel ? ' (late)' : ''}` : ''}
      </dd>
      {a.cancelReason ? (
        <>
          <dt>Reason</dt>
          <dd>{a.cancelReason}</dd>
        </>
      ) : null}
      <dt>Born</dt>
      <dd>{a.patient.dateOfBirth}</dd>
      <dt>Contact</dt>
      <dd>{[a.patient.phone, a.patient.email].filter(Boolean).join(' · ') || '—'}</dd>
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

function MoveForm({ a, csrf, practitioners }: PanelProps) {
  return (
    <details>
      <summary>Move</summary>
      <PanelForm action={`/staff/appointments/${a.id}/move`} csrf={csrf} version={a.version} label="Move">
        <DateTimeFields idPrefix="move" date={a.date} time={a.time} />
        <SelectField
          id="move-practitioner"
          name="practitionerId"
          label="With"
          options={practitioners}
          selected={a.practitionerId}
        />
        <button type="submit">Move appointment</button>
      </PanelForm>
    </details>
  );
}

function CancelForm({ a, csrf }: PanelProps) {
  return (
    <details>
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
        <Field id="cancel-reason" name="reason" label="Reason" maxlength={500} required={false} />
        <button type="submit" class="danger">
          Cancel appointment
        </button>
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
