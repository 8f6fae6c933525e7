import { bindForm, choices, Field, SelectField, TextAreaField } from '../../components/fields.tsx';
import { Form, PostButton } from '../../components/form.tsx';
import { Section } from '../../components/section.tsx';
import { type Column, DataTable } from '../../components/table.tsx';

/*
 * The chart's record parts: the alerts banner (also in the calendar's appointment panel), the
 * alerts list with its form, the record's edit form, its history, and the appointment history.
 */

/** An active alert as a banner shows it. */
export interface AlertBannerItem {
  kind: 'allergy' | 'medical' | 'admin';
  text: string;
  severity: string | null;
}

const kindLabel = { allergy: 'Allergy', medical: 'Medical alert', admin: 'Admin note' } as const;

/** The active alerts, allergies first: what everyone handling the patient must see. Nothing when none. */
export function AlertsBanner(props: { alerts: AlertBannerItem[] }) {
  if (props.alerts.length === 0) return null;
  const order = { allergy: 0, medical: 1, admin: 2 };
  const sorted = [...props.alerts].sort((a, b) => order[a.kind] - order[b.kind]);
  return (
    <section class="error alerts-banner" aria-label="Alerts">
      <ul>
        {sorted.map((a) => (
          <li>
            <strong>
              {kindLabel[a.kind]}
              {a.severity ? ` (${a.severity})` : ''}:
            </strong>{' '}
            {a.text}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** An alert as the chart's list shows it. */
export interface AlertRowView extends AlertBannerItem {
  id: string;
  by: string;
  at: string;
  /** Whether the viewer may resolve it. */
  canResolve: boolean;
}

export interface AlertsView {
  patientId: string;
  alerts: AlertRowView[];
  /** The kinds the viewer may add (none: no form). */
  kinds: AlertBannerItem['kind'][];
  typed?: { kind: string; text: string; severity: string } | undefined;
  errors?: Record<string, string> | undefined;
}

/** The chart's "Alerts" section: active alerts with who added them, resolve buttons, and the add form. */
export function AlertsSection(props: { view: AlertsView; csrf: string }) {
  const { view } = props;
  const errors = view.errors ?? {};
  return (
    <Section id="h-alerts" title="Alerts">
      {view.alerts.length === 0 ? (
        <p>No active alerts.</p>
      ) : (
        <ul>
          {view.alerts.map((a) => (
            <li>
              <strong>{kindLabel[a.kind]}</strong>
              {a.severity ? ` (${a.severity})` : ''}: {a.text}{' '}
              <span class="muted">
                — {a.by}, {a.at}
              </span>{' '}
              {a.canResolve ? (
                <PostButton
                  action={`/staff/patients/${view.patientId}/alerts/${a.id}/resolve`}
                  csrf={props.csrf}
                  label="Resolve"
                  kind="link"
                  detail={`: ${a.text}`}
                />
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {view.kinds.length > 0 ? (
        <details open={Object.keys(errors).length > 0 ? true : undefined}>
          <summary>Add an alert</summary>
          <Form
            action={`/staff/patients/${view.patientId}/alerts`}
            csrf={props.csrf}
            label="Add an alert"
            error={errors.form}
          >
            <SelectField
              name="kind"
              label="Kind"
              options={view.kinds.map((k) => ({ id: k, name: kindLabel[k] }))}
              selected={view.typed?.kind}
              error={errors.kind}
            />
            <Field
              name="text"
              label="Alert"
              maxlength={200}
              value={view.typed?.text ?? ''}
              hint="Short: every staff member who handles the patient sees it (reception too)."
              error={errors.text}
            />
            <SelectField
              name="severity"
              label="Severity"
              options={['low', 'moderate', 'high']}
              blank="Not given"
              selected={view.typed?.severity}
              error={errors.severity}
            />
            <button type="submit">Add the alert</button>
          </Form>
        </details>
      ) : null}
    </Section>
  );
}

/** The edit form's values: the record as stored (phones for display), or what was typed. */
export interface RecordFormValues {
  version: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  sex: string;
  email: string;
  phone: string;
  address: string;
  emergencyName: string;
  emergencyRelation: string;
  emergencyPhone: string;
  referrerName: string;
  referrerPractice: string;
  referrerContact: string;
  identifiers: { type: string; value: string }[];
}

/** How many identifier rows the form offers (the record's, then blanks up to this). */
export const IDENTIFIER_ROWS = 3;

/** The chart's edit form (staff who may change records); open when it came back refused. */
export function RecordEditSection(props: {
  patientId: string;
  values: RecordFormValues;
  errors?: Record<string, string> | undefined;
  archived: boolean;
  csrf: string;
}) {
  const v = props.values;
  const errors = props.errors ?? {};
  const optional = { required: false } as const;
  const at = bindForm(v, errors);
  const rows = [...v.identifiers];
  while (rows.length < IDENTIFIER_ROWS) rows.push({ type: '', value: '' });
  return (
    <Section id="h-edit" title="Edit the record">
      <details open={Object.keys(errors).length > 0 ? true : undefined}>
        <summary>Change details, contacts, emergency contact, referrer, identifiers</summary>
        <Form
          action={`/staff/patients/${props.patientId}/record`}
          csrf={props.csrf}
          label="Edit the record"
          error={errors.form}
        >
          <input type="hidden" name="version" value={v.version} />
          <Field {...at('firstName')} label="First name" />
          <Field {...at('lastName')} label="Last name" />
          <Field {...at('dateOfBirth')} label="Date of birth" type="date" />
          <SelectField
            name="sex"
            label="Sex"
            options={['female', 'male', 'other', 'unknown']}
            blank="Not recorded"
            selected={v.sex}
            error={errors.sex}
          />
          <Field {...at('email')} label="Email" type="email" {...optional} />
          <Field {...at('phone')} label="Phone" type="tel" {...optional} />
          <TextAreaField name="address" label="Address" value={v.address} maxlength={500} />
          <fieldset>
            <legend>Emergency contact</legend>
            <Field name="emergencyName" label="Name" value={v.emergencyName} {...optional} />
            <Field name="emergencyRelation" label="Relation" value={v.emergencyRelation} {...optional} />
            <Field
              name="emergencyPhone"
              label="Phone"
              type="tel"
              value={v.emergencyPhone}
              error={errors.emergencyContact}
              {...optional}
            />
          </fieldset>
          <fieldset>
            <legend>Referrer or GP</legend>
            <Field name="referrerName" label="Name" value={v.referrerName} {...optional} />
            <Field name="referrerPractice" label="Practice" value={v.referrerPractice} {...optional} />
            <Field name="referrerContact" label="Contact" value={v.referrerContact} {...optional} />
          </fieldset>
          <fieldset>
            <legend>Identifiers</legend>
            {errors.identifiers ? <p class="field-error">{errors.identifiers}</p> : null}
            {rows.map((row, i) => (
              <div class="filters">
                <SelectField
                  name={`idType${i}`}
                  label={`Identifier ${i + 1}: type`}
                  options={choices({
                    insurance: 'Insurance number',
                    national: 'National number',
                    other: 'Other',
                  })}
                  blank="—"
                  selected={row.type}
                />
                <Field name={`idValue${i}`} label="Number" value={row.value} {...optional} />
              </div>
            ))}
          </fieldset>
          <button type="submit">Save the record</button>
        </Form>
      </details>
      <p>
        {props.archived
          ? 'This record is archived: it is out of search and cannot be booked.'
          : 'Archiving takes the record out of search and booking; everything on it is kept.'}{' '}
        <PostButton
          action={`/staff/patients/${props.patientId}/${props.archived ? 'unarchive' : 'archive'}`}
          csrf={props.csrf}
          label={props.archived ? 'Unarchive' : 'Archive the record'}
          kind="secondary"
          fields={{ version: v.version }}
        />
      </p>
    </Section>
  );
}

/** One change as the history shows it. */
export interface HistoryRowView {
  at: string;
  by: string;
  field: string;
  from: string;
  to: string;
}

/** The record's history: each field changed, old and new, who and when (newest first). */
const historyColumns: Column<HistoryRowView>[] = [
  { head: 'When', cell: (r) => r.at },
  { head: 'Who', cell: (r) => r.by },
  { head: 'Field', cell: (r) => r.field },
  { head: 'From', cell: (r) => r.from },
  { head: 'To', cell: (r) => r.to },
];

export function RecordHistorySection(props: { rows: HistoryRowView[] }) {
  return (
    <Section id="h-history" title="History">
      {props.rows.length === 0 ? (
        <p>No changes since the record was made.</p>
      ) : (
        <details>
          <summary>
            {props.rows.length} change{props.rows.length === 1 ? '' : 's'}
          </summary>
          <DataTable
            rows={props.rows}
            columns={historyColumns}
            caption="Changes to the record, newest first"
          />
        </details>
      )}
    </Section>
  );
}

/** An appointment as the chart lists it. */
export interface ChartAppointmentView {
  id: string;
  when: string;
  service: string;
  status: string;
}

/**
 * Upcoming (soonest first) and past (newest first) appointments with their status, each opening
 * its appointment (to move, cancel or mark it) from its time.
 */
export function AppointmentHistorySection(props: {
  upcoming: ChartAppointmentView[];
  past: ChartAppointmentView[];
}) {
  const list = (rows: ChartAppointmentView[], none: string) =>
    rows.length === 0 ? (
      <p>{none}</p>
    ) : (
      <ul>
        {rows.map((a) => (
          <li>
            <a href={`/staff/appointments/${a.id}`}>{a.when}</a> · {a.service} ·{' '}
            <span class={`status-${a.status}`}>{a.status.replace('_', ' ')}</span>
          </li>
        ))}
      </ul>
    );
  return (
    <Section id="h-appointments" title="Appointments">
      <h3>Upcoming</h3>
      {list(props.upcoming, 'None booked.')}
      <h3>Past</h3>
      {list(props.past, 'None yet.')}
    </Section>
  );
}
