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
 * Two real `clinicbox serve` processes on one database; fifty draft invoices, each issued by both
 * at once (a hundred requests). Every invoice is issued exactly once and the fifty numbers are
 * consecutive: on PostgreSQL the counter row's lock holds across processes; on SQLite the one
 * writer of the shared file.
 */
const pgUrl = process.env.CLINICBOX_TEST_DATABASE_URL?.startsWith('postgres')
  ? process.env.CLINICBOX_TEST_DATABASE_URL
  : '';

async function issueOnTwoServers(dbUrl: string, dataDir: string) {
  const sqlite = { path: join(dataDir, 'clinicbox.db'), synchronous: 'full' as const };
  const db = await openDatabase({ url: dbUrl, sqlite });
  await migrate(db);
  const seeder = await createApp(testConfig({ staffMfa: 'optional' }), {
    db,
    log: silentLogger,
    worker: false,
    passwordCost: { N: 2 ** 10, r: 8, p: 1 },
  });
  const clinic = await seedClinic(seeder, { patients: 5, practitioners: 1 });
  const desk = { type: 'staff' as const, id: clinic.receptionId };
  const drafts = [];
  for (let i = 0; i < 50; i++) {
    drafts.push(
      await seeder.deps.billing.create(desk, {
        patientId: clinic.patientIds[i % 5],
        lines: [{ description: `Visit ${i}`, quantity: 1, unitPrice: 5000 }],
      }),
    );
  }
  const { token } = await seeder.deps.staff.sessions.start(clinic.receptionId, { mfaVerified: true });
  await seeder.stop();

  const servers = await startServeInstances(2, dataDir, dbUrl);
  try {
    const { bases } = servers;
    const results = await Promise.all(
      drafts.flatMap((d) =>
        bases.map((base) =>
          fetch(`${base}/api/v1/invoices/${d.id}/issue`, {
            method: 'POST',
            headers: { origin: base, 'content-type': 'application/json', cookie: `cb_staff=${token}` },
          }).then(async (r) => ({
            status: r.status,
            body: (await r.json()) as { invoice?: { number: string } },
          })),
        ),
      ),
    );
    const check = await openDatabase({ url: dbUrl, sqlite });
    const rows = await check.reader.db.select().from(check.reader.t.invoices);
    await check.close();
    return { results, rows };
  } finally {
    await servers.stop();
  }
}

function expectFiftyConsecutive({ results, rows }: Awaited<ReturnType<typeof issueOnTwoServers>>) {
  const ok = results.filter((r) => r.status === 200);
  expect(ok, JSON.stringify(results.slice(0, 2))).toHaveLength(50);
  expect(results.filter((r) => r.status === 409)).toHaveLength(50);
  const want = Array.from(
    { length: 50 },
    (_, i) => `INV-${new Date().getFullYear()}-${String(i + 1).padStart(5, '0')}`,
  );
  expect(ok.map((r) => r.body.invoice!.number).sort()).toEqual(want);
  expect(rows.map((r) => r.number).sort()).toEqual(want);
}

describe('fifty invoices issued twice each across two server processes', () => {
  it.runIf(!pgUrl)(
    'SQLite (one file, two processes): fifty issued once each, numbered 1–50',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'clinicbox-billing-race-'));
      expectFiftyConsecutive(await issueOnTwoServers('', join(dir, 'data')));
    },
    120_000,
  );

  it.runIf(Boolean(pgUrl))(
    'PostgreSQL (two processes): fifty issued once each, numbered 1–50',
    async () => {
      const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
      const name = `cb_billing_race_${process.pid}_${Date.now()}`;
      await admin.unsafe(`create database ${name}`);
      try {
        const dir = mkdtempSync(join(tmpdir(), 'clinicbox-billing-race-'));
        expectFiftyConsecutive(
          await issueOnTwoServers(pgUrl.replace(/\/[^/]*$/, `/${name}`), join(dir, 'data')),
        );
      } finally {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
    120_000,
  );
});
