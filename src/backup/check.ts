import type { BackupSecret } from './age.ts';
import {
  FORMAT_VERSION,
  FORMAT_VERSIONS,
  MANIFEST_NAME,
  MASTER_KEY_PART,
  type Manifest,
  type PartSum,
  tablePartOf,
} from './format.ts';
import { ArchiveDamagedError, archiveEntries } from './read.ts';

/** Opens the archive's bytes from the start (each pass reads it once). */
export type ArchiveSource = () => AsyncIterable<Uint8Array>;

/** A backup this Clinicbox cannot restore: made by a newer one. */
export class BackupTooNewError extends Error {
  override name = 'BackupTooNewError';
}

/** What a pass saw of each part: its size and SHA-256, by part name. */
export type SeenParts = Map<string, PartSum>;

/**
 * First pass (of two): reads the whole archive without writing anything, and checks it
 * (`checkParts`). Answers the manifest.
 */
export async function checkArchive(
  open: ArchiveSource,
  secret: BackupSecret,
  knownMigrations: string[],
): Promise<Manifest> {
  const seen: SeenParts = new Map();
  let manifest: Manifest | null = null;
  for await (const entry of archiveEntries(open(), secret)) {
    if (entry.name === MANIFEST_NAME) {
      manifest = await readManifest(entry.body);
      checkFormat(manifest);
      continue;
    }
    if (manifest) throw partAfterManifest(entry.name);
    for await (const _ of entry.body) void _;
    seen.set(entry.name, entry.sum());
  }
  if (!manifest) throw new ArchiveDamagedError('the archive has no manifest.json (cut short?)');
  checkParts(manifest, seen, knownMigrations);
  return manifest;
}

export const partAfterManifest = (name: string) =>
  new ArchiveDamagedError(`part ${name} follows the manifest, which must come last`);

/** The manifest part's bytes, parsed (ArchiveDamagedError when it is not a manifest). */
export async function readManifest(body: AsyncIterable<Buffer>): Promise<Manifest> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c);
  return parseManifest(Buffer.concat(chunks));
}

/**
 * An archive read whole, against its manifest: the backup must come from a Clinicbox whose
 * format and migrations this one knows (BackupTooNewError), every part's size and SHA-256 must
 * match the manifest, and no part may be missing or extra (ArchiveDamagedError, naming the part).
 */
export function checkParts(manifest: Manifest, seen: SeenParts, knownMigrations: string[]): void {
  checkFormat(manifest);
  if (!matchingMigration(manifest.lastMigration, knownMigrations)) {
    throw new BackupTooNewError(
      `the backup comes from a newer Clinicbox (${manifest.clinicboxVersion}, migration ${manifest.lastMigration}, which this version does not know; it knows up to ${knownMigrations.at(-1)}): restore it with that version or newer`,
    );
  }
  const unmatched = new Set(seen.keys());
  for (const e of partsOf(manifest)) {
    const got = seen.get(e.part);
    if (!got) throw new ArchiveDamagedError(`part ${e.part} is missing from the archive`);
    if (got.size !== e.size || got.sha256 !== e.sha256) {
      throw new ArchiveDamagedError(`part ${e.part} does not match its checksum in the manifest`);
    }
    unmatched.delete(e.part);
  }
  const [extra] = unmatched;
  if (extra) throw new ArchiveDamagedError(`part ${extra} is not in the manifest`);
  if (!manifest.keys.some((k) => k.part === MASTER_KEY_PART)) {
    throw new ArchiveDamagedError(`the archive has no ${MASTER_KEY_PART}`);
  }
}

/**
 * The manifest's format version must be one this Clinicbox reads: a higher one is a newer
 * Clinicbox's (BackupTooNewError, naming the version that made it), any other is not a version
 * any Clinicbox wrote (ArchiveDamagedError).
 */
export function checkFormat(manifest: Manifest): void {
  const v = manifest.formatVersion;
  if (FORMAT_VERSIONS.includes(v)) return;
  if (typeof v === 'number' && v > FORMAT_VERSION) {
    throw new BackupTooNewError(
      `the backup was made by a newer Clinicbox (${manifest.clinicboxVersion}) in archive format version ${v}; this Clinicbox reads format versions up to ${FORMAT_VERSION}: restore it with Clinicbox ${manifest.clinicboxVersion} or newer`,
    );
  }
  throw new ArchiveDamagedError(
    `${MANIFEST_NAME}: format version ${JSON.stringify(v)} is not one any Clinicbox writes`,
  );
}

/**
 * A part where this version's layout has none (`surprise`): read on to the manifest, and refuse
 * the archive as too new when its format version says a newer Clinicbox made it; else throw
 * `surprise`.
 */
export async function refuseLayout(
  surprise: Error,
  entries: AsyncIterator<{ name: string; body: AsyncIterable<Buffer> }>,
): Promise<never> {
  try {
    for (let next = await entries.next(); !next.done; next = await entries.next()) {
      if (next.value.name === MANIFEST_NAME) {
        checkFormat(await readManifest(next.value.body));
        break;
      }
    }
  } catch (e) {
    if (e instanceof BackupTooNewError) throw e;
  }
  throw surprise;
}

/** Every part the manifest names, with its sum. */
export function partsOf(manifest: Manifest): ({ part: string } & PartSum)[] {
  return [
    ...(manifest.database ? [manifest.database] : []),
    ...manifest.tables.flatMap((t) => tablePartOf(t) ?? []),
    ...manifest.files.map((f) => ({ part: `files/${f.key}`, size: f.size, sha256: f.sha256 })),
    ...manifest.keys,
  ];
}

/**
 * This build's migration that matches a backup's (the same number: drizzle-kit names each
 * dialect's migration differently), or undefined when this build does not have it.
 */
export function matchingMigration(name: string, known: string[]): string | undefined {
  const number = name.split('_')[0];
  return known.find((m) => m === name) ?? known.find((m) => m.split('_')[0] === number);
}

function parseManifest(bytes: Buffer): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(bytes.toString('utf8')) as Manifest;
  } catch {
    throw new ArchiveDamagedError(`${MANIFEST_NAME} is not JSON`);
  }
  if (m?.format !== 'clinicbox-backup' || !Array.isArray(m.tables) || !Array.isArray(m.files)) {
    throw new ArchiveDamagedError(`${MANIFEST_NAME} is not a Clinicbox backup manifest`);
  }
  return m;
}
