import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { tableSpecs } from '../src/backup/index.ts';
import { queryRows } from '../src/db/client.ts';
import { tempDir } from './cli-setup.ts';
import { cli, clinicWithDocuments, databasesPerTest } from './cli-storage-world.ts';

/**
 * `clinicbox export --to DIR` as a person runs it (a child process, on the suite's dialect):
 * every table as NDJSON and CSV, the documents decrypted, a README naming every table.
 */
const newDatabase = databasesPerTest();

describe('clinicbox export', () => {
  it('writes every table as NDJSON and CSV with the database’s rows, the documents as uploaded and a README; refuses a non-empty folder', {
    timeout: 60_000,
  }, async () => {
    const clinic = await clinicWithDocuments(await newDatabase(), {}, 2, 5_000);
    const to = join(tempDir(), 'export');
    const r = await cli(['export', ...clinic.flags, '--to', to]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^patients: 1 rows$/m);
    expect(r.stdout).toMatch(/^documents: 2 files$/m);

    // Counted after the export: only its own audit row (export.all) came after the snapshot.
    const app = await createApp(clinic.config);
    const counts = new Map<string, number>();
    let specs: ReturnType<typeof tableSpecs> = [];
    try {
      specs = tableSpecs(app.deps.db.dialect);
      for (const spec of specs) {
        const [row] = await queryRows<{ n: number | string }>(
          app.deps.db.reader,
          sql`select count(*) as n from ${sql.identifier(spec.name)}`,
        );
        counts.set(spec.name, Number(row!.n));
      }
      const [last] = await queryRows<{ action: string }>(
        app.deps.db.reader,
        sql`select action from audit_log order by id desc limit 1`,
      );
      expect(last!.action).toBe('export.all');
    } finally {
      await app.stop(0);
    }

    expect(statSync(to).mode & 0o777).toBe(0o700);
    const readme = readFileSync(join(to, 'README.md'), 'utf8');
    for (const spec of specs) {
      const lines = readFileSync(join(to, 'tables', `${spec.name}.ndjson`), 'utf8')
        .split('\n')
        .filter(Boolean);
      const csv = parse(readFileSync(join(to, 'tables', `${spec.name}.csv`)), {}) as string[][];
      const expected = counts.get(spec.name)! - (spec.name === 'audit_log' ? 1 : 0);
      expect(lines.length, spec.name).toBe(expected);
      expect(csv.length - 1, spec.name).toBe(expected);
      expect(csv[0], spec.name).toEqual([...spec.columns.keys()]);
      expect(statSync(join(to, 'tables', `${spec.name}.csv`)).mode & 0o777).toBe(0o600);
      expect(readme).toContain(`### ${spec.name}\n`);
    }
    expect(counts.get('patients')).toBe(1);

    const patients = parse(readFileSync(join(to, 'tables', 'patients.csv')), { columns: true }) as Record<
      string,
      string
    >[];
    expect(patients[0]!.first_name).toBe('Ines');
    expect(patients[0]!.date_of_birth).toBe('1980-01-01');

    const docs = readdirSync(join(to, 'documents')).sort();
    expect(docs).toHaveLength(2);
    const documentRows = readFileSync(join(to, 'tables', 'documents.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; file_name: string });
    for (const d of documentRows) {
      const name = `${d.id}-${d.file_name}`;
      expect(docs).toContain(name);
      const i = Number(/note-(\d+)\.txt/.exec(d.file_name)![1]);
      expect(readFileSync(join(to, 'documents', name)).equals(clinic.contents[i]!)).toBe(true);
      expect(statSync(join(to, 'documents', name)).mode & 0o777).toBe(0o600);
    }

    // A folder with something in it is refused, untouched.
    const full = join(tempDir(), 'full');
    mkdirSync(full);
    writeFileSync(join(full, 'keep.txt'), 'mine');
    const refused = await cli(['export', ...clinic.flags, '--to', full]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('not an empty folder');
    expect(readdirSync(full)).toEqual(['keep.txt']);
  });
});
