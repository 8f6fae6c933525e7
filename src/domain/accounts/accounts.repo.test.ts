import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate.ts';
import { bothDialects, createTestDb, type TestDb } from '../../testing/db.ts';
import {
  findStaffAccountById,
  findStaffMemberById,
  insertStaffAccount,
  listActivePractitionerIds,
  listActiveStaffIds,
  listStaffByIds,
  type StaffAccount,
  setStaffBookingAlerts,
} from './accounts.repo.ts';

/** The lookups other areas use (practitioners, slot search, staff messages), on both dialects. */
describe.each(bothDialects)('staff lookups for other areas on %s', (dialect) => {
  let db: TestDb;
  const now = new Date('2026-03-02T09:00:00Z');
  const staff = (id: string, name: string, role: StaffAccount['role'], status: StaffAccount['status']) =>
    db.tx((ctx) =>
      insertStaffAccount(ctx, {
        id,
        email: `${id}@clinic.example`,
        name,
        role,
        status,
        passwordHash: 'scrypt$secret',
        totpSecret: 'SECRET',
        createdAt: now,
        updatedAt: now,
      }),
    );
  beforeAll(async () => {
    db = await createTestDb(dialect);
    await migrate(db);
    await staff('s-zoe', 'Zoe', 'practitioner', 'active');
    await staff('s-amy', 'Amy', 'practitioner', 'active');
    await staff('s-old', 'Olga', 'practitioner', 'deactivated');
    await staff('s-rec', 'Rita', 'reception', 'active');
  });
  afterAll(() => db.destroy());

  it('findStaffMemberById: the member without secrets, any status; null when unknown', async () => {
    const member = await findStaffMemberById(db.reader, 's-old');
    expect(member).toEqual({
      id: 's-old',
      email: 's-old@clinic.example',
      name: 'Olga',
      role: 'practitioner',
      status: 'deactivated',
      bookingAlerts: 'email',
    });
    expect(member).not.toHaveProperty('passwordHash');
    expect(await findStaffMemberById(db.reader, 'nobody')).toBeNull();
  });

  it('listStaffByIds: by name, any status, unknown and repeated ids ignored, none for none', async () => {
    const rows = await listStaffByIds(db.reader, ['s-zoe', 's-old', 's-amy', 'nobody', 's-zoe']);
    expect(rows.map((r) => r.name)).toEqual(['Amy', 'Olga', 'Zoe']);
    expect(await listStaffByIds(db.reader, [])).toEqual([]);
  });

  it('listActivePractitionerIds: active practitioners only', async () => {
    expect((await listActivePractitionerIds(db.reader)).sort()).toEqual(['s-amy', 's-zoe']);
  });

  it('listActiveStaffIds: which of the ids are active accounts', async () => {
    const active = await listActiveStaffIds(db.reader, ['s-zoe', 's-old', 's-rec', 'nobody']);
    expect([...active].sort()).toEqual(['s-rec', 's-zoe']);
    expect(await listActiveStaffIds(db.reader, [])).toEqual(new Set());
  });

  it('setStaffBookingAlerts: in the caller’s transaction, rolled back with it', async () => {
    await db
      .tx(async (ctx) => {
        await setStaffBookingAlerts(ctx, 's-amy', 'none', now);
        expect((await findStaffMemberById(ctx, 's-amy'))?.bookingAlerts).toBe('none');
        throw new Error('roll back');
      })
      .catch(() => {});
    expect((await findStaffMemberById(db.reader, 's-amy'))?.bookingAlerts).toBe('email');
    const later = new Date('2026-03-03T09:00:00Z');
    await db.tx((ctx) => setStaffBookingAlerts(ctx, 's-amy', 'none', later));
    expect(await findStaffAccountById(db.reader, 's-amy')).toMatchObject({
      bookingAlerts: 'none',
      updatedAt: later,
    });
  });
});
