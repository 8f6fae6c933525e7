import { Readable } from 'node:stream';
import { AppError, notFound } from '../../lib/errors.ts';
import { FileIntegrityError, ObjectNotFoundError } from '../../storage/errors.ts';
import type { ByteRange } from '../../storage/types.ts';
import type { Actor } from '../audit/index.ts';
import type { DocumentsDeps } from './documents.deps.ts';
import { assertMay, assertPatientMaySee, staffRoleOf } from './documents.policy.ts';
import { type DocumentRow, findDocumentById } from './documents.repo.ts';
import type { DocumentCategory } from './documents.schema.ts';
import { scopeOf } from './patient-scope.ts';
import { reportDamagedFile } from './report-damaged.ts';

/** A `Range: bytes=…` as asked: from `start` (to `end`, inclusive), or the last `suffix` bytes. */
export type RangeRequest = { start: number; end?: number | undefined } | { suffix: number };

/** How the content is asked for: a range, and the validators of a conditional request. */
export interface OpenOptions {
  range?: RangeRequest | undefined;
  /** `If-None-Match`: the ETag the client holds. */
  ifNoneMatch?: string | undefined;
  /** `If-Range`: serve the range only if the file is still this one. */
  ifRange?: string | undefined;
}

/** A document's content: its bytes (a range of them), or "not modified". */
export type OpenedDocument =
  | { document: DocumentRow; notModified: true }
  | { document: DocumentRow; notModified: false; body: Readable; range: Required<ByteRange> | null };

/** The strong ETag of a document's content: its SHA-256. */
export const etagOf = (doc: DocumentRow) => `"${doc.sha256}"`;

/** A staff member opens a document's details (audited as a read). */
export async function getDocument(deps: DocumentsDeps, actor: Actor, id: string): Promise<DocumentRow> {
  const doc = await staffReadable(deps, actor, id);
  await deps.audit.recordRead(actor, {
    action: 'document.read',
    entity: 'document',
    entityId: id,
    patientId: doc.patientId,
  });
  return doc;
}

/** A staff member views or downloads a document's content (audited, every time). */
export async function openDocument(
  deps: DocumentsDeps,
  actor: Actor,
  id: string,
  options: OpenOptions = {},
): Promise<OpenedDocument> {
  return openContent(deps, actor, await staffReadable(deps, actor, id), options);
}

/** A patient opens a document shared with them or a dependant, or an upload from the app (audited). */
export async function openOwnDocument(
  deps: DocumentsDeps,
  actor: Actor & { id: string },
  id: string,
  options: OpenOptions = {},
): Promise<OpenedDocument> {
  const doc = await findDocumentById(deps.db.reader, id);
  assertPatientMaySee(await scopeOf(deps, actor), doc);
  return openContent(deps, actor, doc, options);
}

async function staffReadable(deps: DocumentsDeps, actor: Actor, id: string): Promise<DocumentRow> {
  const role = await staffRoleOf(deps.db, actor);
  const doc = await findDocumentById(deps.db.reader, id);
  if (!doc || doc.deletedAt) throw notFound('that_document');
  assertMay(role, 'read', doc.category as DocumentCategory);
  return doc;
}

/**
 * The bytes, checked: the first chunk is read before answering, so a file whose start fails its
 * check is refused with a 500 (and reported) instead of starting a response; a failure further
 * in cuts the stream (the client sees a short download, never wrong bytes) and is reported too.
 */
async function openContent(
  deps: DocumentsDeps,
  actor: Actor,
  doc: DocumentRow,
  options: OpenOptions,
): Promise<OpenedDocument> {
  const etag = etagOf(doc);
  const notModified = options.ifNoneMatch !== undefined && matches(options.ifNoneMatch, etag);
  const range =
    notModified || !options.range || (options.ifRange !== undefined && options.ifRange !== etag)
      ? null
      : resolveRange(options.range, doc.size);
  await deps.audit.recordRead(actor, {
    action: 'document.download',
    entity: 'document',
    entityId: doc.id,
    patientId: doc.patientId,
    details: { range: range ? `${range.start}-${range.end}` : null, notModified },
  });
  if (notModified) return { document: doc, notModified: true };
  const damaged = async (error: unknown) => {
    await reportDamagedFile(deps, actor, doc, error);
    return new AppError('file_damaged', 'This file failed its integrity check and was not served.', {
      status: 500,
    });
  };
  let source: AsyncIterator<Buffer>;
  let first: IteratorResult<Buffer>;
  try {
    const stream = await deps.files.read(doc, range ?? undefined);
    source = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    first = await source.next();
  } catch (error) {
    if (error instanceof FileIntegrityError || error instanceof ObjectNotFoundError)
      throw await damaged(error);
    throw error;
  }
  async function* rest() {
    if (first.done) return;
    yield first.value;
    try {
      for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
    } catch (error) {
      if (error instanceof FileIntegrityError || error instanceof ObjectNotFoundError) await damaged(error);
      throw error;
    }
  }
  return { document: doc, notModified: false, body: Readable.from(rest(), { objectMode: false }), range };
}

/** Whether an If-None-Match list names this ETag (weak or strong, or `*`). */
const matches = (header: string, etag: string) =>
  header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);

/** The inclusive byte range of a file of `size` bytes, or 416 when none of it is there. */
export function resolveRange(range: RangeRequest, size: number): Required<ByteRange> {
  let start: number;
  let end: number;
  if ('suffix' in range) {
    start = Math.max(0, size - range.suffix);
    end = size - 1;
    if (range.suffix <= 0) start = size;
  } else {
    start = range.start;
    end = Math.min(range.end ?? size - 1, size - 1);
  }
  if (start >= size || end < start) throw new RangeNotSatisfiable(size);
  return { start, end };
}

/** 416: no byte of the range asked for is in the file (the answer says the file's size). */
export class RangeNotSatisfiable extends AppError {
  constructor(readonly size: number) {
    super('range_not_satisfiable', { text: `The file has ${size} bytes.` }, { status: 416 });
  }
}
