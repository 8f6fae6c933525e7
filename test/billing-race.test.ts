import { describe, expect, it } from 'vitest';
import { startServeInstances } from '../src/testing/process.ts';
import {
  type SharedDatabase,
  seedSharedDatabase,
  suitePostgresUrl,
  withSharedDatabase,
} from '../src/testing/shared-database.ts';

/**
 * Two real `clinicbox serve` processes on one database; fifty draft invoices, each issued by both
 * at once (a hundred requests). Every invoice is issued exactly once and the fifty numbers are
 * consecutive: on PostgreSQL the counter row's lock holds across processes; on SQLite the one
 * writer of the shared file.
 */
async function issueOnTwoServers(shared: SharedDatabase) {
  const { deskToken, prepared: drafts } = await seedSharedDatabase(
    shared,
    { patients: 5, practitioners: 1 },
    async (app, clinic) => {
      const desk = { type: 'staff' as const, id: clinic.receptionId };
      const drafts = [];
      for (let i = 0; i < 50; i++) {
        drafts.push(
          await app.deps.billing.create(desk, {
            patientId: clinic.patientIds[i % 5],
            lines: [{ description: `Visit ${i}`, quantity: 1, unitPrice: 5000 }],
          }),
        );
      }
      return drafts;
    },
  );

  const servers = await startServeInstances(2, shared.dataDir, shared.url);
  try {
    const { bases } = servers;
    const results = await Promise.all(
      drafts.flatMap((d) =>
        bases.map((base) =>
          fetch(`${base}/api/v1/invoices/${d.id}/issue`, {
            method: 'POST',
            headers: { origin: base, 'content-type': 'application/json', cookie: `cb_staff=${deskToken}` },
          }).then(async (r) => ({
            status: r.status,
            body: (await r.json()) as { invoice?: { number: string } },
          })),
        ),
      ),
    );
    const rows = await shared.read(({ reader }) => reader.db.select().from(reader.t.invoices));
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
  it(`${suitePostgresUrl ? 'PostgreSQL (two processes)' : 'SQLite (one file, two processes)'}: fifty issued once each, numbered 1–50`, async () => {
    expectFiftyConsecutive(await withSharedDatabase('billing-race', issueOnTwoServers));
  }, 120_000);
});
