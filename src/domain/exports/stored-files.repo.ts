import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { claimed, defineStoredFiles } from '../stored-files.ts';

/**
 * The exports area's stored objects (`exports/<patient>/<id>.<random>`): each ready export's zip,
 * kept until the hourly purge removes it after its 24 hours.
 */
export const exportsStoredFiles = defineStoredFiles({
  area: 'exports',
  prefixes: ['exports/'],
  async list(ctx) {
    const e = ctx.t.patientExports;
    const rows = await ctx.db
      .select()
      .from(e)
      .where(and(isNotNull(e.objectKey), isNull(e.purgedAt)))
      .orderBy(asc(e.createdAt), asc(e.id));
    return rows.flatMap((r) =>
      claimed({ area: 'exports', entity: 'export', entityId: r.id, patientId: r.patientId, slot: 'file' }, r),
    );
  },
  async committed(ctx, keys) {
    if (keys.length === 0) return new Set();
    const e = ctx.t.patientExports;
    const rows = await ctx.db
      .select({ key: e.objectKey })
      .from(e)
      .where(inArray(e.objectKey, [...keys]));
    return new Set(rows.flatMap((r) => (r.key ? [r.key] : [])));
  },
  async setWrappedKey(ctx, file, wrappedKey) {
    const e = ctx.t.patientExports;
    await ctx.db
      .update(e)
      .set({ wrappedKey })
      .where(and(eq(e.id, file.entityId), eq(e.objectKey, file.objectKey)));
  },
});
