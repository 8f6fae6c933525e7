import { DateTimeFields, PatientSearchField } from '../../components/booking-fields.tsx';
import { Field, FieldError, SelectField } from '../../components/fields.tsx';
import { NewPatientFields } from '../../components/new-patient-fields.tsx';
import { Alert } from '../../components/notice.tsx';

/**
 * The calendar's booking form (a free time was chosen): a fragment for htmx and the body of a full
 * page without JavaScript. The patient is found as you type and chosen by the member (never by
 * the search), or added on the spot; a weekly series books several at once. What is wrong is said
 * under the field it is about; a time already past is booked only once confirmed.
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
  /** The form's own id: sent twice at once (a double click), its new patient is made once. */
  submission: string;
  /** The reason for the visit, when the service asks for one. */
  reason?: string;
  /** Yes, book this time although it has passed. */
  confirmPast?: boolean;
  /** What is wrong, by field (`start`: the date and time; `form`: the booking as a whole). */
  errors?: BookingErrors;
}

/** The fields a booking refusal can be about. */
export type BookingField =
  | 'practitionerId'
  | 'serviceId'
  | 'start'
  | 'confirmPast'
  | 'patientId'
  | 'firstName'
  | 'lastName'
  | 'dateOfBirth'
  | 'email'
  | 'phone'
  | 'reason'
  | 'everyWeeks'
  | 'count'
  | 'form';
export type BookingErrors = Partial<Record<BookingField, string>>;

export function BookingForm(props: {
  csrf: string;
  values: BookingFormValues;
  practitioners: { id: string; name: string }[];
  services: { id: string; name: string; durationMin: number; askReason?: boolean }[];
  /** A refusal not placed by field (the whole message). */
  error?: string | undefined;
}) {
  const v = props.values;
  const errors: BookingErrors = v.errors ?? (props.error ? { form: props.error } : {});
  const first = firstInvalid(errors);
  const asking = new Set(props.services.filter((s) => s.askReason).map((s) => s.id));
  return (
    <form
      method="post"
      action="/staff/appointments"
      hx-post="/staff/appointments"
      hx-target="#panel"
      class="stack booking-form"
      aria-labelledby="book-title"
      data-booking-form=""
      novalidate
    >
      <script src="/static/booking-form.js" />
      <h2 id="book-title">New appointment</h2>
      <input type="hidden" name="_csrf" value={props.csrf} />
      <input type="hidden" name="submission" value={v.submission} />
      <SelectField
        id="book-practitioner"
        name="practitionerId"
        label="With"
        options={props.practitioners}
        selected={v.practitionerId}
        required
        error={errors.practitionerId}
      />
      <SelectField
        id="book-service"
        name="serviceId"
        label="Service"
        options={props.services.map((s) => ({ id: s.id, name: `${s.name} (${s.durationMin} min)` }))}
        selected={v.serviceId}
        required
        error={errors.serviceId}
        optionAttributes={(id) => (asking.has(id) ? { 'data-ask-reason': '' } : undefined)}
      />
      <DateTimeFields
        idPrefix="book"
        date={v.date}
        time={v.time}
        error={errors.start}
        autofocus={first === 'start'}
      />
      {errors.confirmPast || v.confirmPast ? (
        <PastConfirmation
          checked={Boolean(v.confirmPast)}
          error={errors.confirmPast}
          autofocus={first === 'confirmPast'}
        />
      ) : null}
      <PatientFields v={v} errors={errors} first={first} />
      <ReasonField value={v.reason ?? ''} shown={asking.has(v.serviceId)} error={errors.reason} />
      <RepeatFields v={v} errors={errors} />
      <p class="booking-for" id="book-for" data-booking-for="" aria-live="polite">
        {chosenSummary(v)}
      </p>
      <Alert error={errors.form} />
      <button type="submit" aria-describedby="book-for">
        Book
      </button>
    </form>
  );
}

