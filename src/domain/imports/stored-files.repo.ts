import { and, asc, eq, inArray, isNotNull, or } from 'drizzle-orm';
import { claimed, defineStoredFiles } from '../stored-files.ts';

/**
 * The imports area's stored objects, two per import at most: the uploaded CSV
 * (`imports/<id>.<random>`, slot `upload`, kept until the import ends or is discarded) and the
 * rejected rows (`imports/<id>-rejected.<random>`, slot `rejected`, kept for 7 days).
 */
export const importsStoredFiles = defineStoredFiles({
  area: 'imports',
  prefixes: ['imports/'],
  async list(ctx) {
    const i = ctx.t.imports;
    const rows = await ctx.db
      .select()
      .from(i)
      .where(or(isNotNull(i.objectKey), isNotNull(i.rejectedObjectKey)))
      .orderBy(asc(i.createdAt), asc(i.id));
    return rows.flatMap((r) => {
      const owner = { area: 'imports', entity: 'import', entityId: r.id, patientId: null };
      return [
        ...claimed({ ...owner, slot: 'upload' }, r),
        ...claimed(
          { ...owner, slot: 'rejected' },
          {
            objectKey: r.rejectedObjectKey,
            wrappedKey: r.rejectedWrappedKey,
            size: r.rejectedSize,
            sha256: r.rejectedSha256,
          },
        ),
      ];
    });
  },
  async committed(ctx, keys) {
    if (keys.length === 0) return new Set();
    const i = ctx.t.imports;
    const list = [...keys];
    const rows = await ctx.db
      .select({ upload: i.objectKey, rejected: i.rejectedObjectKey })
      .from(i)
      .where(or(inArray(i.objectKey, list), inArray(i.rejectedObjectKey, list)));
    const wanted = new Set(list);
    return new Set(
      rows.flatMap((r) => [r.upload, r.rejected]).filter((k): k is string => !!k && wanted.has(k)),
    );
  },
  async setWrappedKey(ctx, file, wrappedKey) {
    const i = ctx.t.imports;
    if (file.slot === 'rejected') {
      await ctx.db
        .update(i)
        .set({ rejectedWrappedKey: wrappedKey })
        .where(and(eq(i.id, file.entityId), eq(i.rejectedObjectKey, file.objectKey)));
    } else {
      await ctx.db
        .update(i)
        .set({ wrappedKey })
        .where(and(eq(i.id, file.entityId), eq(i.objectKey, file.objectKey)));
    }
  },
});
