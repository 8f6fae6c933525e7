import type { DbCtx } from '../../db/client.ts';
import { columnsOf } from '../../db/rows.ts';

/** What an import compares each row with: every record's name, birth date and contacts. */
export interface RecordOnFile {
  id: string;
  searchName: string;
  dateOfBirth: string;
  email: string | null;
  phone: string | null;
  status: 'active' | 'archived';
}

/** Every patient record (archived ones too: an import must not make a second record of them). */
export async function listRecordsOnFile(ctx: DbCtx): Promise<RecordOnFile[]> {
  const p = ctx.t.patients;
  return ctx.db.select(columnsOf(p, ['id', 'searchName', 'dateOfBirth', 'email', 'phone', 'status'])).from(p);
}
