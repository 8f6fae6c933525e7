import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate.ts';
import { bothDialects, createTestDb, type TestDb } from '../../testing/db.ts';
import {
  findGuardianLink,
  findPatientById,
  findPatientContacts,
  findPatientLanguage,
  findPatientNames,
  findPatientStatus,
  hasAnyPatient,
  insertGuardianLink,
  insertPatient,
  isGuardianOf,
  listActiveDependentIds,
  listActiveGuardians,
  listFamilyLinks,
  type Patient,
  setGuardianLinkEnd,
  turnPatientChannelOff,
} from './patients.repo.ts';
import { searchNameOf } from './patients.schema.ts';

/** The lookups other areas use (bookings, calendars, message recipients, unsubscribe), on both dialects. */
describe.each(bothDialects)('patient lookups for other areas on %s', (dialect) => {
  let db: TestDb;
  const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute));
  const patient = (id: string, firstName: string, more: Partial<Patient> = {}) =>
    db.tx((ctx) =>
      insertPatient(ctx, {
        id,
        firstName,
        lastName: 'Lee',
        dateOfBirth: '1980-01-01',
        email: `${id}@example.org`,
        searchName: searchNameOf(firstName, 'Lee'),
        status: 'active',
        createdAt: at(0),
        updatedAt: at(0),
        ...more,
      }),
    );
  beforeAll(async () => {
    db = await createTestDb(dialect);
    await migrate(db);
    expect(await hasAnyPatient(db.reader)).toBe(false);
    await patient('kid', 'Kim', { email: null, preferredLanguage: 'fr-CA' });
    await patient('mum', 'Mia');
    await patient('dad', 'Dan', { messagesByEmail: false });
    await patient('gran', 'Gia', { status: 'archived' });
    // Linked in this order: dad first, then gran (archived), then mum.
    await db.tx((ctx) => insertGuardianLink(ctx, 'dad', 'kid', at(1)));
    await db.tx((ctx) => insertGuardianLink(ctx, 'gran', 'kid', at(2)));
    await db.tx((ctx) => insertGuardianLink(ctx, 'mum', 'kid', at(3)));
  });
  afterAll(() => db.destroy());

  it('hasAnyPatient: true once a record exists', async () => {
    expect(await hasAnyPatient(db.reader)).toBe(true);
  });

  it('findPatientById and findPatientStatus: any status; null when unknown', async () => {
    expect(await findPatientById(db.reader, 'gran')).toMatchObject({ firstName: 'Gia', status: 'archived' });
    expect(await findPatientStatus(db.reader, 'gran')).toEqual({ id: 'gran', status: 'archived' });
    expect(await findPatientById(db.reader, 'nobody')).toBeNull();
    expect(await findPatientStatus(db.reader, 'nobody')).toBeNull();
  });

  it('findPatientNames and findPatientContacts: by id, repeats once, unknown ids absent, none for none', async () => {
    const names = await findPatientNames(db.reader, ['kid', 'mum', 'kid', 'nobody']);
    expect([...names.entries()].sort()).toEqual([
      ['kid', { firstName: 'Kim', lastName: 'Lee' }],
      ['mum', { firstName: 'Mia', lastName: 'Lee' }],
    ]);
    const contacts = await findPatientContacts(db.reader, ['dad', 'kid']);
    expect(contacts.get('dad')).toEqual({
      firstName: 'Dan',
      email: 'dad@example.org',
      messagesByEmail: false,
    });
    expect(contacts.get('kid')).toEqual({ firstName: 'Kim', email: null, messagesByEmail: true });
    expect((await findPatientNames(db.reader, [])).size).toBe(0);
    expect((await findPatientContacts(db.reader, [])).size).toBe(0);
  });

  it('findPatientLanguage: as stored, or null', async () => {
    expect(await findPatientLanguage(db.reader, 'kid')).toBe('fr-CA');
    expect(await findPatientLanguage(db.reader, 'mum')).toBeNull();
    expect(await findPatientLanguage(db.reader, 'nobody')).toBeNull();
  });

  it('listActiveGuardians: active ones only, the oldest link first', async () => {
    expect((await listActiveGuardians(db.reader, 'kid', at(30))).map((g) => g.id)).toEqual(['dad', 'mum']);
    expect(await listActiveGuardians(db.reader, 'mum', at(30))).toEqual([]);
  });

  it('isGuardianOf: the link, whatever the guardian’s status, and only that way round', async () => {
    expect(await isGuardianOf(db.reader, 'mum', 'kid', at(30))).toBe(true);
    expect(await isGuardianOf(db.reader, 'gran', 'kid', at(30))).toBe(true);
    expect(await isGuardianOf(db.reader, 'kid', 'mum', at(30))).toBe(false);
  });

  it('a link with an end counts until then and not from then on, in every lookup', async () => {
    await patient('tot', 'Tia', { email: null });
    await db.tx((ctx) => insertGuardianLink(ctx, 'mum', 'tot', at(1)));
    await db.tx((ctx) => setGuardianLinkEnd(ctx, { guardianId: 'mum', dependentId: 'tot' }, at(40)));
    for (const [now, inForce] of [
      [at(39), true],
      [at(40), false],
    ] as const) {
      expect(await isGuardianOf(db.reader, 'mum', 'tot', now)).toBe(inForce);
      expect((await listActiveGuardians(db.reader, 'tot', now)).map((g) => g.id)).toEqual(
        inForce ? ['mum'] : [],
      );
      expect((await listActiveDependentIds(db.reader, 'mum', now)).sort()).toEqual(
        inForce ? ['kid', 'tot'] : ['kid'],
      );
      const family = await listFamilyLinks(db.reader, 'tot', now);
      expect(family.guardians.map((g) => g.patient.id)).toEqual(inForce ? ['mum'] : []);
    }
    expect((await findGuardianLink(db.reader, 'mum', 'tot'))?.endsAt).toEqual(at(40));
  });

  it('turnPatientChannelOff: one channel, in the caller’s transaction (rolled back with it)', async () => {
    await db
      .tx(async (ctx) => {
        await turnPatientChannelOff(ctx, 'mum', 'sms', at(10));
        expect((await findPatientById(ctx, 'mum'))?.messagesBySms).toBe(false);
        throw new Error('roll back');
      })
      .catch(() => {});
    expect((await findPatientById(db.reader, 'mum'))?.messagesBySms).toBe(true);
    for (const channel of ['email', 'sms', 'push'] as const) {
      await db.tx((ctx) => turnPatientChannelOff(ctx, 'mum', channel, at(11)));
    }
    expect(await findPatientById(db.reader, 'mum')).toMatchObject({
      messagesByEmail: false,
      messagesBySms: false,
      messagesByPush: false,
      updatedAt: at(11),
    });
  });
});
