import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import {
  boolOption,
  choice,
  configFrom,
  dataOptions,
  int,
  option,
  textOption,
  UsageError,
} from '../config/index.ts';
import { systemActor } from '../domain/audit/index.ts';
import {
  type ColumnChoice,
  type CsvTable,
  describeMapping,
  type ImportKind,
  importFields,
  type Mapping,
  mappingFor,
  openRowImport,
  readCsvTable,
  rejectedCsv,
  runImport,
} from '../domain/imports/index.ts';
import { isAppError } from '../lib/errors.ts';
import { defineCommand } from './command.ts';
import { withCommandApp } from './start.ts';

const usage =
  'clinicbox import patients|appointments FILE.csv [--map map.json] [--date-format auto|ymd|dmy|mdy] [--batch-size N] [--dry-run] [--notify] [flags]';

/**
 * `clinicbox import patients FILE.csv` and `clinicbox import appointments FILE.csv`: records from
 * another system's CSV export (Cliniko, Jane, or the generic template), read and mapped by the
 * imports area (the admin page's Import reads files the same way), each row checked by its
 * area's rules and written in batches (one transaction each, audited); duplicates and clashes
 * are reported, never merged; the rows refused go to `<FILE>.rejected.csv` with the reason for each.
 */
export const importCommand = defineCommand({
  name: 'import',
  usage,
  summary:
    'Import patients or future appointments from a CSV export (Cliniko, Jane or the generic template): duplicates and clashes reported, refused rows written to FILE.rejected.csv (exit 1 when any).',
  options: {
    ...dataOptions,
    map: textOption(
      'map',
      'file',
      'a path to a JSON file',
      'Which column holds which field, over the recognised headers: {"firstName": "Given name", "address": ["Street", "Town"]}. Patients: firstName, lastName, dateOfBirth, email, phone, address, sex. Appointments: email, firstName, lastName, dateOfBirth, practitioner, service, start (or date and time), reason.',
    ),
    dateFormat: choice('date-format <order>', ['auto', 'ymd', 'dmy', 'mdy'], 'auto', {
      describe:
        'How dates with slashes or dots are read (12/03/1980): dmy, mdy, ymd (only year-first dates are accepted), or auto = by the clinic locale (mdy for en-US, dmy otherwise). YYYY-MM-DD (and YYYY/MM/DD) is always read. Appointment times are in the clinic time zone.',
    }),
    batchSize: option('batch-size <rows>', int(1, 10_000), 500, {
      accepts: 'a number 1–10000',
      describe: 'Rows written per transaction: a stopped import leaves whole batches only.',
    }),
    dryRun: boolOption(
      'dry-run',
      false,
      'Check every row and print the same report (and the rejected-rows file) without writing a record.',
    ),
    notify: boolOption(
      'notify',
      false,
      'Appointments: send each patient the booking confirmation and schedule the reminders, as for a booking made here (off: the import sends nothing).',
    ),
  },
  async run(values, positionals, ctx) {
    const kind = positionals[0] as ImportKind;
    if ((kind !== 'patients' && kind !== 'appointments') || positionals.length !== 2) {
      ctx.err(`usage: ${usage}`);
      return 2;
    }
    const file = positionals[1]!;
    let table: CsvTable;
    let mapping: Mapping;
    try {
      table = await readFile(file);
      const choice = values.map ? readMap(kind, values.map) : {};
      try {
        mapping = mappingFor(kind, table.header, choice);
      } catch (e) {
        if (!isAppError(e)) throw e;
        throw new UsageError(
          e.message.startsWith('the file has no column') ? `--map: ${e.message}` : e.message,
        );
      }
    } catch (e) {
      if (e instanceof UsageError) {
        ctx.err(e.message);
        return 2;
      }
      throw e;
    }
    const config = configFrom({ ...values, logLevel: 'warn' as const });
    return withCommandApp(config, ctx, 'import', async (app) => {
      ctx.out(`columns: ${describeMapping(kind, table.header, mapping)}`);
      const run = await openRowImport(app.deps, systemActor, kind, mapping, {
        dateFormat: values.dateFormat,
        notify: values.notify,
      });
      const tty = Boolean(process.stdout.isTTY);
      const total = table.rows.length;
      const done = values.dryRun ? 'to import' : 'imported';
      const result = await runImport(run, table, {
        batchSize: values.batchSize,
        dryRun: values.dryRun,
        onBatch(batch, p) {
          if (tty) {
            const width = 30;
            const filled = Math.round((total ? batch.to / total : 1) * width);
            process.stdout.write(
              `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${batch.to}/${total} rows  ${p.imported} ${done}  ${p.rejected} rejected`,
            );
          } else {
            ctx.out(
              `batch ${batch.number}: rows ${batch.from}-${batch.to} of ${total}: ${batch.written} ${done}`,
            );
          }
        },
      });
      if (tty) process.stdout.write('\n');
      const rejectedFile = `${file}.rejected.csv`;
      if (result.rejectedRows.length)
        writeFileSync(rejectedFile, rejectedCsv(table.header, result.rejectedRows));
      // A file left by an earlier run would say rows were refused that this run took.
      else rmSync(rejectedFile, { force: true });
      ctx.out(
        `${values.dryRun ? 'dry run (nothing written): ' : ''}${total} rows: ${result.imported} ${values.dryRun ? 'would be imported' : 'imported'}, ${result.onFile} already on file (skipped), ${result.rejected} rejected`,
      );
      if (result.rejected) ctx.out(`rejected rows with the reason for each: ${rejectedFile}`);
      return result.rejected ? 1 : 0;
    });
  },
});

async function readFile(file: string): Promise<CsvTable> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UsageError(`${file}: cannot read it (${(e as Error).message})`);
  }
  try {
    return await readCsvTable(bytes);
  } catch (e) {
    if (isAppError(e)) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

function readMap(kind: ImportKind, file: string): ColumnChoice {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--map ${file}: not a readable JSON file (${(e as Error).message})`);
  }
  const fields = importFields[kind].map((f) => f.name) as [string, ...string[]];
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
  );
}
