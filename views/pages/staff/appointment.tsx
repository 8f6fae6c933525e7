import type { Child } from 'hono/jsx';

/**
 * The calendar's side panel: one appointment with its actions, and the booking form. Each is a
 * fragment for htmx and the body of a full page without JavaScript. Every form posts the
 * version it showed, so a change made meanwhile in another tab is refused, not overwritten.
 */
export interface AppointmentDetails {
  id: string;
  version: number;
  status: string;
  patient: { id: string; name: string; dateOfBirth: string; email: string | null; phone: string | null };
  practitioner: string;
  practitionerId: string;
  service: string;
  when: string;
  date: string;
  time: string;
  cancelledBy: string | null;
  cancelReason: string | null;
  lateCancel: boolean;
  /** Part of a recurring series. */
  inSeries: boolean;
}

const statusLabel: Record<string, string> = {
  requested: 'Requested (awaiting approval)',
  booked: 'Booked',
  arrived: 'Arrived',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

/** Which status buttons each status offers (the domain enforces the same table). */
const nextSteps: Record<string, [string, string][]> = {
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
};

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

export function AppointmentPanel(props: {
  a: AppointmentDetails;
  csrf: string;
  practitioners: { id: string; name: string }[];
  canChange: boolean;
  error?: string | undefined;
}) {
  const { a } = props;
  const open = a.status === 'booked' || a.status === 'requested';
  return (
    <section class="stack" aria-labelledby="appt-title">
      <h2 id="appt-title">{a.patient.name}</h2>
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
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
            {(nextSteps[a.status] ?? []).map(([status, label]) => (
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
              <details>
                <summary>Move</summary>
                <PanelForm
                  action={`/staff/appointments/${a.id}/move`}
                  csrf={props.csrf}
                  version={a.version}
                  label="Move"
                >
                  <div class="field">
                    <label for="move-date">Date</label>
                    <input id="move-date" type="date" name="date" value={a.date} required />
                  </div>
                  <div class="field">
                    <label for="move-time">Time</label>
                    <input id="move-time" type="time" name="time" value={a.time} step="300" required />
                  </div>
                  <div class="field">
                    <label for="move-practitioner">With</label>
                    <select id="move-practitioner" name="practitionerId">
                      {props.practitioners.map((p) => (
                        <option value={p.id} selected={p.id === a.practitionerId}>
                          {p.name}
                        </option>
                      ))}
                    </select>
                  </div>
                  <button type="submit">Move appointment</button>
                </PanelForm>
              </details>
              <details>
                <summary>Cancel</summary>
                <PanelForm
                  action={`/staff/appointments/${a.id}/cancel`}
                  csrf={props.csrf}
                  version={a.version}
                  label="Cancel"
                >
                  <fieldset>
                    <legend>Who cancelled?</legend>
                    <label>
                      <input type="radio" name="by" value="patient" checked /> The patient
                    </label>
                    <label>
                      <input type="radio" name="by" value="clinic" /> The clinic
                    </label>
                  </fieldset>
                  {a.inSeries ? (
                    <fieldset>
                      <legend>Which appointments?</legend>
                      <label>
                        <input type="radio" name="scope" value="one" checked /> This one
                      </label>
                      <label>
                        <input type="radio" name="scope" value="following" /> This and all following
                      </label>
                    </fieldset>
                  ) : null}
                  <div class="field">
                    <label for="cancel-reason">Reason</label>
                    <input id="cancel-reason" name="reason" maxlength={500} />
                  </div>
                  <button type="submit" class="danger">
                    Cancel appointment
                  </button>
                </PanelForm>
              </details>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

export interface BookingFormValues {
  practitionerId: string;
  serviceId: string;
  date: string;
  time: string;
  patientId: string;
  patientLabel: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  email: string;
  phone: string;
  /** Recurring: every N weeks, N times (empty: one appointment). */
  everyWeeks: string;
  count: string;
}

export function BookingForm(props: {
  csrf: string;
  values: BookingFormValues;
  practitioners: { id: string; name: string }[];
  services: { id: string; name: string; durationMin: number }[];
  error?: string | undefined;
}) {
  const v = props.values;
  return (
    <form
      method="post"
      action="/staff/appointments"
      hx-post="/staff/appointments"
      hx-target="#panel"
      class="stack"
      aria-labelledby="book-title"
    >
      <h2 id="book-title">New appointment</h2>
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
      <div class="field">
        <label for="book-practitioner">With</label>
        <select id="book-practitioner" name="practitionerId" required>
          {props.practitioners.map((p) => (
            <option value={p.id} selected={p.id === v.practitionerId}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="book-service">Service</label>
        <select id="book-service" name="serviceId" required>
          {props.services.map((s) => (
            <option value={s.id} selected={s.id === v.serviceId}>
              {s.name} ({s.durationMin} min)
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="book-date">Date</label>
        <input id="book-date" type="date" name="date" value={v.date} required />
      </div>
      <div class="field">
        <label for="book-time">Time</label>
        <input id="book-time" type="time" name="time" value={v.time} step="300" required />
      </div>
      <fieldset class="stack">
        <legend>Patient</legend>
        <div class="field">
          <label for="patient-search">Find a patient</label>
          <input
            id="patient-search"
            name="q"
            type="search"
            autocomplete="off"
            value={v.patientLabel}
            hx-get="/staff/patients/search"
            hx-trigger="input changed delay:250ms"
            hx-target="#patient-results"
            aria-describedby="patient-search-hint"
          />
          <small id="patient-search-hint" class="muted">
            Name, email or phone; at least two letters.
          </small>
        </div>
        <div id="patient-results" aria-live="polite">
          {v.patientId ? (
            <PatientChoices patients={[{ id: v.patientId, label: v.patientLabel }]} chosen={v.patientId} />
          ) : null}
        </div>
        <details open={Boolean(v.firstName || v.lastName)}>
          <summary>Or add a new patient</summary>
          <div class="field">
            <label for="new-first">First name</label>
            <input id="new-first" name="firstName" value={v.firstName} autocomplete="off" />
          </div>
          <div class="field">
            <label for="new-last">Last name</label>
            <input id="new-last" name="lastName" value={v.lastName} autocomplete="off" />
          </div>
          <div class="field">
            <label for="new-dob">Date of birth</label>
            <input id="new-dob" type="date" name="dateOfBirth" value={v.dateOfBirth} />
          </div>
          <div class="field">
            <label for="new-email">Email</label>
            <input id="new-email" type="email" name="email" value={v.email} autocomplete="off" />
          </div>
          <div class="field">
            <label for="new-phone">Phone</label>
            <input id="new-phone" type="tel" name="phone" value={v.phone} autocomplete="off" />
          </div>
        </details>
      </fieldset>
      <details open={Boolean(v.count)}>
        <summary>Repeat</summary>
        <div class="field">
          <label for="book-every">Every … weeks</label>
          <input
            id="book-every"
            type="number"
            name="everyWeeks"
            min={1}
            max={12}
            value={v.everyWeeks || '1'}
            inputmode="numeric"
          />
        </div>
        <div class="field">
          <label for="book-count">Number of appointments</label>
          <input
            id="book-count"
            type="number"
            name="count"
            min={2}
            max={52}
            value={v.count}
            inputmode="numeric"
            aria-describedby="book-count-hint"
          />
          <small id="book-count-hint" class="muted">
            Leave empty for one appointment. Times already taken are listed, the others booked.
          </small>
        </div>
      </details>
      <button type="submit">Book</button>
    </form>
  );
}

/** Search results as radio buttons: choosing one is choosing the patient for the booking. */
export function PatientChoices(props: {
  patients: { id: string; label: string }[];
  chosen?: string;
  query?: string;
}) {
  if (props.patients.length === 0) {
    return (
      <p class="muted">
        {props.query && props.query.trim().length >= 2 ? 'No patient found. Add a new one below.' : ''}
      </p>
    );
  }
  return (
    <fieldset class="choices">
      <legend class="visually-hidden">Matching patients</legend>
      {props.patients.map((p, i) => (
        <label>
          <input
            type="radio"
            name="patientId"
            value={p.id}
            checked={props.chosen ? p.id === props.chosen : i === 0}
          />{' '}
          {p.label}
        </label>
      ))}
    </fieldset>
  );
}
