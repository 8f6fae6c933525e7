import { and, isNotNull, isNull } from 'drizzle-orm';
import { claimed, defineStoredFiles, keysNamedIn, rewrapRow, rowsOldestFirst } from '../stored-files.ts';

/**
 * The exports area's stored objects (`exports/<patient>/<id>.<random>`): each ready export's zip,
 * kept until the hourly purge removes it after its 24 hours.
 */
export const exportsStoredFiles = defineStoredFiles({
  area: 'exports',
  prefixes: ['exports/'],
  async list(ctx) {
    const e = ctx.t.patientExports;
    const rows = await rowsOldestFirst(ctx, e, and(isNotNull(e.objectKey), isNull(e.purgedAt)));
    return rows.flatMap((r) =>
      claimed({ area: 'exports', entity: 'export', entityId: r.id, patientId: r.patientId, slot: 'file' }, r),
    );
  },
  committed: (ctx, keys) => keysNamedIn(ctx, ctx.t.patientExports, [ctx.t.patientExports.objectKey], keys),
  setWrappedKey: (ctx, file, wrappedKey) =>
    rewrapRow(ctx, ctx.t.patientExports, ctx.t.patientExports, file, { wrappedKey }),
});
