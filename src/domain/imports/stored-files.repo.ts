import { isNotNull, or } from 'drizzle-orm';
import { claimed, defineStoredFiles, keysNamedIn, rewrapRow, rowsOldestFirst } from '../stored-files.ts';

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
    const rows = await rowsOldestFirst(ctx, i, or(isNotNull(i.objectKey), isNotNull(i.rejectedObjectKey)));
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
  committed: (ctx, keys) =>
    keysNamedIn(ctx, ctx.t.imports, [ctx.t.imports.objectKey, ctx.t.imports.rejectedObjectKey], keys),
  setWrappedKey(ctx, file, wrappedKey) {
    const i = ctx.t.imports;
    return file.slot === 'rejected'
      ? rewrapRow(ctx, i, { id: i.id, objectKey: i.rejectedObjectKey }, file, {
          rejectedWrappedKey: wrappedKey,
        })
      : rewrapRow(ctx, i, i, file, { wrappedKey });
  },
});
