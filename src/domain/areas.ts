import type { JobDefinition, ScheduleDefinition } from '../jobs/index.ts';
import { accountsArea } from './accounts/index.ts';
import type { Area, AreaParts, Core } from './area.ts';
import { auditAnchorArea, auditArea } from './audit/index.ts';
import { backupsArea } from './backups/index.ts';
import { billingArea } from './billing/index.ts';
import { chartArea } from './chart/index.ts';
import { clinicArea } from './clinic/index.ts';
import { documentsArea } from './documents/index.ts';
import { exportsArea } from './exports/index.ts';
import { formsArea } from './forms/index.ts';
import { importsArea } from './imports/index.ts';
import { messagingArea } from './messaging/index.ts';
import { notificationsArea } from './notifications/index.ts';
import { patientsArea } from './patients/index.ts';
import { reportsArea } from './reports/index.ts';
import { schedulingArea } from './scheduling/index.ts';

/**
 * Every area of Clinicbox, in the order they are built: each is built from the core and the
 * services of the areas before it (the compiler checks the order). Adding an area is one line here.
 */
export const areas = listAreas([
  auditArea,
  clinicArea,
  notificationsArea,
  accountsArea,
  auditAnchorArea,
  patientsArea,
  schedulingArea,
  documentsArea,
  chartArea,
  formsArea,
  messagingArea,
  exportsArea,
  billingArea,
  reportsArea,
  importsArea,
  backupsArea,
]);

/** The services of every area, as one object (the app's `deps` without the core). */
export type AreaServices = ServicesOf<typeof areas>;

export interface BuiltAreas {
  services: AreaServices;
  jobs: JobDefinition<any>[];
  schedules: ScheduleDefinition[];
  /** Runs each area's start-up step, in order. */
  start(): Promise<void>;
}

/**
 * Builds every area in order, then registers each area's message types (definitions, wording and
 * resolver, from its `messages` part) with the notifications area, in the order the areas are listed
 * — the notifications area's own (the test message) after all the others, as staff see them listed.
 * A service name two areas both give is a mistake, reported at once.
 */
export async function buildAreas(core: Core): Promise<BuiltAreas> {
  const services: Record<string, unknown> = {};
  const built: (AreaParts<unknown> & { name: string })[] = [];
  for (const area of areas as readonly Area<string, unknown, unknown>[]) {
    const parts = await area.build({ ...core, ...services } as Core);
    for (const key of Object.keys(parts.services as object)) {
      if (key in services || key in core) throw new Error(`area ${area.name}: "${key}" is given twice`);
    }
    Object.assign(services, parts.services);
    built.push({ ...parts, name: area.name });
  }
  const all = services as AreaServices;
  const receiver = (p: { name: string }) => p.name === notificationsArea.name;
  const senders = [...built.filter((p) => !receiver(p)), ...built.filter(receiver)];
  for (const resolver of senders.flatMap((p) => p.messages ?? [])) {
    all.notifications.notifier.register(resolver);
  }
  // Each area's part of a patient merge, handed to the patients area that runs the merge.
  for (const step of built.flatMap((p) => p.patientMerge ?? [])) all.patientMerge.add(step);
  // And each area's part of erasing a patient, handed to the same area.
  for (const step of built.flatMap((p) => p.patientErase ?? [])) all.patientErasure.add(step);
  // And each area's stored objects, handed to the registry the storage operations walk.
  for (const part of built.flatMap((p) => p.storedFiles ?? [])) all.storedFiles.add(part);
  return {
    services: all,
    jobs: built.flatMap((p) => p.jobs?.definitions ?? []),
    schedules: built.flatMap((p) => p.jobs?.schedules ?? []),
    async start() {
      for (const p of built) await p.start?.();
    },
  };
}

// ---------------------------------------------------------------- types of the list

type AnyArea = Area<string, any, any>;
type NeedsOf<A> = A extends Area<string, infer Needs, any> ? Needs : never;
type GivesOf<A> = A extends Area<string, any, infer S> ? S : never;
type Intersect<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type ServicesOf<L extends readonly AnyArea[]> = Intersect<GivesOf<L[number]>>;

/** Each area in order, or a message in its place when it needs what no area before it gives. */
type InOrder<L extends readonly AnyArea[], Have> = L extends readonly [
  infer Head,
  ...infer Rest extends readonly AnyArea[],
]
  ? [
      Have extends NeedsOf<Head> ? Head : 'this area needs services of an area listed after it',
      ...InOrder<Rest, Have & GivesOf<Head>>,
    ]
  : [];

function listAreas<const L extends readonly AnyArea[]>(list: L & InOrder<L, Core>): L {
  return list;
}
