import { AppError } from '../../lib/errors.ts';

/**
 * Which column of a CSV export holds which field: the headers of Cliniko's and Jane's exports
 * and of the generic template are recognised; the rest is chosen by the person importing (the
 * CLI's --map file, the admin page's mapping form). Shared by both, so they read a file alike.
 */

export type ImportKind = 'patients' | 'appointments';
export const importKinds: readonly ImportKind[] = ['patients', 'appointments'];

/** The system a file came from, as its header shows. */
export type ImportSource = 'cliniko' | 'jane' | 'generic';

export interface FieldSpec {
  name: string;
  /** As the mapping form labels it. */
  label: string;
  /** Normalised headers it is recognised by, in order of preference. */
  known: string[];
  /** Several columns make it (an address's lines; the first non-empty of several phones). */
  many?: boolean;
}

const person = {
  firstName: { name: 'firstName', label: 'First name', known: ['firstname', 'givenname', 'forename'] },
  lastName: { name: 'lastName', label: 'Last name', known: ['lastname', 'surname', 'familyname'] },
  dateOfBirth: {
    name: 'dateOfBirth',
    label: 'Date of birth',
    known: ['dateofbirth', 'birthdate', 'dob', 'birthday'],
  },
  email: { name: 'email', label: 'Email', known: ['email', 'emailaddress'] },
} satisfies Record<string, FieldSpec>;

/**
 * The fields of each kind. Patients: the generic template (first_name, last_name, date_of_birth,
 * email, phone, address, sex), Cliniko's patient export (First Name, Last Name, Date of Birth,
 * Email, Mobile Phone/Home Phone/Work Phone, Address 1–3, City, State, Post Code, Country, Sex)
 * and Jane's (First Name, Last Name, Birth Date, Email, Mobile Phone/Home Phone/Work Phone, Street
 * Address, Street Address Line 2, City, Province, Postal Code, Country, Sex). Appointments: the
 * generic template (email, first_name, last_name, date_of_birth, practitioner, service, start or
 * date + time, reason), Cliniko's (Patient First Name…, Practitioner, Appointment Type,
 * Appointment Start) and Jane's (…, Staff Member, Treatment, Start Date, Start Time).
 */
export const importFields: Record<ImportKind, FieldSpec[]> = {
  patients: [
    person.firstName,
    person.lastName,
    person.dateOfBirth,
    person.email,
    {
      name: 'phone',
      label: 'Phone',
      many: true,
      known: [
        'phone',
        'mobilephone',
        'mobile',
        'mobilenumber',
        'cellphone',
        'phonenumber',
        'homephone',
        'workphone',
      ],
    },
    {
      name: 'address',
      label: 'Address',
      many: true,
      known: [
        'address',
        'streetaddress',
        'address1',
        'streetaddressline2',
        'address2',
        'address3',
        'city',
        'state',
        'province',
        'postcode',
        'postalcode',
        'zip',
        'zipcode',
        'country',
      ],
    },
    { name: 'sex', label: 'Sex', known: ['sex', 'gender'] },
  ],
  appointments: [
    { ...person.email, known: ['patientemail', ...person.email.known] },
    { ...person.firstName, known: ['patientfirstname', ...person.firstName.known] },
    { ...person.lastName, known: ['patientlastname', ...person.lastName.known] },
    {
      ...person.dateOfBirth,
      known: ['patientdateofbirth', 'patientbirthdate', ...person.dateOfBirth.known],
    },
    {
      name: 'practitioner',
      label: 'Practitioner',
      known: ['practitioner', 'practitionername', 'staffmember', 'staff', 'provider', 'clinician'],
    },
    {
      name: 'service',
      label: 'Service',
      known: ['service', 'servicename', 'appointmenttype', 'treatment', 'type'],
    },
    {
      name: 'start',
      label: 'Start (date and time)',
      known: ['start', 'appointmentstart', 'startsat', 'startdatetime', 'starts'],
    },
    { name: 'date', label: 'Date', known: ['date', 'appointmentdate', 'startdate'] },
    { name: 'time', label: 'Time', known: ['time', 'starttime', 'appointmenttime'] },
    { name: 'reason', label: 'Reason for the visit', known: ['reason', 'visitreason', 'reasonforvisit'] },
  ],
};

/** For each field, the columns (by index) that make it. */
export type Mapping = Record<string, number[]>;
/** For each field, the headers of the columns that make it (what --map gives and the import keeps). */
export type ColumnChoice = Record<string, string[]>;

/** A header as compared: lower case, letters and digits only ("Date of Birth" → "dateofbirth"). */
export const normHeader = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

