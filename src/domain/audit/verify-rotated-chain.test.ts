import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate.ts';
import { fixedClock } from '../../lib/clock.ts';
import { clinicKeys, Key } from '../../lib/crypto.ts';
import { bothDialects, createTestDb, type TestDb } from '../../testing/db.ts';
import { systemActor } from './audit.schema.ts';
import { auditService } from './audit.service.ts';

/**
 * The chain across `clinicbox keys rotate`: rows keep the key they were written with; a retired
 * key verifies its rows only before the first row under a newer key (keys move forward only).
 */
describe.each(bothDialects)('the audit chain across key rotations on %s', (dialect) => {
  let db: TestDb;
  const clock = fixedClock('2026-03-02T09:00:00Z');
  const [k1, k2, k3] = [0, 1, 2].map(() => clinicKeys(Key.fromBytes(randomBytes(32))).auditChain) as [
    Key,
    Key,
    Key,
  ];
  // Each instance seals with its own key: here, explicitly once its rows are in.
  const writer = (chainKey: Key) => auditService({ db, clock, chainKey, sealAfterCommit: false });
  const record = async (chainKey: Key, n: number) => {
    await db.tx(async (ctx) => {
      for (let i = 0; i < n; i++) {
        await writer(chainKey).record(ctx, systemActor, {
          action: 'patient.read',
          entity: 'patient',
          entityId: `p${i}`,
        });
      }
    });
    await writer(chainKey).seal();
  };
  const verify = (chainKey: Key, retiredChainKeys: Key[]) =>
    auditService({ db, clock, chainKey, retiredChainKeys }).verify();
  beforeEach(async () => {
    db = await createTestDb(dialect);
    await migrate(db);
  });
  afterEach(() => db.destroy());

  it('verifies rows under each retired key, in order, and only with them', async () => {
    await record(k1, 3);
    await record(k2, 2);
    await record(k3, 2);
    expect(await verify(k3, [k1, k2])).toMatchObject({ ok: true, rows: 7 });
    expect(await verify(k3, [k2])).toMatchObject({ ok: false, brokenAt: { id: 1 } });
    expect(await verify(k3, [])).toMatchObject({ ok: false, brokenAt: { id: 1 } });
  });

  it('refuses a row under a retired key after one under a newer key', async () => {
    await record(k1, 2);
    await record(k2, 1);
    await record(k1, 1); // an instance left running on the old key, or a forger holding it
    const result = await verify(k2, [k1]);
    expect(result).toMatchObject({ ok: false, rows: 3, brokenAt: { id: 4 } });
    expect(result.brokenAt!.reason).toContain('do not match its hash');
  });

  it('refuses a log with no row under the current key once one was retired (the rows since cut)', async () => {
    await record(k1, 3);
    const result = await verify(k2, [k1]);
    expect(result).toMatchObject({ ok: false, rows: 3, brokenAt: { id: 3 } });
    expect(result.brokenAt!.reason).toContain('no row is keyed with the current master key');
  });
});
