import type { DbCtx } from '../../db/client.ts';
import type { Actor } from '../audit/index.ts';
import { insertStaffPatient } from './create-patient.ts';
import { listRecordsOnFile, type RecordOnFile } from './import.repo.ts';
import type { NewPatient } from './patients.repo.ts';
import { patientInput, searchNameOf } from './patients.schema.ts';
import type { PatientsDeps } from './patients.service.ts';
import { clinicCountry, toE164 } from './phone-numbers.ts';
import { patientSexes } from './record.schema.ts';

/**
 * Patient records brought in from another system (a CSV export), checked by the same rules as a
 * record staff create, and written in batches: each batch in one transaction with its audit rows,
 * so an import stopped half way leaves whole batches only.
 *
 * Duplicates are reported, never merged: a row with the name and date of birth, or the email, of
 * an earlier row of the file or of a record on file is refused with the reason. A row identical
 * to a record on file (same name, date of birth, email and phone) is skipped as already there:
 * that is how a second run of the same file after an interrupted one completes it without
 * making a record twice.
 */

/** One row as read from the file (text as typed; the date already read into YYYY-MM-DD where possible). */
export interface ImportRowInput {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  email: string;
  phone: string;
  address: string;
  sex: string;
}

/** A row that passed the checks, as it will be stored. */
export interface ImportableRow {
  line: number;
  fields: Pick<
    NewPatient,
    'firstName' | 'lastName' | 'dateOfBirth' | 'email' | 'phone' | 'address' | 'sex'
  > & {
    searchName: string;
  };
}

export type ImportRowOutcome =
  | { kind: 'new'; row: ImportableRow }
  | { kind: 'on-file' }
  | { kind: 'rejected'; reason: string };

/** Why a row is refused, in words for the person reading the rejected-rows file. */
const reasons: Record<string, string> = {
  first_name_required: 'first name is missing',
  last_name_required: 'last name is missing',
  date_of_birth_invalid: 'date of birth is missing or not a valid past date',
  email_invalid: 'email is not a valid address',
  phone_invalid: 'phone is not a phone number',
};

export interface PatientImport {
  /** Checks one row (and remembers it, for the duplicates of later rows). */
  check(line: number, input: ImportRowInput): ImportRowOutcome;
  /**
   * Writes rows checked as new in one transaction, each with its audit row; `inTx` runs last in
   * that transaction (an import's progress, so it commits with the batch). Refuses none.
   */
  write(
    rows: ImportableRow[],
    inTx?: (ctx: DbCtx, refused: { line: number; reason: string }[]) => Promise<void>,
  ): Promise<{ line: number; reason: string }[]>;
}

export async function startPatientImport(deps: PatientsDeps, actor: Actor): Promise<PatientImport> {
  const country = clinicCountry(await deps.clinic.get());
  const onFile = await listRecordsOnFile(deps.db.reader);
  const byNameAndBirth = new Map<string, RecordOnFile[]>();
  const byEmail = new Map<string, RecordOnFile>();
  for (const r of onFile) {
    const key = `${r.searchName}|${r.dateOfBirth}`;
    byNameAndBirth.set(key, [...(byNameAndBirth.get(key) ?? []), r]);
    if (r.email) byEmail.set(r.email.toLowerCase(), r);
  }
  const seenNameAndBirth = new Map<string, number>();
  const seenEmail = new Map<string, number>();

  function validate(line: number, input: ImportRowInput): ImportableRow | string {
    const parsed = patientInput.safeParse({
      firstName: input.firstName,
      lastName: input.lastName,
      dateOfBirth: input.dateOfBirth,
      email: input.email,
      phone: input.phone,
    });
    if (!parsed.success) {
      return parsed.error.issues
        .map((i) => reasons[i.message] ?? `${i.path.join('.')}: ${i.message}`)
        .join('; ');
    }
    const data = parsed.data;
    const phone = data.phone ? toE164(data.phone, country) : null;
    if (data.phone && !phone) return reasons.phone_invalid!;
    const sex = input.sex.trim() === '' ? null : input.sex.trim();
    if (sex !== null && !(patientSexes as readonly string[]).includes(sex)) {
      return `sex is not one of ${patientSexes.join(', ')}`;
    }
    const address = input.address.trim() || null;
    if (address && address.length > 500) return 'address is longer than 500 characters';
    return {
      line,
      fields: {
        firstName: data.firstName,
        lastName: data.lastName,
        dateOfBirth: data.dateOfBirth,
        email: data.email?.toLowerCase() ?? null,
        phone,
        address,
        sex: sex as (typeof patientSexes)[number] | null,
        searchName: searchNameOf(data.firstName, data.lastName),
      },
    };
  }

  return {
    check(line, input) {
      const row = validate(line, input);
      if (typeof row === 'string') return { kind: 'rejected', reason: row };
      const { searchName, dateOfBirth, email, phone } = row.fields;
      const nameKey = `${searchName}|${dateOfBirth}`;
      const earlier = seenNameAndBirth.get(nameKey);
      if (earlier !== undefined) {
        return { kind: 'rejected', reason: `duplicate of line ${earlier} (same name and date of birth)` };
      }
      const earlierEmail = email ? seenEmail.get(email) : undefined;
      if (earlierEmail !== undefined) {
        return { kind: 'rejected', reason: `duplicate of line ${earlierEmail} (same email)` };
      }
      seenNameAndBirth.set(nameKey, line);
      if (email) seenEmail.set(email, line);
      const sameName = byNameAndBirth.get(nameKey) ?? [];
      if (sameName.some((r) => (r.email ?? null) === email && (r.phone ?? null) === phone)) {
        return { kind: 'on-file' };
      }
      if (sameName.length > 0) {
        return {
          kind: 'rejected',
          reason: `possible duplicate of record ${sameName[0]!.id} on file (same name and date of birth)`,
        };
      }
      const sameEmail = email ? byEmail.get(email) : undefined;
      if (sameEmail) {
        return {
          kind: 'rejected',
          reason: `possible duplicate of record ${sameEmail.id} on file (same email)`,
        };
      }
      return { kind: 'new', row };
    },

    async write(rows, inTx) {
      if (rows.length === 0 && !inTx) return [];
      await deps.db.tx(async (ctx) => {
        for (const { fields } of rows)
          await insertStaffPatient(ctx, deps, actor, fields, { source: 'import' });
        await inTx?.(ctx, []);
      });
      return [];
    },
  };
}
