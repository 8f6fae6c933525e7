import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, rmSync, writeSync } from 'node:fs';
import type { DbSnapshot } from '../db/snapshot.ts';
import { BackupError, type PartSum, rowEncoder, type TableSpec } from './format.ts';

/**
 * The table parts of a backup from PostgreSQL (db/<table>.ndjson): each table encoded once, its
 * size (for its tar header), hash and rows known before its bytes are written; small parts are
 * held in memory, large ones in a spool file (or, with none, read from the snapshot again).
 */

/** A table part, encoded: where its bytes are until they are written. */
export interface TablePart extends PartSum {
  spec: TableSpec;
  names: string[];
  rows: number;
  /** Its bytes, when small enough to hold. */
  held: Buffer[] | null;
  /** Where in the spool file its bytes are. */
  spooled: { offset: number } | null;
}

/** A part held in memory up to this size; a larger one goes to the spool file. */
const HOLD_LIMIT = 4 << 20;

export async function encodeTable(
  snapshot: DbSnapshot,
  spec: TableSpec,
  spool: Spool | null,
): Promise<TablePart> {
  const names = [...spec.columns.keys()];
  const encode = rowEncoder(spec, names);
  const hash = createHash('sha256');
  let size = 0;
  let rows = 0;
  let held: Buffer[] | null = [];
  let heldSize = 0;
  let spooled: { offset: number } | null = null;
  for await (const batch of snapshot.rows(spec.name, names, spec.primaryKey)) {
    let text = '';
    for (const row of batch) text += encode(row);
    const chunk = Buffer.from(text);
    hash.update(chunk);
    size += chunk.length;
    rows += batch.length;
    if (spooled) {
      spool!.write(chunk);
    } else if (held) {
      held.push(chunk);
      heldSize += chunk.length;
      if (heldSize > HOLD_LIMIT) {
        if (spool) {
          spooled = { offset: spool.size };
          for (const piece of held) spool.write(piece);
        }
        held = null;
      }
    }
  }
  return { spec, names, rows, size, sha256: hash.digest('hex'), held, spooled };
}

/** A part's bytes for its tar entry: from memory, the spool file, or the snapshot again. */
export async function* tableBytes(snapshot: DbSnapshot, part: TablePart, spool: Spool | null) {
  if (part.held) {
    yield* part.held;
    part.held = null;
    return;
  }
  if (part.spooled && spool) {
    yield* spool.read(part.spooled.offset, part.size);
    return;
  }
  const encode = rowEncoder(part.spec, part.names);
  const hash = createHash('sha256');
  let size = 0;
  for await (const batch of snapshot.rows(part.spec.name, part.names, part.spec.primaryKey)) {
    let text = '';
    for (const row of batch) text += encode(row);
    const chunk = Buffer.from(text);
    hash.update(chunk);
    size += chunk.length;
    if (size > part.size) break;
    yield chunk;
  }
  if (size !== part.size || hash.digest('hex') !== part.sha256) {
    throw new BackupError(`db/${part.spec.name} read differently twice from one snapshot`);
  }
}

/** The spool file: appended to while the tables are encoded, read back part by part. */
export class Spool {
  private fd: number | null = null;
  size = 0;
  constructor(private readonly path: string) {}

  write(chunk: Buffer): void {
    this.fd ??= openSync(this.path, 'wx', 0o600);
    for (let at = 0; at < chunk.length; ) at += writeSync(this.fd, chunk, at, chunk.length - at);
    this.size += chunk.length;
  }

  async *read(offset: number, size: number): AsyncGenerator<Buffer> {
    if (!size) return;
    yield* createReadStream(this.path, {
      start: offset,
      end: offset + size - 1,
      highWaterMark: 1 << 20,
    }) as AsyncIterable<Buffer>;
  }

  remove(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
      rmSync(this.path, { force: true });
    }
  }
}
