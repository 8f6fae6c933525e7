import { DateTimeFields, PatientSearchField } from '../../components/booking-fields.tsx';
import { Field, SelectField } from '../../components/fields.tsx';
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
      <SelectField
        id="book-practitioner"
        name="practitionerId"
        label="With"
        options={props.practitioners}
        selected={v.practitionerId}
        required
      />
      <SelectField
        id="book-service"
        name="serviceId"
        label="Service"
        options={props.services.map((s) => ({ id: s.id, name: `${s.name} (${s.durationMin} min)` }))}
        selected={v.serviceId}
        required
      />
      <DateTimeFields idPrefix="book" date={v.date} time={v.time} />
      <PatientFields v={v} />
      <RepeatFields v={v} />
      <button type="submit">Book</button>
    </form>
  );
}

/** A new patient's details are all optional here (the patients area says what is missing). */
const optional = { autocomplete: 'off', required: false } as const;

/** The patient: found as you type (radio choices), or a new one. */
function PatientFields({ v }: { v: BookingFormValues }) {
  return (
    <fieldset class="stack">
      <legend>Patient</legend>
      <PatientSearchField
        id="patient-search"
        label="Find a patient"
        value={v.patientLabel}
        results="/staff/patients/search"
        into="#patient-results"
        delayMs={250}
      />
      <div id="patient-results" aria-live="polite">
        {v.patientId ? (
          <PatientChoices patients={[{ id: v.patientId, label: v.patientLabel }]} chosen={v.patientId} />
        ) : null}
      </div>
      <details open={Boolean(v.firstName || v.lastName)}>
        <summary>Or add a new patient</summary>
        <Field id="new-first" name="firstName" label="First name" value={v.firstName} {...optional} />
        <Field id="new-last" name="lastName" label="Last name" value={v.lastName} {...optional} />
        <Field
          id="new-dob"
          name="dateOfBirth"
          label="Date of birth"
          type="date"
          value={v.dateOfBirth}
          required={false}
        />
        <Field id="new-email" name="email" label="Email" type="email" value={v.email} {...optional} />
        <Field id="new-phone" name="phone" label="Phone" type="tel" value={v.phone} {...optional} />
      </details>
    </fieldset>
  );
}

/** Recurring: every N weeks, N times. */
function RepeatFields({ v }: { v: BookingFormValues }) {
  return (
    <details open={Boolean(v.count)}>
      <summary>Repeat</summary>
      <Field
        id="book-every"
        name="everyWeeks"
        label="Every … weeks"
        type="number"
        min={1}
        max={12}
        value={v.everyWeeks || '1'}
        inputmode="numeric"
        required={false}
      />
      <Field
        id="book-count"
        name="count"
        label="Number of appointments"
        type="number"
        min={2}
        max={52}
        value={v.count}
        inputmode="numeric"
        required={false}
        hint="Leave empty for one appointment. Times already taken are listed, the others booked."
      />
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
