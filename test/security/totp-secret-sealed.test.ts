import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../src/testing/app.ts';
import { openRawDatabase, type RawDatabase } from '../../src/testing/raw-database.ts';
import { staffMember } from '../../src/testing/signed-in.ts';
import { enrolTotp, signedInWithCode, totpCode } from '../../src/testing/totp.ts';

/*
 * Issue 14, "also": a staff member's authenticator (TOTP) secret was kept in the database in
 * clear, so whoever copied the database file could make that member's codes. It is sealed with
 * the clinic master key, bound to the account; secrets an older version kept in clear are sealed
 * in place at start and keep working.
 */
describe('staff authenticator secrets in the database', () => {
  let app: TestApp;
  let raw: RawDatabase;
  beforeEach(async () => {
    app = await createTestApp({ config: { staffMfa: 'optional' } });
    raw = await openRawDatabase(app.db);
  });
  afterEach(async () => {
    await raw.close();
    await app.destroy();
  });

  const storedSecret = async (accountId: string): Promise<string | null> => {
    const [row] = await raw.all<{ totp_secret: string | null }>(
      'select totp_secret from staff_accounts where id = ?',
      accountId,
    );
    return row!.totp_secret;
  };

  it('are sealed: the stored value makes no code, the member’s app still signs in', async () => {
    await app.start();
    const { account: member } = await staffMember(app, 'reception', { email: 'ana@clinic.test' });
    const secret = await enrolTotp(app, member.id);
    const stored = await storedSecret(member.id);
    expect(stored).toMatch(/^sealed1:/);
    expect(stored).not.toContain(secret);
    await expect(signedInWithCode(app, 'ana@clinic.test', secret)).resolves.toBeTruthy();
  });

  it('a sealed secret copied onto another account does not give that account codes', async () => {
    await app.start();
    const { account: ana } = await staffMember(app, 'reception', { email: 'ana@clinic.test' });
    const { account: bo } = await staffMember(app, 'reception', { email: 'bo@clinic.test' });
    const secret = await enrolTotp(app, ana.id);
    await enrolTotp(app, bo.id);
    await raw.run(
      'update staff_accounts set totp_secret = ? where id = ?',
      await storedSecret(ana.id),
      bo.id,
    );
    app.clock.advance(30_000);
    await expect(
      app.deps.staff.accounts.verifySecondFactor(bo.id, totpCode(secret, app.clock.now())),
    ).rejects.toThrow(/does not open/);
  });

  it('one an older version kept in clear is sealed in place at start and keeps working', async () => {
    const { account: member } = await staffMember(app, 'reception', { email: 'cy@clinic.test' });
    const secret = await enrolTotp(app, member.id);
    await raw.run('update staff_accounts set totp_secret = ? where id = ?', secret, member.id);
    expect(await storedSecret(member.id)).toBe(secret);

    await app.start();
    const stored = await storedSecret(member.id);
    expect(stored).toMatch(/^sealed1:/);
    expect(stored).not.toContain(secret);
    await expect(signedInWithCode(app, 'cy@clinic.test', secret)).resolves.toBeTruthy();
  });
});
