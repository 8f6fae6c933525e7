import { Field } from './fields.tsx';

/** The accepted forms of a date of birth typed here, as its placeholder shows the first. */
export const DATE_OF_BIRTH_PLACEHOLDER = 'dd/mm/yyyy';

/**
 * A new patient's fields, in the order forms show them: the calendar's booking panel ("Or add a
 * new patient") and the Patients page's "Add a patient" both render this one list.
 */
export const newPatientFields = [
  { id: 'new-first', name: 'firstName', label: 'First name' },
  { id: 'new-last', name: 'lastName', label: 'Last name' },
  {
    id: 'new-dob',
    name: 'dateOfBirth',
    label: 'Date of birth',
    placeholder: DATE_OF_BIRTH_PLACEHOLDER,
    inputmode: 'numeric',
    hint: 'Day, month, year: 31/12/1980 (1980-12-31 works too).',
  },
  { id: 'new-email', name: 'email', label: 'Email', type: 'email' },
  { id: 'new-phone', name: 'phone', label: 'Phone', type: 'tel' },
] as const;

/** A field of a new patient, by its form name. */
export type NewPatientField = (typeof newPatientFields)[number]['name'];

/**
 * The fields themselves, with what was typed and each one's error: `required` where the form asks
 * for a name and date of birth (the Patients page), none where every one is optional (booking).
 */
export function NewPatientFields(props: {
  values: Partial<Record<NewPatientField, string>>;
  errors: Partial<Record<NewPatientField, string>>;
  focus: (name: NewPatientField) => boolean;
  required: readonly NewPatientField[];
}) {
  return (
    <>
      {newPatientFields.map(({ name, ...field }) => (
        <Field
          {...field}
          name={name}
          value={props.values[name]}
          error={props.errors[name]}
          autofocus={props.focus(name)}
          autocomplete="off"
          required={props.required.includes(name)}
        />
      ))}
    </>
  );
}
