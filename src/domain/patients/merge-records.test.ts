import { Readable } from 'node:stream';
import { type SQL, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, type Schema } from '../../db/client.ts';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { bothDialects } from '../../testing/db.ts';
import { samplePdf } from '../../testing/documents.ts';
import { bookAppointment, type ClinicFixture, seedClinic } from '../../testing/factories.ts';
import { suiteApp } from '../../testing/lifecycle.ts';
import { columnsThatStay, patientColumnsOfSchema } from '../../testing/patient-columns.ts';
import { patientOnRecord, setPatientColumns } from '../../testing/signed-in.ts';
import { type Actor, systemActor } from '../audit/index.ts';

/**
 * Issue 17, item 1: merging two patient records. Everything that points at the merged record
 * moves — every column of the schema that points at a patient, found by walking the schema, not
 * listed by hand — in one transaction with one audit row; refusals change nothing; the preview
 * counts what the merge then moves.
 */

describe('the merge steps cover the schema', () => {
  const app = suiteApp();

  it('moves every column that points at a patient (a new one fails here until its area adds its step)', () => {
    const moved = app()
      .deps.patientMerge.steps()
      .flatMap((s) => s.columns);
    expect(new Set(moved).size, 'a column moved by two steps').toBe(moved.length);
    const uncovered = patientColumnsOfSchema().filter((c) => !moved.includes(c) && !(c in columnsThatStay));
    expect(uncovered, 'columns pointing at a patient that no merge step moves').toEqual([]);
    const unknown = moved.filter((c) => !patientColumnsOfSchema().includes(c));
    expect(unknown, 'columns a step names that the schema has not (or that point at no patient)').toEqual([]);
  });
});

