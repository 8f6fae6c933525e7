import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { auditHash } from '../src/domain/audit/audit.chain.ts';
import { testKeys, testMasterKeyFile } from '../src/testing/keys.ts';
import { runCli } from '../src/testing/process.ts';

/** Every run is given the test master key, which the rows below are keyed with. */
const cli = (args: string[]) => runCli([...args, '--master-key-file', testMasterKeyFile()]);

/** A migrated SQLite data folder whose audit log holds `rows` correctly chained (keyed) rows, sealed at seq = id. */
async function chainedLog(rows: number) {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'clinicbox-cli-')), 'data');
  expect((await cli(['migrate', '--data-dir', dataDir])).code).toBe(0);
  const file = new Database(join(dataDir, 'clinicbox.db'));
  const insert = file.prepare(
    'insert into audit_log (id, seq, at, actor_type, actor_id, action, entity, entity_id, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let head = '0'.repeat(64);
  for (let i = 1; i <= rows; i++) {
    const at = new Date(Date.UTC(2026, 2, 2, 9, i));
    const fields = {
      at,
      actorType: 'staff',
      actorId: 's1',
      action: 'patient.read',
      entity: 'patient',
      entityId: `p${i}`,
      patientId: null,
      ip: null,
      userAgent: null,
      requestId: null,
      details: null,
    };
    const hash = auditHash(testKeys.auditChain, i, head, fields);
    insert.run(i, i, at.getTime(), 'staff', 's1', 'patient.read', 'patient', `p${i}`, head, hash);
    head = hash;
  }
  return { dataDir, file, head };
}

describe('clinicbox audit verify', () => {
  it('says intact for a clean log and names the first broken row after tampering (exit 1)', async () => {
    const { dataDir, file, head } = await chainedLog(4);
    const intact = await cli(['audit', 'verify', '--data-dir', dataDir]);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain(`audit log intact: 4 rows, head ${head}`);
    file.exec('drop trigger audit_log_no_update');
    file.prepare("update audit_log set entity_id = 'p99' where id = 2").run();
    file.close();
    const broken = await cli(['audit', 'verify', '--data-dir', dataDir]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('audit log BROKEN at row 2: its contents do not match its hash');
  }, 60_000);

  /**
   * It names the head (row id and hash) so an admin can record it, and `--expect-head <id>:<hash>`
   * then shows rows cut from the end, which the chain alone cannot.
   */
  it('prints the head to record, accepts it later, and fails (exit 1) once the end is cut', async () => {
    const { dataDir, file, head: prev } = await chainedLog(5);
    const intact = await cli(['audit', 'verify', '--data-dir', dataDir]);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain(`audit log intact: 5 rows, head ${prev}`);
    expect(intact.stdout).toContain(`--expect-head 5:${prev}`);

    const same = await cli(['audit', 'verify', '--data-dir', dataDir, '--expect-head', `5:${prev}`]);
    expect(same.code).toBe(0);

    // Someone with the file cuts the last two rows: what is left still links.
    file.exec('drop trigger audit_log_no_delete');
    file.prepare('delete from audit_log where id > 3').run();
    file.close();
    expect((await cli(['audit', 'verify', '--data-dir', dataDir])).code).toBe(0);
    const cut = await cli(['audit', 'verify', '--data-dir', dataDir, '--expect-head', `5:${prev}`]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain('audit log BROKEN at row 5: the recorded head row is missing');

    const wrong = await cli(['audit', 'verify', '--data-dir', dataDir, '--expect-head', `2:${prev}`]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('not the recorded head');

    const malformed = await cli(['audit', 'verify', '--data-dir', dataDir, '--expect-head', 'five']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--expect-head');
  }, 120_000); // seven CLI runs: over 60 s on a loaded 2-core machine

  it('refuses to verify without the clinic master key (exit 1), and makes none', async () => {
    const { dataDir, file } = await chainedLog(1);
    file.close();
    const keyless = await runCli(['audit', 'verify', '--data-dir', dataDir]);
    expect(keyless.code).toBe(1);
    expect(keyless.stderr).toContain('no master key');
    expect(existsSync(join(dataDir, 'master.key'))).toBe(false);
  }, 60_000);
});
