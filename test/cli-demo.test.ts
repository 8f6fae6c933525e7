import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/testing/process.ts';
import { tempDir } from './cli-setup.ts';

describe('clinicbox demo', () => {
  it('seeds a realistic clinic without overlaps, prints how to sign in, and refuses a second run without --force', async () => {
    const dataDir = join(tempDir(), 'data');
    const first = await runCli(['demo', '--data-dir', dataDir]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /Sign in at {2}http:\/\/127\.0\.0\.1:8080\/staff\/login as admin@demo\.clinicbox\.example/,
    );
    expect(first.stdout).toMatch(/Password {4}demo-[\w-]{12}/);

    const file = new Database(join(dataDir, 'clinicbox.db'), { readonly: true });
    const one = (sql: string) => Object.values(file.prepare(sql).get() as object)[0] as number;
    const exactly: [string, number][] = [
      ["select count(*) from staff_accounts where role = 'practitioner'", 4],
      ['select count(*) from services', 6],
      ['select count(*) from patients', 200],
      // Billing: a price for every service (and one practitioner's own), products, the currency.
      ["select count(*) from service_prices where practitioner_id = ''", 6],
      ["select count(*) from service_prices where practitioner_id <> ''", 1],
      ['select count(*) from products', 4],
      ['select count(*) from billing_settings where value like \'%"currency":"GBP"%\'', 1],
      // Documents on two charts (two shared with the patient) and one a patient sent, to review.
      ["select count(*) from documents where source = 'staff'", 4],
      ['select count(*) from documents where shared_with_patient', 2],
      ["select count(*) from documents where source = 'patient' and reviewed_at is null", 1],
      // Each service starts its notes from a starter note template ("Write note" on an appointment);
      // a starter renamed would leave one out.
      [
        `select count(*) from services s join templates t on t.id = s.default_note_template_id
          where t.kind = 'note'`,
        6,
      ],
    ];
    for (const [sql, count] of exactly) expect(one(sql), sql).toBe(count);
    for (const status of ['completed', 'booked']) {
      expect(one(`select count(*) from appointments where status = '${status}'`)).toBeGreaterThan(300);
    }
    // Never two live appointments of one practitioner at once, buffers included.
    expect(
      one(`select count(*) from appointments a join appointments b
             on a.practitioner_id = b.practitioner_id and a.id < b.id
            and a.block_start_at < b.block_end_at and b.block_start_at < a.block_end_at
          where a.status <> 'cancelled' and b.status <> 'cancelled'`),
    ).toBe(0);
    file.close();

    const again = await runCli(['demo', '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has data; use --force');
    const forced = await runCli(['demo', '--data-dir', dataDir, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
  }, 60_000);
});
