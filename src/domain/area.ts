import { z } from 'zod';
import type { Config } from '../config/index.ts';
import type { Db } from '../db/client.ts';
import type { AreaJobs, JobQueue } from '../jobs/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { ClinicKeys } from '../lib/crypto.ts';
import type { Logger } from '../lib/log.ts';
import type { MailTransport } from '../notify/email/index.ts';
import type { PushTransport } from '../notify/push/index.ts';
import type { SmsTransport } from '../notify/sms/index.ts';
import type { FileVault } from '../storage/types.ts';
import type { AuditService } from './audit/index.ts';
import type { ClinicService } from './clinic/index.ts';
import type {
  Channel,
  Language,
  MessageDefinition,
  MessageResolver,
  Notifier,
} from './notifications/index.ts';
import type { PatientEraseStep } from './patient-erase.ts';
import type { PatientMergeStep } from './patient-merge.ts';
import type { StoredFilesPart } from './stored-files.ts';

/**
 * What every area is built from, made once by `createApp` from the config: no area reaches for
 * a global, so a test builds the whole app on a temporary database, a fixed clock and local peers.
 */
export interface Core {
  config: Config;
  log: Logger;
  clock: Clock;
  db: Db;
  /** The durable job queue: enqueue in the transaction of the change that causes the job. */
  queue: JobQueue;
  /** The public URL that links in messages point to (the configured one, else host and port). */
  publicUrl: string;
  mail: MailTransport;
  sms: SmsTransport;
  push: PushTransport;
  /** The keys derived from the clinic master key (the audit chain's, the sealed secrets'). */
  keys: ClinicKeys;
  /** Stored files (documents), encrypted, on the disk or S3 store `--storage-url` names. */
  files: FileVault;
  /** Knobs only tests turn. */
  tuning: Tuning;
}

/**
 * The services most areas' use cases are given beside the core's parts: the audit trail, the
 * clinic's settings (name, time zone, locale) and the notifier (`deps.notifications.notifier`).
 */
export interface AreaServices {
  audit: AuditService;
  clinic: Pick<ClinicService, 'get'>;
  notify: Pick<Notifier, 'dispatch'>;
}

/**
 * What an area's use cases are given (its `<area>.deps.ts` extends it): the database, the clock
 * and the audit service always, and the parts of the core and the common services `K` names —
 * `interface DocumentsDeps extends AreaDeps<'log' | 'files'> { … }`.
 */
export type AreaDeps<K extends keyof (Core & AreaServices) = never> = Pick<
  Core & AreaServices,
  'db' | 'clock' | 'audit' | K
>;

/**
 * The parts of an area's build deps its use cases are given, by name:
 * `pickDeps(deps, ['db', 'clock', 'audit', 'files'])`.
 */
export const pickDeps = <D extends object, K extends keyof D>(deps: D, keys: readonly K[]): Pick<D, K> =>
  Object.fromEntries(keys.map((k) => [k, deps[k]])) as Pick<D, K>;

export interface Tuning {
  /** scrypt cost for staff passwords (tests use a cheap one). */
  passwordCost?: { N: number; r: number; p: number } | undefined;
  /** Accept push endpoints on http and local hosts (tests run a local push service). */
  allowLocalPushEndpoints: boolean;
}

/** What an area gives the app: its services (merged into the app's deps) and what it registers. */
export interface AreaParts<S> {
  services: S;
  /**
   * Its job handlers and recurring jobs, as its `<area>.jobs.ts` gives them (`areaJobs(…)`; jobs/
   * never imports domain/: they are registered from here).
   */
  jobs?: AreaJobs;
  /** Its message types (`defineMessage`: label, channels, variables, wording) and their resolver, registered with the notifications area. */
  messages?: MessageResolver[];
  /**
   * Its part of merging two patient records: moves its rows that point at the merged record
   * (patient-merge.ts). Every area with a column pointing at a patient gives one.
   */
  patientMerge?: PatientMergeStep[];
  /**
   * Its part of erasing a patient's personal data (patient-erase.ts): deletes or clears its rows
   * about the patient. Every area with a table that has a patient column gives one.
   */
  patientErase?: PatientEraseStep[];
  /**
   * The objects it keeps in the file vault (stored-files.ts): listed, re-wrapped and claimed for
   * keys rotate, storage migrate and verify, and the orphan sweep. Every area that writes to the
   * store gives one.
   */
  storedFiles?: StoredFilesPart[];
  /** Runs when the app starts (e.g. a key made at first start), before the worker. */
  start?(): Promise<void>;
}

/**
 * What an area is built from: the core, the audit trail and the clinic's settings (every area but
 * the two that give them uses both), and the services of the areas before it that `Needs` names —
 * `build(deps: BuildDeps<{ notifications: { notifier: Notifier } }>)`.
 */
export type BuildDeps<Needs = unknown> = Core & { audit: AuditService; clinic: ClinicService } & Needs;

/**
 * An area: a name, and how it is built from the core and the services of the areas listed before
 * it (`Needs`, read from `build`'s parameter type). `areas.ts` checks the order at compile time.
 */
export interface Area<Name extends string = string, Needs = unknown, S = unknown> {
  readonly name: Name;
  build(deps: Core & Needs): AreaParts<S> | Promise<AreaParts<S>>;
}

export const defineArea = <Name extends string, Needs, S>(area: Area<Name, Needs, S>): Area<Name, Needs, S> =>
  area;

/**
 * A message type as its area defines it (label, channels, variables, shipped wording), handed to
 * the notifications area with the area's resolver. Here, beside the area contract, so an area
 * that notifies imports nothing but types from notifications.
 */
export const defineMessage = <const T extends string>(
  definition: MessageDefinition<T>,
): MessageDefinition<T> => definition;

const channel = z.enum(['email', 'sms', 'push'] as const satisfies readonly Channel[]);
const wording = z.object({ subject: z.string().optional(), body: z.string() }).strict();
const inEveryLanguage = z
  .object({ en: wording, fr: wording } satisfies Record<Language, typeof wording>)
  .strict();

/** A message type's entry in its area's catalogue: everything `defineMessage` takes but the type. */
const catalogueEntry = z
  .object({
    label: z.string(),
    essential: z.boolean(),
    channels: z.array(channel),
    variables: z.array(z.string()),
    examples: z.record(z.string(), z.string()),
    remadeEachTry: z.boolean().optional(),
    templates: z.partialRecord(channel, inEveryLanguage),
  })
  .strict();

/**
 * An area's message types from its catalogue (`<area>.messages.json`, keyed by type: label,
 * channels, variables, examples and the shipped wording in every language). Wording is data that
 * translators edit, so it lives outside the code; the catalogue's shape is checked here when the
 * module loads, and each definition again when it is registered (message-registry.ts).
 */
export function defineMessages<const C extends Record<string, unknown>>(
  catalogue: C,
): { readonly [T in keyof C & string]: MessageDefinition<T> } {
  const entries = Object.entries(catalogue).map(([type, entry]) => {
    const parsed = catalogueEntry.safeParse(entry);
    if (!parsed.success) throw new Error(`message type ${type}: ${z.prettifyError(parsed.error)}`);
    return [type, defineMessage({ type, ...parsed.data })] as const;
  });
  return Object.fromEntries(entries) as { readonly [T in keyof C & string]: MessageDefinition<T> };
}
