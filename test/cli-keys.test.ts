import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { configFrom } from '../src/config/index.ts';
import { systemActor } from '../src/domain/audit/index.ts';
import { makePendingKey } from '../src/lib/keyring.ts';
import { runCli } from '../src/testing/process.ts';
import { staffMember } from '../src/testing/signed-in.ts';
import { totpCode } from '../src/testing/totp.ts';
import { cli, clinicWithDocuments, databasesPerTest, storeExportAndImports } from './cli-storage-world.ts';

/** SHA-256 of every stored object, by path: a rotation must leave them all as they were. */
function objectsIn(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else out[path] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(folder);
  return out;
}

describe('clinicbox keys rotate', () => {
  const database = databasesPerTest();

  it("re-wraps every area's file keys (documents, exports, imports) and re-seals the secrets under a new key; files untouched, the audit log still verifies", async () => {
    let member = { id: '', secret: '' };
    const clinic = await clinicWithDocuments(
      await database(),
      { staffMfa: 'optional' },
      3,
      150_000,
      async (app, who) => {
        // An export and two imports' files beside the documents: their keys are re-wrapped too.
        await storeExportAndImports(app, who);
        const { account } = await staffMember(app, 'reception', { email: 'ana@clinic.example' });
        const { accounts } = app.deps.staff;
        const secret = await accounts.beginTotp(systemActor, account.id, 'enrol');
        // The step before now (one step of drift is accepted), so the check below has a later one.
        await accounts.confirmTotp(systemActor, account.id, totpCode(secret, new Date(Date.now() - 30_000)));
        member = { id: account.id, secret };
      },
    );
    const keyFile = join(clinic.dataDir, 'master.key');
    const oldKey = readFileSync(keyFile, 'utf8').trim();
    const files = join(clinic.dataDir, 'files');
    const before = objectsIn(files);
    expect(Object.keys(before)).toHaveLength(6);

    const rotated = await cli(['keys', 'rotate', ...clinic.flags]);
    expect(rotated.code, rotated.stdout + rotated.stderr).toBe(0);
    // The TOTP secret and the two keys the notifications area keeps (VAPID, unsubscribe links).
    expect(rotated.stdout).toContain(
      'done: 6 file keys re-wrapped (documents 3, exports 1, imports 2), 3 secrets re-sealed, no file rewritten.',
    );
    const newKey = readFileSync(keyFile, 'utf8').trim();
    expect(newKey).not.toBe(oldKey);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(`${keyFile}.retired`, 'utf8')).toBe(`${oldKey}\n`);
    expect(statSync(`${keyFile}.retired`).mode & 0o777).toBe(0o600);
    expect(existsSync(`${keyFile}.next`)).toBe(false);
    expect(objectsIn(files)).toEqual(before);

    const audit = await cli(['audit', 'verify', ...clinic.flags]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/audit log intact: \d+ rows/);
    // The retired key is what keeps the older rows verifiable.
    renameSync(`${keyFile}.retired`, `${keyFile}.aside`);
    const withoutRetired = await cli(['audit', 'verify', ...clinic.flags]);
    expect(withoutRetired.code).toBe(1);
    expect(withoutRetired.stderr).toContain('at row 1: its contents do not match its hash');
    renameSync(`${keyFile}.aside`, `${keyFile}.retired`);
    const verified = await cli(['storage', 'verify', ...clinic.flags]);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('checking 6 files in');
    expect(verified.stdout).toContain('(documents 3, exports 1, imports 2)');
    expect(verified.stdout).toContain('6 files: 6 ok');

    // The app under the new key: its stored keys open at start, the member's codes still work.
    const app = await createApp(configFrom({ ...clinic.config, staffMfa: 'optional' as const }));
    try {
      await app.start();
      await expect(
        app.deps.staff.accounts.verifySecondFactor(
          member.id,
          totpCode(member.secret, new Date(Date.now() + 30_000)),
        ),
      ).resolves.toBeTruthy();
      const rows = await app.deps.audit.list({});
      expect(rows.map((r) => r.action).slice(0, 2)).toEqual(['storage.verify', 'keys.rotate']);
    } finally {
      await app.stop(0);
    }

    // A rotation that died once its new key was written: nothing starts until it is finished.
    makePendingKey(keyFile);
    const refused = await cli(['storage', 'verify', ...clinic.flags]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('a master key rotation is under way');
    const finished = await cli(['keys', 'rotate', ...clinic.flags]);
    expect(finished.code, finished.stdout + finished.stderr).toBe(0);
    expect(readFileSync(`${keyFile}.retired`, 'utf8')).toBe(`${oldKey}\n${newKey}\n`);
    // Two retired keys: the rows of each still verify, in order.
    const again = await cli(['audit', 'verify', ...clinic.flags]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect((await cli(['storage', 'verify', ...clinic.flags])).stdout).toContain('6 files: 6 ok');
  }, 240_000);

  it('refuses a key given in the environment (nothing changed), and bad use', async () => {
    const clinic = await clinicWithDocuments(await database(), {}, 1, 1000);
    const keyFile = join(clinic.dataDir, 'master.key');
    const key = readFileSync(keyFile, 'utf8').trim();
    const fromEnv = await runCli(['keys', 'rotate', ...clinic.flags], { env: { CLINICBOX_MASTER_KEY: key } });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toContain('the master key comes from CLINICBOX_MASTER_KEY');
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(key);
    expect(existsSync(`${keyFile}.next`)).toBe(false);
    const usage = await cli(['keys', 'make', ...clinic.flags]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: clinicbox keys rotate');
  }, 120_000);
});
