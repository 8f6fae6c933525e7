import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  boolOption,
  configFrom,
  dataOptions,
  type OptionSpec,
  textOption,
  UsageError,
} from '../config/index.ts';
import { int } from '../config/option-spec.ts';
import { systemActor } from '../domain/audit/index.ts';
import type { ImportRowInput } from '../domain/patients/index.ts';
import { defineCommand } from './command.ts';
import { openAppForCommand } from './start.ts';

const usage =
  'clinicbox import patients FILE.csv [--map map.json] [--date-format auto|ymd|dmy|mdy] [--batch-size N] [--dry-run] [flags]';

/**
 * `clinicbox import patients FILE.csv`: patient records from another system's CSV export (Cliniko,
 * Jane, or the generic template), each row checked by the patients area's rules and written in
 * batches (one transaction each, audited); duplicates are reported, never merged; the rows refused
 * go to `<FILE>.rejected.csv` with the reason for each.
 */
export const importCommand = defineCommand({
  name: 'import',
  usage,
  summary:
    'Import patients from a CSV export (Cliniko, Jane or the generic template): duplicates reported, refused rows written to FILE.rejected.csv (exit 1 when any).',
  options: {
    ...dataOptions,
    map: textOption(
      'map',
      'file',
      'a path to a JSON file',
      'Which column holds which field, over the recognised headers: {"firstName": "Given name", "address": ["Street", "Town"]} (fields: firstName, lastName, dateOfBirth, email, phone, address, sex).',
    ),
    dateFormat: {
      flag: 'date-format',
      metavar: 'order',
      accepts: 'auto, ymd, dmy or mdy',
      describe:
        'How dates of birth with slashes or dots are read (12/03/1980): dmy, mdy, ymd (only year-first dates are accepted), or auto = by the clinic locale (mdy for en-US, dmy otherwise). YYYY-MM-DD (and YYYY/MM/DD) is always read.',
      default: 'auto',
      schema: z.enum(['auto', 'ymd', 'dmy', 'mdy']),
    } as OptionSpec<'auto' | 'ymd' | 'dmy' | 'mdy'>,
    batchSize: {
      flag: 'batch-size',
      metavar: 'rows',
      accepts: 'a number 1–10000',
      describe: 'Rows written per transaction: a stopped import leaves whole batches only.',
      default: 500,
      schema: int(1, 10_000),
    } as OptionSpec<number>,
    dryRun: boolOption(
      'dry-run',
      false,
      'Check every row and print the same report (and the rejected-rows file) without writing a record.',
    ),
  },
  async run(values, positionals, ctx) {
    if (positionals[0] !== 'patients' || positionals.length !== 2) {
      ctx.err(`usage: ${usage}`);
      return 2;
    }
    const file = positionals[1]!;
    let table: CsvTable;
    let mapping: Mapping;
    try {
      table = readCsv(file);
      mapping = mappingFor(table.header, values.map ? readMap(values.map) : {});
    } catch (e) {
      if (e instanceof UsageError) {
        ctx.err(e.message);
        return 2;
      }
      throw e;
    }
    const config = configFrom({ ...values, logLevel: 'warn' as const });
    const app = await openAppForCommand(config, ctx, { command: 'import', worker: false });
    if (!app) return 1;
    try {
      const clinic = await app.deps.clinic.get();
      const order =
        values.dateFormat === 'auto' ? (clinic.locale === 'en-US' ? 'mdy' : 'dmy') : values.dateFormat;
      ctx.out(
        `columns: ${fields
          .filter((f) => mapping[f].length)
          .map((f) => `${f} ← ${mapping[f].map((i) => table.header[i]).join(' + ')}`)
          .join(', ')}`,
      );
      const run = await app.deps.patients.startImport(systemActor);
      const tty = Boolean(process.stdout.isTTY);
      const total = table.rows.length;
      const rejected: { line: number; cells: string[]; reason: string }[] = [];
      let imported = 0;
      let onFile = 0;
      let batchNo = 0;
      const showProgress = (done: number) => {
        if (!tty) return;
        const width = 30;
        const filled = Math.round((total ? done / total : 1) * width);
        process.stdout.write(
          `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} rows  ${imported} ${values.dryRun ? 'to import' : 'imported'}  ${rejected.length} rejected`,
        );
      };
      for (let start = 0; start < total; start += values.batchSize) {
        const slice = table.rows.slice(start, start + values.batchSize);
        const batch = [];
        for (const [i, cells] of slice.entries()) {
          const line = table.firstLine + start + i;
          const outcome = run.check(line, rowInput(cells, mapping, order));
          if (outcome.kind === 'new') batch.push(outcome.row);
          else if (outcome.kind === 'on-file') onFile++;
          else rejected.push({ line, cells, reason: outcome.reason });
        }
        if (!values.dryRun) await run.write(batch);
        imported += batch.length;
        batchNo++;
        const done = Math.min(total, start + values.batchSize);
        if (tty) showProgress(done);
        else {
          ctx.out(
            `batch ${batchNo}: rows ${start + 1}-${done} of ${total}: ${batch.length} ${values.dryRun ? 'to import' : 'imported'}`,
          );
        }
      }
      if (tty) process.stdout.write('\n');
      const rejectedFile = `${file}.rejected.csv`;
      if (rejected.length) {
        const lines = [
          toCsvLine([...table.header, 'line', 'reason']),
          ...rejected.map((r) => toCsvLine([...r.cells, String(r.line), r.reason])),
        ];
        writeFileSync(rejectedFile, `${lines.join('\r\n')}\r\n`);
      } else {
        // A file left by an earlier run would say rows were refused that this run took.
        rmSync(rejectedFile, { force: true });
      }
      ctx.out(
        `${values.dryRun ? 'dry run (nothing written): ' : ''}${total} rows: ${imported} ${values.dryRun ? 'would be imported' : 'imported'}, ${onFile} already on file (skipped), ${rejected.length} rejected`,
      );
      if (rejected.length) ctx.out(`rejected rows with the reason for each: ${rejectedFile}`);
      return rejected.length ? 1 : 0;
    } finally {
      await app.stop(0);
    }
  },
});