const markers: Record<Exclude<ImportSource, 'generic'>, string[]> = {
  cliniko: ['address1', 'postcode', 'preferredfirstname', 'appointmenttype', 'appointmentstart'],
  jane: ['streetaddress', 'province', 'postalcode', 'patientnumber', 'birthdate', 'staffmember', 'treatment'],
};

/** Which system's export the header looks like (the generic template when neither). */
export function detectSource(header: readonly string[]): ImportSource {
  const names = new Set(header.map(normHeader));
  const score = (s: keyof typeof markers) => markers[s].filter((m) => names.has(m)).length;
  const [cliniko, jane] = [score('cliniko'), score('jane')];
  if (cliniko === 0 && jane === 0) return 'generic';
  return cliniko >= jane ? 'cliniko' : 'jane';
}

export class MappingError extends AppError {
  constructor(message: string) {
    super('mapping_incomplete', { text: message }, { status: 422 });
  }
}

/**
 * The columns of each field: those `choice` names (by header, exactly or as normalised), else
 * the recognised ones. Throws a MappingError naming what is missing for the kind.
 */
export function mappingFor(kind: ImportKind, header: readonly string[], choice: ColumnChoice = {}): Mapping {
  const mapping = recogniseColumns(kind, header, choice);
  const missing = missingFields(kind, mapping);
  if (missing) {
    throw new MappingError(
      `no column for ${missing} among the headers (${header.join(', ')}): name them with --map map.json, e.g. {"${kind === 'patients' ? 'firstName": "Given name' : 'practitioner": "Clinician'}"}`,
    );
  }
  return mapping;
}

/** The columns of each field as `mappingFor` finds them, complete or not. */
export function recogniseColumns(
  kind: ImportKind,
  header: readonly string[],
  choice: ColumnChoice = {},
): Mapping {
  const normalised = header.map(normHeader);
  const mapping: Mapping = {};
  const taken = new Set<number>();
  for (const field of importFields[kind]) {
    const wanted = choice[field.name];
    if (wanted) {
      mapping[field.name] = wanted.map((name) => {
        const i = header.indexOf(name);
        const j = i >= 0 ? i : normalised.indexOf(normHeader(name));
        if (j < 0) throw new MappingError(`the file has no column "${name}" (for ${field.name})`);
        return j;
      });
      continue;
    }
    const columns = field.known.flatMap((name) => {
      const i = normalised.indexOf(name);
      return i >= 0 && !taken.has(i) ? [i] : [];
    });
    mapping[field.name] = field.many ? columns : columns.slice(0, 1);
    for (const i of mapping[field.name]!) taken.add(i);
  }
  return mapping;
}

/** What a mapping still lacks for its kind, in words ('' when nothing). */
export function missingFields(kind: ImportKind, mapping: Mapping): string {
  const has = (f: string) => (mapping[f]?.length ?? 0) > 0;
  if (kind === 'patients') {
    return ['firstName', 'lastName', 'dateOfBirth'].filter((f) => !has(f)).join(', ');
  }
  const missing = ['practitioner', 'service'].filter((f) => !has(f));
  if (!has('start') && !(has('date') && has('time'))) missing.push('start (or date and time)');
  if (!has('email') && !(has('firstName') && has('lastName') && has('dateOfBirth')))
    missing.push('email (or firstName, lastName and dateOfBirth)');
  return missing.join(', ');
}

/** The headers a mapping names, field by field (to keep, and to show as `field ← header + header`). */
export function choiceOf(kind: ImportKind, header: readonly string[], mapping: Mapping): ColumnChoice {
  return Object.fromEntries(
    importFields[kind].map((f) => [f.name, (mapping[f.name] ?? []).map((i) => header[i]!)]),
  );
}

/** `firstName ← First Name, phone ← Mobile Phone + Home Phone, …` (the fields that have a column). */
export function describeMapping(kind: ImportKind, header: readonly string[], mapping: Mapping): string {
  return importFields[kind]
    .filter((f) => mapping[f.name]?.length)
    .map((f) => `${f.name} ← ${mapping[f.name]!.map((i) => header[i]).join(' + ')}`)
    .join(', ');
}

/** A row's cell readers under a mapping: the first non-empty column, or all non-empty ones. */
export function cellsOf(cells: readonly string[], mapping: Mapping) {
  const cell = (i: number) => (cells[i] ?? '').trim();
  return {
    first: (f: string) => (mapping[f] ?? []).map(cell).find((v) => v !== '') ?? '',
    all: (f: string) => (mapping[f] ?? []).map(cell).filter((v) => v !== ''),
  };
}