describe.each(bothDialects)('merging patient records on %s', (dialect) => {
  let app: TestApp;
  let clinic: ClinicFixture;
  let desk: Actor;
  let author: Actor;
  let soapId: string;
  let consentId: string;
  const now = () => app.deps.clock.now();

  beforeAll(async () => {
    app = await createTestApp({ dialect });
    clinic = await seedClinic(app, { patients: 0 });
    desk = { type: 'staff', id: clinic.receptionId };
    author = { type: 'staff', id: clinic.practitionerIds[0]! };
    const templates = await app.deps.templates.list(author);
    soapId = templates.find((t) => t.name === 'SOAP note')!.id;
    consentId = templates.find((t) => t.name === 'Treatment consent')!.id;
  });
  afterAll(() => app.destroy());

  const rows = <R = Record<string, unknown>>(query: SQL) => queryRows<R>(app.db.reader, query);
  /** Inserts a row as it is stored (tables no service here writes directly). */
  const insert = (table: keyof Schema, values: Record<string, unknown>) =>
    app.db.tx(async (ctx) => {
      await ctx.db.insert(ctx.t[table] as SQLiteTable).values(values as never);
    });

  /** How many rows of each patient column name `id` (the audit log's too). */
  async function pointingAt(id: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const column of patientColumnsOfSchema()) {
      const [table, name] = column.split('.') as [string, string];
      const [row] = await rows<{ n: number | string }>(
        sql`select count(*) as n from ${sql.identifier(table)} where ${sql.identifier(name)} = ${id}`,
      );
      const n = Number(row!.n);
      if (n > 0) out[column] = n;
    }
    return out;
  }

  /**
   * A record with something in every table that points at a patient: an appointment, a waitlist
   * entry, a signed note with an addendum, a document, an alert, a history row, logins, a session,
   * a passkey, an invitation, a pending contact change, family links both ways, a message, a
   * push device, a form sent to fill in, a message thread, and billing (an issued invoice paid with
   * credit left over, the child's invoice this record pays as guardian). `relative` is its
   * guardian and `child` its dependant.
   */
  async function fullRecord(tag: string, start: string) {
    const patient = await patientOnRecord(app, { firstName: 'Noor', lastName: `Merge${tag}` });
    const id = patient.id;
    await bookAppointment(app, clinic, id, start);
    await app.deps.waitlist.join(desk, {
      patientId: id,
      serviceId: clinic.serviceId,
      from: '2026-03-10',
      to: '2026-03-20',
    });
    const note = await app.deps.notes.create(author, id, {
      templateId: soapId,
      answers: { subjective: 's', assessment: 'a', plan: 'p' },
    });
    await app.deps.notes.sign(author, note.id, {});
    await app.deps.notes.addAddendum(author, note.id, { text: 'later' });
    await app.deps.documents.upload(systemActor, id, {
      file: Readable.from([samplePdf('merge')]),
      fileName: 'letter.pdf',
      fields: { category: 'letter', title: 'Letter' },
    });
    await app.deps.forms.send(author, id, { templateId: consentId });
    await app.deps.patients.addAlert(desk, id, { kind: 'admin', text: 'Prefers mornings' });
    await app.deps.exports.request({ type: 'staff', id: clinic.receptionId }, id);
    await app.deps.patients.update(desk, id, { version: patient.version, address: '1 Rue Merge' });
    const relative = await patientOnRecord(app, { firstName: 'Guardian', lastName: tag });
    const child = await patientOnRecord(app, { firstName: 'Child', lastName: tag });
    const at = now();
    await insert('patientLogins', { address: `email:${tag}@merge.example`, patientId: id, createdAt: at });
    await insert('patientSessions', {
      id: `session-${tag}`,
      address: `email:${tag}@merge.example`,
      patientId: id,
      createdAt: at,
      lastSeenAt: at,
      expiresAt: new Date(at.getTime() + 86_400_000),
    });
    await insert('patientPasskeys', {
      id: `pk-${tag}`,
      patientId: id,
      publicKey: 'k',
      counter: 0,
      name: 'Phone',
      createdAt: at,
    });
    await insert('patientInvites', {
      tokenHash: `invite-${tag}`,
      patientId: id,
      address: `email:${tag}@merge.example`,
      wrongTries: 0,
      expiresAt: at,
      createdAt: at,
    });
    await insert('patientContactChanges', {
      patientId: id,
      channel: 'email',
      value: `${tag}-new@merge.example`,
      codeHash: 'h',
      wrongTries: 0,
      expiresAt: at,
      createdAt: at,
    });
    for (const [guardianId, dependentId] of [
      [relative.id, id],
      [id, child.id],
    ])
      await insert('patientGuardians', { guardianId, dependentId, createdAt: at });
    await insert('deliveries', {
      id: `delivery-${tag}`,
      patientId: child.id,
      contactId: id,
      recipient: 'x',
      channel: 'email',
      messageType: 'test',
      language: 'en',
      status: 'sent',
      createdAt: at,
      updatedAt: at,
    });
    await insert('pushSubscriptions', {
      id: `push-${tag}`,
      patientId: id,
      endpoint: `https://push.example/${tag}`,
      p256dh: 'p',
      auth: 'a',
      createdAt: at,
    });
    await insert('messageThreads', {
      id: `thread-${tag}`,
      patientId: id,
      subject: 'Parking',
      status: 'open',
      startedBy: 'patient',
      startedById: id,
      createdAt: at,
      updatedAt: at,
      lastMessageAt: at,
    });
    await insert('threadMessages', {
      id: `message-${tag}`,
      threadId: `thread-${tag}`,
      patientId: id,
      authorKind: 'patient',
      authorId: id,
      text: 'Where do I park?',
      createdAt: at,
    });
    // Billing: an issued invoice of the record, paid with an overpayment (credit), and the child's
    // invoice that this record pays as guardian (its printed payer name stays as it is).
    const invoice = (invoiceId: string, patientId: string, payerName: string) => ({
      id: invoiceId,
      kind: 'invoice',
      number: `INV-${invoiceId}`,
      status: 'paid',
      patientId,
      origin: 'manual',
      currency: 'EUR',
      payerKind: patientId === id ? 'patient' : 'guardian',
      payerPatientId: id,
      payerName,
      payerAddress: '1 Rue Merge',
      note: '',
      subtotal: 1000,
      taxTotal: 0,
      total: 1000,
      paid: 1000,
      legalDetails: '',
      footer: '',
      version: 1,
      createdAt: at,
      updatedAt: at,
      issuedAt: at,
    });
    await insert('invoices', invoice(`own-${tag}`, id, `Noor Merge${tag}`));
    await insert('invoices', invoice(`child-${tag}`, child.id, `Noor Merge${tag}`));
    await insert('payments', {
      id: `pay-${tag}`,
      invoiceId: `own-${tag}`,
      patientId: id,
      method: 'cash',
      amount: 1200,
      reference: '',
      receivedAt: at,
      createdAt: at,
    });
    await insert('patientCredits', {
      id: `credit-${tag}`,
      patientId: id,
      amount: 200,
      invoiceId: `own-${tag}`,
      paymentId: `pay-${tag}`,
      createdAt: at,
    });
    return { patient, note, relative, child };
  }

  it('moves everything to the record kept, leaves nothing pointing at the old one, and counts what the preview said', async () => {
    const from = await fullRecord('a', '2026-03-03T09:00:00+01:00');
    const to = await fullRecord('b', '2026-03-03T10:00:00+01:00');
    // The same guardian on both records: the link is folded into the kept record's.
    await insert('patientGuardians', {
      guardianId: to.relative.id,
      dependentId: from.patient.id,
      createdAt: now(),
    });
    // A record merged into the old one earlier, and one flagged as resembling it.
    const earlier = await patientOnRecord(app, { firstName: 'Earlier', lastName: 'Copy' });
    await app.deps.patientMerge.merge(desk, from.patient.id, { fromPatientId: earlier.id });
    const flagged = await patientOnRecord(app, { firstName: 'Flagged', lastName: 'Copy' });
    await setPatientColumns(app, flagged.id, { possibleDuplicateOf: from.patient.id });
    const before = await pointingAt(from.patient.id);
    // Every patient column of the schema names the old record somewhere.
    expect(patientColumnsOfSchema().filter((c) => !(c in before))).toEqual([]);
    const toBefore = await pointingAt(to.patient.id);

    const preview = await app.deps.patientMerge.preview(desk, to.patient.id, {
      fromPatientId: from.patient.id,
    });
    expect(preview.counts).toMatchObject({
      appointments: 1,
      waitlistEntries: 1,
      notes: 1,
      addenda: 1,
      documents: 1,
      forms: 1,
      alerts: 1,
      recordHistory: 1,
      logins: 1,
      sessions: 1,
      passkeys: 1,
      invites: 1,
      contactChanges: 1,
      guardianLinks: 3,
      pushDevices: 1,
      duplicateFlags: 1,
      mergedRecords: 1,
      threads: 1,
      messages: 1,
      invoices: 1,
      payers: 2,
      payments: 1,
      credits: 1,
    });
    const merged = await app.deps.patientMerge.merge(desk, to.patient.id, { fromPatientId: from.patient.id });
    expect(merged.counts).toEqual(preview.counts);

    // Nothing but its own audit rows points at the old record; the kept one has both records' rows.
    const left = await pointingAt(from.patient.id);
    expect(left).toEqual({ 'audit_log.patient_id': before['audit_log.patient_id'] });
    const after = await pointingAt(to.patient.id);
    expect(after['appointments.patient_id']).toBe(2);
    expect(after['notes.patient_id']).toBe(2);
    expect(after['documents.patient_id']).toBe(2);
    expect(after['patient_logins.patient_id']).toBe(2);
    // The pending email change of each: one per channel, the kept record's wins.
    expect(after['patient_contact_changes.patient_id']).toBe(1);
    expect(after['audit_log.patient_id']).toBeGreaterThan(toBefore['audit_log.patient_id']!);
    // Billing: both records' invoices on the kept one; an issued invoice's payer stays as printed.
    expect(after['invoices.patient_id']).toBe(2);
    expect(after['invoices.payer_patient_id']).toBe(4);
    const [printed] = await rows<{ payer_name: string }>(
      sql`select payer_name from invoices where id = ${'own-a'}`,
    );
    expect(printed!.payer_name).toBe('Noor Mergea');

    const chain = await app.deps.patients.get(desk, earlier.id);
    expect(chain.mergedInto).toBe(to.patient.id);
    expect((await app.deps.patients.get(desk, flagged.id)).possibleDuplicateOf).toBe(to.patient.id);

    // The old record: archived, marked merged; it cannot be booked.
    const old = await app.deps.patients.get(desk, from.patient.id);
    expect(old).toMatchObject({ status: 'archived', mergedInto: to.patient.id });
    await expect(
      bookAppointment(app, clinic, from.patient.id, '2026-03-04T09:00:00+01:00'),
    ).rejects.toMatchObject({ code: 'patient_archived' });
    await expect(app.deps.patients.unarchive(desk, from.patient.id)).rejects.toMatchObject({
      code: 'already_merged',
    });

    // Family: both guardians and both dependants on the kept record, no link twice, none to itself.
    const links = await rows<{ guardian_id: string; dependent_id: string }>(
      sql`select guardian_id, dependent_id from patient_guardians where guardian_id = ${to.patient.id} or dependent_id = ${to.patient.id}`,
    );
    expect(
      links
        .filter((l) => l.dependent_id === to.patient.id)
        .map((l) => l.guardian_id)
        .sort(),
    ).toEqual([from.relative.id, to.relative.id].sort());
    expect(
      links
        .filter((l) => l.guardian_id === to.patient.id)
        .map((l) => l.dependent_id)
        .sort(),
    ).toEqual([from.child.id, to.child.id].sort());

    // The moved signed note still reads as intact (its hash was taken with the old record).
    const read = await app.deps.notes.read(author, from.note.id);
    expect(read.note.patientId).toBe(to.patient.id);
    expect(read.intact).toBe(true);

    // One audit row for the merge, naming both records and the counts.
    const audit = (await app.deps.audit.list({ limit: 1000 })).filter(
      (r) => r.action === 'patient.merge' && r.patientId === to.patient.id,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      entityId: to.patient.id,
      patientId: to.patient.id,
      details: { fromPatientId: from.patient.id, toPatientId: to.patient.id, appointments: 1, notes: 1 },
    });
  });

  it('refuses the same record, an already merged one, an archived target and family linked records, changing nothing', async () => {
    const a = await fullRecord('c', '2026-03-05T09:00:00+01:00');
    const b = await patientOnRecord(app, { firstName: 'Other', lastName: 'Keep' });
    const archived = await patientOnRecord(app, { firstName: 'Gone', lastName: 'Away' });
    await app.deps.patients.archive(desk, archived.id);
    const beforeA = await pointingAt(a.patient.id);
    const auditBefore = (await app.deps.audit.list({ limit: 5000 })).length;
    const merge = (to: string, from: string) =>
      app.deps.patientMerge.merge(desk, to, { fromPatientId: from }).then(
        () => 'merged',
        (e: { code?: string }) => e.code,
      );

    expect(await merge(a.patient.id, a.patient.id)).toBe('merge_same_record');
    expect(await merge(archived.id, a.patient.id)).toBe('merge_target_archived');
    expect(await merge(a.patient.id, a.relative.id)).toBe('merge_family_link');
    expect(await merge(a.child.id, a.patient.id)).toBe('merge_family_link');
    expect(await merge(a.patient.id, 'no-such-patient')).toBe('not_found');
    expect(await merge(a.patient.id, '')).toBe('validation_failed');
    expect(await pointingAt(a.patient.id)).toEqual(beforeA);
    expect((await app.deps.audit.list({ limit: 5000 })).length).toBe(auditBefore);

    // Merged once; then neither side can take part in another merge.
    const loose = await patientOnRecord(app, { firstName: 'Loose', lastName: 'One' });
    expect(await merge(b.id, loose.id)).toBe('merged');
    expect(await merge(a.patient.id, loose.id)).toBe('already_merged');
    expect(await merge(loose.id, a.patient.id)).toBe('already_merged');
    // The preview refuses as the merge does.
    await expect(
      app.deps.patientMerge.preview(desk, a.patient.id, { fromPatientId: a.patient.id }),
    ).rejects.toMatchObject({ code: 'merge_same_record' });
  });

  it('lets one of two opposite merges of the same pair through, at the same time', async () => {
    const a = await patientOnRecord(app, { firstName: 'Race', lastName: 'One' });
    const b = await patientOnRecord(app, { firstName: 'Race', lastName: 'Two' });
    const results = await Promise.allSettled([
      app.deps.patientMerge.merge(desk, a.id, { fromPatientId: b.id }),
      app.deps.patientMerge.merge(desk, b.id, { fromPatientId: a.id }),
    ]);
    const codes = results.map((r) =>
      r.status === 'fulfilled' ? 'merged' : (r.reason as { code?: string }).code,
    );
    expect(codes.sort()).toEqual(['already_merged', 'merged']);
    const [ra, rb] = [await app.deps.patients.get(desk, a.id), await app.deps.patients.get(desk, b.id)];
    expect([ra.mergedInto, rb.mergedInto].filter(Boolean)).toHaveLength(1);
  });

  it('rolls everything back when a step fails half-way', async () => {
    const from = await fullRecord('d', '2026-03-06T09:00:00+01:00');
    const to = await patientOnRecord(app, { firstName: 'Keep', lastName: 'Rollback' });
    const before = await pointingAt(from.patient.id);
    const failing = {
      area: 'test',
      columns: [],
      count: async () => ({}),
      move: async () => {
        throw new Error('disk full');
      },
    };
    // Runs after every other step (the last test of this app: it stays added).
    app.deps.patientMerge.add(failing);
    await expect(
      app.deps.patientMerge.merge(desk, to.id, { fromPatientId: from.patient.id }),
    ).rejects.toThrow('disk full');
    expect(await pointingAt(from.patient.id)).toEqual(before);
    expect(await app.deps.patients.get(desk, from.patient.id)).toMatchObject({
      status: 'active',
      mergedInto: null,
    });
  });
});