interface CsvTable {
  header: string[];
  rows: string[][];
  /** The file line of the first row (lines are counted from 1, the header's is 1). */
  firstLine: number;
}

function readCsv(file: string): CsvTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`${file}: cannot read it (${(e as Error).message})`);
  }
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true });
  } catch (e) {
    throw new UsageError(`${file}: not a CSV file (${(e as Error).message})`);
  }
  const [header, ...rows] = records;
  if (!header) throw new UsageError(`${file}: the file is empty (a header line is needed)`);
  return { header: header.map((h) => h.trim()), rows, firstLine: 2 };
}

const fields = ['firstName', 'lastName', 'dateOfBirth', 'email', 'phone', 'address', 'sex'] as const;
type Field = (typeof fields)[number];
/** For each field, the columns (by index) that make it: several for an address, the first non-empty for a phone. */
type Mapping = Record<Field, number[]>;

/** A header as compared: lower case, letters and digits only ("Date of Birth" → "dateofbirth"). */
const norm = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The headers each field is recognised by, in order of preference: the generic template
 * (first_name, last_name, date_of_birth, email, phone, address, sex), Cliniko's patient export
 * (First Name, Last Name, Date of Birth, Email, Mobile Phone/Home Phone/Work Phone, Address 1–3,
 * City, State, Post Code, Country, Sex) and Jane's (First Name, Last Name, Birth Date, Email,
 * Mobile Phone/Home Phone/Work Phone, Street Address, Street Address Line 2, City, Province,
 * Postal Code, Country, Sex).
 */
