import { describe, expect, it } from 'vitest';
import { startServeInstances } from '../src/testing/process.ts';
import {
  type SharedDatabase,
  seedSharedDatabase,
  suitePostgresUrl,
  withSharedDatabase,
} from '../src/testing/shared-database.ts';

/**
 * Two real `clinicbox serve` processes on one database; fifty receptionists' requests for one
 * slot, from fifty patients, spread over both at once. Exactly one may win. On PostgreSQL this is
 * the cross-process guarantee (the practitioner's row lock); on SQLite, two processes on one file.
 */
async function raceTwoServers(shared: SharedDatabase) {
  const { clinic, deskToken } = await seedSharedDatabase(shared, { patients: 50, practitioners: 1 });

  const servers = await startServeInstances(2, shared.dataDir, shared.url);
  try {
    const { bases } = servers;
    // A week from now on the hour: staff bookings are not held to online hours.
    const start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 7 * 86_400_000).toISOString();
    const results = await Promise.all(
      clinic.patientIds.map((patientId, i) => {
        const base = bases[i % 2]!;
        return fetch(`${base}/api/v1/appointments`, {
          method: 'POST',
          headers: { origin: base, 'content-type': 'application/json', cookie: `cb_staff=${deskToken}` },
          body: JSON.stringify({
            serviceId: clinic.serviceId,
            practitionerId: clinic.practitionerIds[0],
            start,
            patientId,
          }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
      }),
    );
    const rows = await shared.read(({ reader }) => reader.db.select().from(reader.t.appointments));
    return { results, rows };
  } finally {
    await servers.stop();
  }
}

describe('fifty bookings for one slot across two server processes', () => {
  it(`${suitePostgresUrl ? 'PostgreSQL (two processes)' : 'SQLite (one file, two processes)'}: one 201, forty-nine 409 slot_taken, one row`, async () => {
    const { results, rows } = await withSharedDatabase('race', raceTwoServers);
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.error.code === 'slot_taken')).toHaveLength(49);
    expect(rows).toHaveLength(1);
  }, 60_000);
});
