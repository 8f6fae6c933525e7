import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { silentLogger } from '../src/lib/log.ts';
import { testConfig } from '../src/testing/app.ts';
import { seedClinic } from '../src/testing/factories.ts';
import { startServeInstances } from '../src/testing/process.ts';

/**
 * Two real `clinicbox serve` processes on one database; fifty receptionists' requests for one
 * slot, from fifty patients, spread over both at once. Exactly one may win. On PostgreSQL this is
 * the cross-process guarantee (the practitioner's row lock); on SQLite, two processes on one file.
 */
const pgUrl = process.env.CLINICBOX_TEST_DATABASE_URL?.startsWith('postgres')
  ? process.env.CLINICBOX_TEST_DATABASE_URL
  : '';

async function raceTwoServers(dbUrl: string, dataDir: string) {
  const db = await openDatabase({
    url: dbUrl,
    sqlite: { path: join(dataDir, 'clinicbox.db'), synchronous: 'full' },
  });
  await migrate(db);
  const seeder = await createApp(testConfig({ staffMfa: 'optional' }), {
    db,
    log: silentLogger,
    worker: false,
    passwordCost: { N: 2 ** 10, r: 8, p: 1 },
  });
  const clinic = await seedClinic(seeder, { patients: 50, practitioners: 1 });
  const { token } = await seeder.deps.staff.sessions.start(clinic.receptionId, { mfaVerified: true });
  await seeder.stop();

  const servers = await startServeInstances(2, dataDir, dbUrl);
  try {
    const { bases } = servers;
    // A week from now on the hour: staff bookings are not held to online hours.
    const start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 7 * 86_400_000).toISOString();
    const results = await Promise.all(
      clinic.patientIds.map((patientId, i) => {
        const base = bases[i % 2]!;
        return fetch(`${base}/api/v1/appointments`, {
          method: 'POST',
          headers: { origin: base, 'content-type': 'application/json', cookie: `cb_staff=${token}` },
          body: JSON.stringify({
            serviceId: clinic.serviceId,
            practitionerId: clinic.practitionerIds[0],
            start,
            patientId,
          }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
      }),
    );
    const check = await openDatabase({
      url: dbUrl,
      sqlite: { path: join(dataDir, 'clinicbox.db'), synchronous: 'full' },
    });
    const rows = await check.reader.db.select().from(check.reader.t.appointments);
    await check.close();
    return { results, rows };
  } finally {
    await servers.stop();
  }
}

describe('fifty bookings for one slot across two server processes', () => {
  it.runIf(!pgUrl)(
    'SQLite (one file, two processes): one 201, forty-nine 409 slot_taken, one row',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'clinicbox-race-'));
      const { results, rows } = await raceTwoServers('', join(dir, 'data'));
      expect(results.filter((r) => r.status === 201)).toHaveLength(1);
      expect(results.filter((r) => r.status === 409 && r.body.error.code === 'slot_taken')).toHaveLength(49);
      expect(rows).toHaveLength(1);
    },
    60_000,
  );

  it.runIf(Boolean(pgUrl))(
    'PostgreSQL (two processes): one 201, forty-nine 409 slot_taken, one row',
    async () => {
      const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
      const name = `cb_race_${process.pid}_${Date.now()}`;
      await admin.unsafe(`create database ${name}`);
      try {
        const dir = mkdtempSync(join(tmpdir(), 'clinicbox-race-'));
        const { results, rows } = await raceTwoServers(
          pgUrl.replace(/\/[^/]*$/, `/${name}`),
          join(dir, 'data'),
        );
        expect(results.filter((r) => r.status === 201)).toHaveLength(1);
        expect(results.filter((r) => r.status === 409 && r.body.error.code === 'slot_taken')).toHaveLength(
          49,
        );
        expect(rows).toHaveLength(1);
      } finally {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
    60_000,
  );
});
