import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate.ts';
import { fixedClock } from '../../lib/clock.ts';
import { bothDialects, createTestDb, type TestDb } from '../../testing/db.ts';
import { testKeys } from '../../testing/keys.ts';
import { totpCode as codeAt } from '../../testing/totp.ts';
import { auditService, systemActor } from '../audit/index.ts';
import { accountsService } from './accounts.service.ts';
import { staffSessions } from './sessions.ts';

const cheap = { N: 2 ** 10, r: 8, p: 1 };

describe.each(bothDialects)('staff accounts and sessions on %s', (dialect) => {
  let db: TestDb;
  const clock = fixedClock('2026-03-02T09:00:00Z');
  let accounts: ReturnType<typeof accountsService>;
  let sessions: ReturnType<typeof staffSessions>;
  let audit: ReturnType<typeof auditService>;
  beforeAll(async () => {
    db = await createTestDb(dialect);
    await migrate(db);
    audit = auditService({ db, clock, chainKey: testKeys.auditChain });
    sessions = staffSessions({ db, clock, policy: { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 } });
    accounts = accountsService({
      db,
      clock,
      audit,
      sessions,
      passwordCost: cheap,
      secrets: testKeys.secrets,
    });
  });
  afterAll(() => db.destroy());

  /** A member the system adds, at <name>@clinic.example, with a password when one is given. */
  const newMember = (name: string, role: 'reception' | 'practitioner', password?: string) =>
    accounts.create(systemActor, {
      email: `${name.toLowerCase()}@clinic.example`,
      name,
      role,
      ...(password ? { password } : {}),
    });

  it('first run: a setup link creates the first admin once, and no second time', async () => {
    expect(await accounts.hasAdmin()).toBe(false);
    const token = await accounts.issueSetupLink();
    expect(await accounts.isLinkValid('setup', token)).toBe(true);
    await expect(
      accounts.completeSetup(systemActor, token, {
        email: 'Ada@Clinic.example',
        name: 'Ada',
        password: 'short',
      }),
    ).rejects.toThrow(/12 characters/);
    const admin = await accounts.completeSetup(systemActor, token, {
      email: 'Ada@Clinic.example',
      name: 'Ada',
      password: 'purple tractor sings softly',
    });
    expect(admin).toMatchObject({ email: 'ada@clinic.example', role: 'admin', status: 'active' });
    expect(admin.passwordHash).toMatch(/^scrypt\$/);
    const eve = { email: 'eve@x.example', name: 'Eve', password: 'purple tractor sings softly' };
    await expect(accounts.completeSetup(systemActor, token, eve)).rejects.toThrow(/used or has expired/);
    const another = await accounts.issueSetupLink();
    await expect(accounts.completeSetup(systemActor, another, eve)).rejects.toThrow(/used or has expired/);
    expect(await accounts.hasAdmin()).toBe(true);
    expect((await audit.list({ limit: 5 })).map((r) => r.action)).toContain('staff.setup-admin');
  });

  it('authenticates the right password only; unknown and deactivated accounts answer the same', async () => {
    const member = await newMember('Bo', 'reception', 'a very long reception pass');
    await expect(
      accounts.create(systemActor, { email: 'BO@clinic.example', name: 'Bo 2', role: 'reception' }),
    ).rejects.toThrow(/already exists/);
    expect(
      (await accounts.authenticate({ email: ' BO@clinic.example ', password: 'a very long reception pass' }))
        ?.id,
    ).toBe(member.id);
    expect(
      await accounts.authenticate({ email: 'bo@clinic.example', password: 'wrong password here' }),
    ).toBeNull();
    expect(
      await accounts.authenticate({ email: 'nobody@clinic.example', password: 'a very long reception pass' }),
    ).toBeNull();
    await accounts.deactivate(systemActor, member.id);
    expect(
      await accounts.authenticate({ email: 'bo@clinic.example', password: 'a very long reception pass' }),
    ).toBeNull();
  });

  it('a set-password link works once and ends existing sessions', async () => {
    const member = await newMember('Cy', 'practitioner');
    expect(member.passwordHash).toBeNull();
    const { token: sessionToken } = await sessions.start(member.id, { mfaVerified: true });
    const link = await accounts.issueSetPasswordLink(member.id);
    await accounts.setPasswordWithLink(systemActor, link, 'an entirely new passphrase');
    expect(await sessions.validate(sessionToken)).toBeNull();
    expect(
      await accounts.authenticate({ email: 'cy@clinic.example', password: 'an entirely new passphrase' }),
    ).not.toBeNull();
    await expect(accounts.setPasswordWithLink(systemActor, link, 'another new passphrase!')).rejects.toThrow(
      /used or has expired/,
    );
    clock.advance(25 * 3_600_000);
    const late = await accounts.issueSetPasswordLink(member.id);
    clock.advance(24 * 3_600_000 + 1);
    await expect(accounts.setPasswordWithLink(systemActor, late, 'another new passphrase!')).rejects.toThrow(
      /expired/,
    );
  });

  it('TOTP: enroll with a first code, one use per time step, recovery codes work once', async () => {
    clock.set('2026-03-05T10:00:00Z');
    const member = await newMember('Di', 'practitioner', 'di has a long passphrase');
    const secret = await accounts.beginTotp(systemActor, member.id, 'session-a');
    expect(await accounts.beginTotp(systemActor, member.id, 'session-a')).toBe(secret); // a reload shows the same
    const other = await accounts.beginTotp(systemActor, member.id, 'session-b'); // another session never sees it
    expect(other).not.toBe(secret);
    await expect(accounts.confirmTotp(systemActor, member.id, codeAt(secret, clock.now()))).rejects.toThrow(
      /not right/,
    );
    expect(await accounts.beginTotp(systemActor, member.id, 'session-a')).not.toBe(secret);
    const mine = await accounts.beginTotp(systemActor, member.id, 'session-a');
    await expect(accounts.confirmTotp(systemActor, member.id, '000000')).rejects.toThrow(/not right/);
    const recovery = await accounts.confirmTotp(systemActor, member.id, codeAt(mine, clock.now()));
    expect(recovery).toHaveLength(10);
    await expect(accounts.beginTotp(systemActor, member.id, 'session-a')).rejects.toThrow(/already set up/);

    clock.advance(30_000);
    const code = codeAt(mine, clock.now());
    expect(await accounts.verifySecondFactor(member.id, code)).toBe('totp');
    expect(await accounts.verifySecondFactor(member.id, code)).toBeNull(); // same step again
    expect(await accounts.verifySecondFactor(member.id, recovery[0]!.toUpperCase())).toBe('recovery-code');
    expect(await accounts.verifySecondFactor(member.id, recovery[0]!)).toBeNull();
    await accounts.resetSecondFactor(systemActor, member.id);
    expect(await accounts.verifySecondFactor(member.id, recovery[1]!)).toBeNull();
    expect((await accounts.get(member.id)).mfaEnrolledAt).toBeNull();
  });

  it('sessions: idle timeout, absolute lifetime, revoke one, revoke all on deactivation, token never stored', async () => {
    clock.set('2026-03-06T08:00:00Z');
    const member = await newMember('Ed', 'reception', 'ed has a long passphrase');
    const a = await sessions.start(member.id, { mfaVerified: true, ip: '10.0.0.9', userAgent: 'Safari' });
    expect(a.token).toMatch(/^[\w-]{43}$/);
    expect(a.session.id).not.toBe(a.token);
    expect((await sessions.validate(a.token))?.account.id).toBe(member.id);
    clock.advance(29 * 60_000);
    expect(await sessions.validate(a.token)).not.toBeNull(); // slides
    clock.advance(29 * 60_000);
    expect(await sessions.validate(a.token)).not.toBeNull();
    clock.advance(31 * 60_000);
    expect(await sessions.validate(a.token)).toBeNull(); // idle
    const b = await sessions.start(member.id, { mfaVerified: true });
    for (let i = 0; i < 25; i++) {
      clock.advance(29 * 60_000);
      await sessions.validate(b.token);
    }
    expect(await sessions.validate(b.token)).toBeNull(); // past 12 h however active
    const c = await sessions.start(member.id, { mfaVerified: true });
    const d = await sessions.start(member.id, { mfaVerified: true });
    expect((await sessions.list(member.id)).length).toBe(2);
    expect(await sessions.revoke('someone-else', c.session.id)).toBe(false);
    expect(await sessions.revoke(member.id, c.session.id)).toBe(true);
    expect(await sessions.validate(c.token)).toBeNull();
    expect(await sessions.validate(d.token)).not.toBeNull();
    await accounts.deactivate(systemActor, member.id);
    expect(await sessions.validate(d.token)).toBeNull();
  });
});
