import { Alert } from '../../components/notice.tsx';

/**
 * The calendar's booking form (a free time was chosen): a fragment for htmx and the body of a full
 * page without JavaScript. The patient is found as you type, or added on the spot; a weekly
 * series books several at once.
 */
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
      <Alert error={props.error} />
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
      <PatientFields v={v} />
      <RepeatFields v={v} />
      <button type="submit">Book</button>
    </form>
  );
}

/** The patient: found as you type (radio choices), or a new one. */
function PatientFields({ v }: { v: BookingFormValues }) {
  return (
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
  );
}

/** Recurring: every N weeks, N times. */
function RepeatFields({ v }: { v: BookingFormValues }) {
  return (
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