/** The order fields come in the form: the first one wrong gets the focus. */
export const bookingFieldOrder: readonly BookingField[] = [
  'practitionerId',
  'serviceId',
  'start',
  'confirmPast',
  'patientId',
  'firstName',
  'lastName',
  'dateOfBirth',
  'email',
  'phone',
  'reason',
  'everyWeeks',
  'count',
];
const firstInvalid = (errors: BookingErrors) => bookingFieldOrder.find((f) => errors[f]);

/** Who the booking is for, as the line above Book says it (static/booking-form.js keeps it current). */
function chosenSummary(v: BookingFormValues): string {
  if (v.patientId) return `Patient: ${v.patientLabel}`;
  const typed = [v.firstName, v.lastName].filter(Boolean).join(' ');
  if (typed) return `New patient: ${typed}${v.dateOfBirth ? `, born ${v.dateOfBirth}` : ''}`;
  return 'No patient chosen yet: find one above and choose them, or add a new one.';
}

/** The time has passed: book it anyway? (The patient is then sent no confirmation.) */
function PastConfirmation(props: { checked: boolean; error: string | undefined; autofocus: boolean }) {
  return (
    <div class="field past-confirmation">
      <FieldError id="book-confirm-past" text={props.error} />
      <label>
        <input
          id="book-confirm-past"
          type="checkbox"
          name="confirmPast"
          checked={props.checked}
          autofocus={props.autofocus}
          aria-describedby={props.error ? 'book-confirm-past-error' : undefined}
        />{' '}
        Book this past time anyway (the patient is sent no confirmation)
      </label>
    </div>
  );
}

/** The patient: found as you type and then chosen (radio choices), or a new one. */
function PatientFields(props: {
  v: BookingFormValues;
  errors: BookingErrors;
  first: BookingField | undefined;
}) {
  const { v, errors, first } = props;
  const focus = (f: BookingField) => first === f;
  const newOpen = Boolean(
    v.firstName || v.lastName || errors.firstName || errors.lastName || errors.dateOfBirth,
  );
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
        error={errors.patientId}
        {...(focus('patientId') ? { autofocus: true } : {})}
      />
      <div id="patient-results" aria-live="polite">
        {v.patientId ? (
          <PatientChoices patients={[{ id: v.patientId, label: v.patientLabel }]} chosen={v.patientId} />
        ) : null}
      </div>
      <details open={newOpen}>
        <summary>Or add a new patient</summary>
        <NewPatientFields values={v} errors={errors} focus={focus} required={[]} />
      </details>
    </fieldset>
  );
}

/** The reason for the visit: shown when the chosen service asks for one (static/booking-form.js follows the choice). */
function ReasonField(props: { value: string; shown: boolean; error: string | undefined }) {
  return (
    <div class="field" data-reason-field="" hidden={!props.shown}>
      <label for="book-reason">Reason for the visit (optional)</label>
      <textarea
        id="book-reason"
        name="reason"
        rows={3}
        maxlength={500}
        aria-describedby={props.error ? 'book-reason-hint book-reason-error' : 'book-reason-hint'}
        aria-invalid={props.error ? 'true' : undefined}
        autofocus={Boolean(props.error)}
      >
        {props.value}
      </textarea>
      <small id="book-reason-hint" class="muted">
        Shown to the clinic’s staff only, never in a message.
      </small>
      <FieldError id="book-reason" text={props.error} />
    </div>
  );
}

/** Recurring: every N weeks, N times. */
function RepeatFields({ v, errors }: { v: BookingFormValues; errors: BookingErrors }) {
  return (
    <details open={Boolean(v.count || errors.count || errors.everyWeeks)}>
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
        error={errors.everyWeeks}
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
        error={errors.count}
      />
    </details>
  );
}

/**
 * Search results as radio buttons: choosing one is choosing the patient for the booking. None is
 * chosen until the member chooses (a search that picked the first match booked the wrong patient).
 */
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
      {props.patients.map((p) => (
        <label>
          <input
            type="radio"
            name="patientId"
            value={p.id}
            checked={p.id === props.chosen}
            data-summary={p.label}
          />{' '}
          {p.label}
        </label>
      ))}
    </fieldset>
  );
}
