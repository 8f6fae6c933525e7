import { DateTime } from 'luxon';
import type { App } from '../app.ts';
import { boolOption, configFrom, dataOptions, serverOptions } from '../config/index.ts';
import { systemActor } from '../domain/audit/index.ts';
import { hasAnyPatient } from '../domain/patients/index.ts';
import { insertAppointmentsInBulk } from '../domain/scheduling/index.ts';
import { randomToken } from '../lib/ids.ts';
import { defineCommand, runAs } from './command.ts';
import { seedDemoBilling } from './demo-billing.ts';
import {
  demoPractitioners,
  demoServices,
  FIRST,
  type GeneratorPractitioner,
  generateAppointments,
  LAST,
  pick,
  seededRandom,
} from './demo-clinic.ts';
import { seedDemoDocuments } from './demo-documents.ts';
import { openAppForCommand } from './start.ts';

/**
 * `clinicbox demo`: a realistic small clinic to try Clinicbox and to benchmark it — 4
 * practitioners, 6 services, weekly hours, 200 patients and four weeks of past and future
 * appointments, made through the real services (appointments in bulk, without notifications).
 */

/** The demo clinic is in London (+44 phones, en-GB). */
export const DEMO_TIME_ZONE = 'Europe/London';

export interface DemoResult {
  password: string;
  admin: string;
  staff: string[];
  patients: number;
  appointments: number;
}

/** Seeds the demo clinic through the real services (appointments in bulk, without notifications). */
export async function seedDemo(
  app: App,
  options: { seed?: number; patients?: number; weeks?: number } = {},
): Promise<DemoResult> {
  const rng = seededRandom(options.seed ?? 42);
  const { staff, clinic, services, practitioners, patients, db, clock } = app.deps;
  const password = `demo-${randomToken(9)}`;
  // A London clinic whatever the machine's zone: working hours, emails and reminders in its time.
  const zone = DEMO_TIME_ZONE;
  await clinic.update(systemActor, {
    ...(await clinic.get()),
    name: 'Riverside Health (demo)',
    timeZone: zone,
    locale: 'en-GB',
    address: '12 River Lane, London SE1 9RA',
    phone: '+44 20 7946 0000',
  });
  const existing = new Map((await staff.accounts.list()).map((a) => [a.email, a.id]));
  const account = async (email: string, name: string, role: 'admin' | 'reception' | 'practitioner') =>
    existing.get(email) ?? (await staff.accounts.create(systemActor, { email, name, role, password })).id;
  const adminEmail = 'admin@demo.clinicbox.example';
  const adminId = await account(adminEmail, 'Alex Admin', 'admin');
  await account('desk@demo.clinicbox.example', 'Robin Reception', 'reception');

  // "Write note" on an appointment starts the service's own template (an assessment, a follow-up…).
  const noteTemplates = await app.deps.templates.list({ type: 'staff', id: adminId }, 'note');
  const serviceIds = new Map<string, string>();
  for (const s of demoServices) {
    const created = await services.create(systemActor, {
      name: s.name,
      description: s.description,
      durationMin: s.durationMin,
      bufferBeforeMin: 0,
      bufferAfterMin: s.bufferAfterMin,
      onlineBookable: true,
      newPatientsAllowed: true,
      requiresApproval: s.requiresApproval,
      defaultNoteTemplateId: noteTemplates.find((t) => t.name === s.noteTemplate)?.id ?? null,
    });
    serviceIds.set(s.key, created.id);
  }
  const generatorPractitioners: GeneratorPractitioner[] = [];
  const staffEmails: string[] = [];
  for (const p of demoPractitioners) {
    const email = `${p.name.replace(/^Dr /, '').split(' ')[0]!.toLowerCase()}@demo.clinicbox.example`;
    staffEmails.push(email);
    const id = await account(email, p.name, 'practitioner');
    const weekdayHours = { 1: p.hours, 2: p.hours, 3: p.hours, 4: p.hours, 5: p.hours, 6: '', 7: '' };
    await practitioners.save(systemActor, id, {
      displayName: p.name,
      title: p.title,
      bio: `${p.title} at Riverside Health.`,
      colour: p.colour,
      bookableOnline: true,
      serviceIds: p.services.map((k) => serviceIds.get(k)!),
      hours: weekdayHours,
    });
    const view = await practitioners.get(id);
    const all = await services.list();
    generatorPractitioners.push({
      id,
      weekly: view.weekly,
      services: all.filter((s) => view.serviceIds.includes(s.id)),
    });
  }

  const patientIds: string[] = [];
  for (let i = 0; i < (options.patients ?? 200); i++) {
    const firstName = pick(rng, FIRST);
    const lastName = pick(rng, LAST);
    const year = 1940 + Math.floor(rng() * 80);
    const dob = DateTime.fromObject({
      year,
      month: 1 + Math.floor(rng() * 12),
      day: 1 + Math.floor(rng() * 28),
    }).toISODate()!;
    const p = await patients.create(systemActor, {
      firstName,
      lastName,
      dateOfBirth: dob,
      email: `${firstName}.${lastName}.${i}@example.org`
        .toLowerCase()
        .normalize('NFKD')
        .replace(/[^\w.@+-]/g, ''),
      phone: `+4477009${String(i).padStart(5, '0')}`, // E.164: Ofcom's drama range, never a real phone
    });
    patientIds.push(p.id);
  }

  const weeks = options.weeks ?? 4;
  const today = DateTime.fromJSDate(clock.now(), { zone });
  const appointments = await generateAppointments({
    practitioners: generatorPractitioners,
    patientIds,
    zone,
    from: today.minus({ weeks }).toISODate()!,
    to: today.plus({ weeks }).toISODate()!,
    now: clock.now(),
    rng,
    emit: (rows) => db.tx((ctx) => insertAppointmentsInBulk(ctx, rows)),
  });
  await seedDemoBilling(app, serviceIds);
  await seedDemoMessages(app, patientIds);
  await seedDemoDocuments(app, patientIds);
  await db.tx((ctx) =>
    app.deps.audit.record(ctx, systemActor, {
      action: 'demo.seed',
      entity: 'clinic',
      details: { patients: patientIds.length, appointments },
    }),
  );
  return {
    password,
    admin: adminEmail,
    staff: ['desk@demo.clinicbox.example', ...staffEmails],
    patients: patientIds.length,
    appointments,
  };
}

