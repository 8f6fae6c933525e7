import type { Readable } from 'node:stream';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import { findPatientById, patientScope } from '../patients/index.ts';
import { recordChange } from '../record-change.ts';
import type { ExportsDeps } from './exports.deps.ts';
import { BUILD_EXPORT } from './exports.jobs.ts';
import {
  type ExportRow,
  findExportById,
  insertExport,
  listExportsOf,
  listExportsRequestedBy,
} from './exports.repo.ts';

/** An export as the chart, the app and the API show it. */
export interface ExportView {
  id: string;
  patientId: string;
  /** queued (being built), ready (downloadable until expiresAt), failed, expired. */
  status: 'queued' | 'ready' | 'failed' | 'expired';
  createdAt: Date;
  readyAt: Date | null;
  expiresAt: Date | null;
  /** The zip's size in bytes, once built. */
  size: number | null;
}

export const exportView = (row: ExportRow, now: Date): ExportView => ({
  id: row.id,
  patientId: row.patientId,
  status:
    row.status === 'ready' && (row.purgedAt || (row.expiresAt && row.expiresAt.getTime() <= now.getTime()))
      ? 'expired'
      : (row.status as ExportView['status']),
  createdAt: row.createdAt,
  readyAt: row.readyAt,
  expiresAt: row.expiresAt,
  size: row.size,
});

/** The zip of a ready export: its bytes (decrypted and checked by the vault), size and file name. */
export interface OpenedExport {
  body: Readable;
  size: number;
  fileName: string;
}

type Requester = Actor & { id: string };

/**
 * A patient's record as a zip (GDPR articles 15 and 20): asked for by a staff member from the
 * chart or the API, or by the patient (a guardian for a dependant) from the app; built by a job as
 * the person who asked reads the record; downloadable by that person only, for 24 hours. Asked,
 * built and downloaded are audited.
 */
export function exportsService(deps: ExportsDeps) {
  const { db, clock, audit, queue } = deps;

  async function create(actor: Requester, patientId: string): Promise<ExportView> {
    const now = clock.now();
    const row = await db.tx(async (ctx) => {
      const row = await insertExport(ctx, {
        id: newId(),
        patientId,
        requestedByType: actor.type,
        requestedById: actor.id,
        status: 'queued',
        createdAt: now,
      });
      await queue.enqueue(
        ctx,
        BUILD_EXPORT,
        { exportId: row.id },
        { requestId: actor.requestId ?? undefined },
      );
      await recordChange(audit, ctx, actor, 'export.request', row);
      return row;
    });
    return exportView(row, now);
  }

  /** The export, when `actor` asked for it (anyone else: 404, as if there were none). */
  async function ownedBy(actor: Requester, id: string): Promise<ExportRow> {
    const row = await findExportById(db.reader, id);
    if (!row || row.requestedByType !== actor.type || row.requestedById !== actor.id)
      throw notFound(actor.type === 'patient' ? 'that_export' : 'That export');
    return row;
  }

  async function open(actor: Requester, id: string): Promise<OpenedExport> {
    const row = await ownedBy(actor, id);
    const view = exportView(row, clock.now());
    if (view.status === 'expired')
      throw new AppError('export_expired', { key: 'export_expired' }, { status: 410 });
    if (view.status !== 'ready' || !row.objectKey || !row.wrappedKey || row.size === null || !row.sha256)
      throw conflict('The export is not ready yet.', 'export_not_ready');
    await audit.recordRead(actor, {
      action: 'export.download',
      entity: 'export',
      entityId: row.id,
      patientId: row.patientId,
      details: { size: row.size },
    });
    const body = await deps.files.read({
      objectKey: row.objectKey,
      wrappedKey: row.wrappedKey,
      size: row.size,
      sha256: row.sha256,
    });
    const day = row.createdAt.toISOString().slice(0, 10);
    return { body, size: row.size, fileName: `record-${day}-${row.patientId.slice(0, 8)}.zip` };
  }

  async function inScope(actor: Requester, patientId: string): Promise<void> {
    if (!(await patientScope(db.reader, actor.id, clock.now())).has(patientId))
      throw notFound('that_patient');
  }

  return {
    /** Staff ask for a patient's export (what they may read of the chart goes in); audited. */
    async request(actor: Requester, patientId: string): Promise<ExportView> {
      if (!(await findPatientById(db.reader, patientId))) throw notFound('that_patient');
      return create(actor, patientId);
    },
    /** The signed-in patient asks for their own export, or a dependant's (`patientId`; else 404); audited. */
    async requestOwn(actor: Requester, patientId: string = actor.id): Promise<ExportView> {
      await inScope(actor, patientId);
      return create(actor, patientId);
    },
    /** One export the actor asked for (404 for anyone else's). */
    get: async (actor: Requester, id: string): Promise<ExportView> =>
      exportView(await ownedBy(actor, id), clock.now()),
    /** The exports of a patient the actor asked for, newest first (the chart's list). */
    async listOf(actor: Requester, patientId: string): Promise<ExportView[]> {
      const now = clock.now();
      return (await listExportsOf(db.reader, patientId, actor)).map((r) => exportView(r, now));
    },
    /**
     * The exports the signed-in patient asked for (theirs and their dependants'), newest first,
     * those of anyone no longer in their family left out.
     */
    async listOwn(actor: Requester): Promise<ExportView[]> {
      const now = clock.now();
      const scope = await patientScope(db.reader, actor.id, now);
      return (await listExportsRequestedBy(db.reader, actor))
        .filter((r) => scope.has(r.patientId))
        .map((r) => exportView(r, now));
    },
    /** The zip of a ready export the actor asked for (409 not ready, 410 expired); audited. */
    open,
  };
}

export type ExportsService = ReturnType<typeof exportsService>;