const known: Record<Field, string[]> = {
  firstName: ['firstname', 'givenname', 'forename'],
  lastName: ['lastname', 'surname', 'familyname'],
  dateOfBirth: ['dateofbirth', 'birthdate', 'dob', 'birthday'],
  email: ['email', 'emailaddress'],
  phone: [
    'phone',
    'mobilephone',
    'mobile',
    'mobilenumber',
    'cellphone',
    'phonenumber',
    'homephone',
    'workphone',
  ],
  address: [
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
  sex: ['sex', 'gender'],
};

function mappingFor(header: string[], overrides: Partial<Record<Field, string[]>>): Mapping {
  const normalised = header.map(norm);
  const mapping = {} as Mapping;
  for (const field of fields) {
    const wanted = overrides[field];
    if (wanted) {
      mapping[field] = wanted.map((name) => {
        const i = header.indexOf(name);
        const j = i >= 0 ? i : normalised.indexOf(norm(name));
        if (j < 0) throw new UsageError(`--map: the file has no column "${name}" (for ${field})`);
        return j;
      });
      continue;
    }
    const columns = known[field].flatMap((name) => {
      const i = normalised.indexOf(name);
      return i >= 0 ? [i] : [];
    });
    mapping[field] = field === 'address' || field === 'phone' ? columns : columns.slice(0, 1);
  }
  const missing = (['firstName', 'lastName', 'dateOfBirth'] as const).filter((f) => mapping[f].length === 0);
  if (missing.length) {
    throw new UsageError(
      `no column for ${missing.join(', ')} among the headers (${header.join(', ')}): name them with --map map.json, e.g. {"firstName": "Given name"}`,
    );
  }
  return mapping;
}

function readMap(file: string): Partial<Record<Field, string[]>> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--map ${file}: not a readable JSON file (${(e as Error).message})`);
  }
  const schema = z.partialRecord(
    z.enum(fields),
    z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  );
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new UsageError(
      `--map ${file}: give an object of field → column header (or a list of headers); fields: ${fields.join(', ')}`,
    );
  }
  return Object.fromEntries(
    Object.entries(parsed.data).map(([k, v]) => [k, Array.isArray(v) ? v : [v as string]]),
  ) as Partial<Record<Field, string[]>>;
}

function rowInput(cells: string[], mapping: Mapping, order: 'ymd' | 'dmy' | 'mdy'): ImportRowInput {
  const cell = (i: number) => (cells[i] ?? '').trim();
  const first = (f: Field) => mapping[f].map(cell).find((v) => v !== '') ?? '';
  return {
    firstName: first('firstName'),
    lastName: first('lastName'),
    dateOfBirth: isoDate(first('dateOfBirth'), order),
    email: first('email'),
    phone: first('phone'),
    address: mapping.address
      .map(cell)
      .filter((v) => v !== '')
      .join('\n'),
    sex: sexOf(first('sex')),
  };
}

/**
 * A date of birth as YYYY-MM-DD: ISO dates (1980-03-12, also 1980/03/12) always; 12/03/1980 (or
 * with dots or dashes) in `order`; anything else as typed, for the patients area to refuse.
 */
export function isoDate(typed: string, order: 'ymd' | 'dmy' | 'mdy'): string {
  const t = typed.replace(/[T ]\d{1,2}:\d{2}.*$/, '').trim();
  const ymd = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  const other = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(t);
  let d: DateTime | undefined;
  if (ymd) d = DateTime.fromObject({ year: +ymd[1]!, month: +ymd[2]!, day: +ymd[3]! }, { zone: 'UTC' });
  else if (other && order !== 'ymd') {
    const [a, b] = [+other[1]!, +other[2]!];
    const [day, month] = order === 'dmy' ? [a, b] : [b, a];
    d = DateTime.fromObject({ year: +other[3]!, month, day }, { zone: 'UTC' });
  }
  return d?.isValid ? d.toISODate()! : typed;
}

/** Sex as the record keeps it: M/Male → male, F/Female → female, X/Other/Non-binary → other; else as typed. */
function sexOf(typed: string): string {
  const t = typed.trim().toLowerCase();
  if (t === '') return '';
  if (t === 'm' || t === 'male') return 'male';
  if (t === 'f' || t === 'female') return 'female';
  if (['x', 'o', 'other', 'nonbinary', 'non-binary', 'intersex'].includes(t)) return 'other';
  if (['u', 'unknown', 'prefer not to say', 'not specified', 'unspecified'].includes(t)) return 'unknown';
  return typed;
}

/** One CSV line, each cell quoted when it needs to be. */
function toCsvLine(cells: string[]): string {
  return cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}
