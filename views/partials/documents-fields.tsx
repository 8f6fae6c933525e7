import { Field, SelectField } from '../components/fields.tsx';
import type { CategoryChoice } from './documents-list.tsx';

/**
 * What describes a document besides its title, on the upload form (`upload-…` ids, category to
 * choose, today's date) and the change form (`edit-…`, the document's values and what was wrong).
 */
export function DocumentFields(props: {
  form: 'upload' | 'edit';
  categories: CategoryChoice[];
  appointments: CategoryChoice[];
  values: { category: string; documentDate: string; appointmentId: string };
  errors?: Record<string, string>;
  /** The latest date allowed (today at the clinic). */
  maxDate?: string;
}) {
  const { form, values, errors = {} } = props;
  return (
    <>
      <SelectField
        name="category"
        id={`${form}-category`}
        label="Category"
        options={props.categories}
        selected={values.category}
        blank={form === 'upload' ? 'Choose…' : undefined}
        required
        error={errors.category}
      />
      <Field
        name="documentDate"
        id={`${form}-date`}
        type="date"
        label="Date of the document"
        value={values.documentDate}
        max={props.maxDate}
        error={errors.documentDate}
      />
      <SelectField
        name="appointmentId"
        id={`${form}-appointment`}
        label="Appointment (optional)"
        options={props.appointments}
        selected={values.appointmentId}
        blank="None"
        error={errors.appointmentId}
      />
    </>
  );
}