/**
 * A few conversations for the Inbox and the patient app (issue 19): patients' questions, one with
 * reception's reply, one assigned and closed; two quick replies. Through the messaging services,
 * as the app and the staff pages write them.
 */
async function seedDemoMessages(app: App, patientIds: string[]): Promise<void> {
  const { messaging, staff } = app.deps;
  const members = await staff.accounts.list();
  const desk = members.find((a) => a.email === 'desk@demo.clinicbox.example');
  const admin = members.find((a) => a.role === 'admin');
  if (!desk || !admin || patientIds.length < 4) return;
  const deskActor = { type: 'staff' as const, id: desk.id };
  const adminActor = { type: 'staff' as const, id: admin.id };
  const asPatient = (i: number) => ({ type: 'patient' as const, id: patientIds[i]! });
  await messaging.quickReplies.create(adminActor, {
    title: 'Parking',
    text: 'There is free parking behind the building; the entrance is on Mill Lane.',
  });
  await messaging.quickReplies.create(adminActor, {
    title: 'Bring your scans',
    text: 'Please bring any scans or letters about it to your appointment, or send them here in the app.',
  });
  await messaging.startOwn(asPatient(0), {
    subject: 'Can I bring my child?',
    text: 'Hello, my son is 6. Can he wait in the room during my appointment on Thursday?',
  });
  const knee = await messaging.startOwn(asPatient(1), {
    subject: 'Knee still swollen',
    text: 'Since Monday my knee is still swollen after the exercises. Should I keep doing them?\nThe sheet is at https://example.org/exercises',
  });
  await messaging.reply(deskActor, knee.thread.id, {
    text: 'Thank you for telling us. Please pause the exercises until your physio calls you this afternoon.',
  });
  await messaging.replyOwn(asPatient(1), knee.thread.id, { text: 'Thank you, I will wait for the call.' });
  const invoice = await messaging.startOwn(asPatient(2), {
    subject: 'Receipt for my insurer',
    text: 'Could you send me a receipt for last week’s session?',
  });
  await messaging.reply(deskActor, invoice.thread.id, { text: 'Done: it is in your documents in the app.' });
  await messaging.change(deskActor, invoice.thread.id, { status: 'closed' });
  await messaging.startOwn(asPatient(3), {
    subject: 'Running late',
    text: 'I am stuck in traffic, about 10 minutes late. Sorry!',
  });
}

/** Where `serve` listens by default (its --host and --port). */
const DEFAULT_BASE = `http://${serverOptions.host.default}:${serverOptions.port.default}`;

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'Fill an empty database with a realistic demo clinic, and print how to sign in.',
  options: {
    ...dataOptions,
    force: boolOption('force', false, 'Add the demo clinic even though the database already has data.'),
    baseUrl: serverOptions.baseUrl,
  },
  async run(values, _positionals, ctx) {
    const app = await openAppForCommand(configFrom(values), ctx, { command: 'demo', worker: false });
    if (!app) return 1;
    try {
      const [staffCount, anyPatient] = await Promise.all([
        app.deps.staff.accounts.list().then((l) => l.length),
        hasAnyPatient(app.deps.db.reader),
      ]);
      if ((staffCount > 0 || anyPatient) && !values.force) {
        ctx.err(
          'clinicbox: demo: this database already has data; use --force to add the demo clinic anyway, or choose an empty --data-dir.',
        );
        return 1;
      }
      const started = Date.now();
      const r = await seedDemo(app);
      ctx.out(
        [
          `Demo clinic ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${demoPractitioners.length} practitioners, ${demoServices.length} services, ${r.patients} patients, ${r.appointments} appointments.`,
          '',
          `Start it:   ${runAs(ctx)} serve` +
            (values.dataDir !== dataOptions.dataDir.default ? ` --data-dir ${values.dataDir}` : ''),
          `Sign in at  ${values.baseUrl || DEFAULT_BASE}/staff/login as ${r.admin} (admin)`,
          `            or ${r.staff.join(', ')}`,
          `Password    ${r.password}   (the same for every demo account; shown only now)`,
          'You will be asked to set up an authenticator app at first sign-in (or run serve with --staff-mfa optional).',
        ].join('\n'),
      );
      return 0;
    } finally {
      await app.stop();
    }
  },
});
