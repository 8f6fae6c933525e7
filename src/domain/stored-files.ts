import { and, asc, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { DbCtx } from '../db/client.ts';
import { type ChangesOf, type RowOf, updateWhere } from '../db/rows.ts';
import type { StoredFile } from '../storage/types.ts';

/**
 * The objects areas keep in the file vault, as the storage operations see them. No area names
 * another's tables, so each area that writes to the store gives its `storedFiles` part (areas.ts
 * hands them to the registry below): `clinicbox keys rotate` re-wraps every part's data keys,
 * `storage migrate` and `storage verify` walk every part's objects, and the orphan sweep removes an
 * object under a part's prefix only when no part's rows name it. A test writes through every area's
 * use cases and fails when an object in the store is claimed by no part.
 */

/** A stored object and whose it is (ids only). */
export interface ClaimedFile extends StoredFile {
  /** The area whose part listed it. */
  area: string;
  /** The row it belongs to (`document`, `export`, `import`: also the audit entity) and its id. */
  entity: string;
  entityId: string;
  /** The patient it is about, when there is one (audit rows of a damaged file name them). */
  patientId: string | null;
  /** Which of the row's objects, when a row has several (`upload`, `rejected`); else `file`. */
  slot: string;
}

export interface StoredFilesPart {
  readonly area: string;
  /** The object key prefixes it writes under (`documents/`): the sweep lists only these. */
  readonly prefixes: readonly string[];
  /** Every object it keeps (not yet purged): what verify, migrate and keys rotate walk. */
  list(ctx: DbCtx): Promise<ClaimedFile[]>;
  /**
   * Of `keys`, those some row of its names (whatever the row's state): committed objects, which
   * the sweep leaves. An object no part names, older than a day, is an upload that never committed.
   */
  committed(ctx: DbCtx, keys: readonly string[]): Promise<Set<string>>;
  /** Keys rotate: the file's data key sealed anew, in the caller's transaction (the object untouched). */
  setWrappedKey(ctx: DbCtx, file: ClaimedFile, wrappedKey: string): Promise<void>;
}

/** Defines an area's part (typed; nothing else). */
export const defineStoredFiles = (part: StoredFilesPart): StoredFilesPart => part;

/** Every area's part, gathered when the areas are built. */
export interface StoredFilesRegistry {
  add(part: StoredFilesPart): void;
  readonly parts: readonly StoredFilesPart[];
  /** Every kept object of every area, documents first (the order the areas are listed). */
  list(ctx: DbCtx): Promise<ClaimedFile[]>;
  /** Of `keys`, those some area's rows name. */
  committed(ctx: DbCtx, keys: readonly string[]): Promise<Set<string>>;
  /** Every prefix some area writes under (each once). */
  prefixes(): string[];
  setWrappedKey(ctx: DbCtx, file: ClaimedFile, wrappedKey: string): Promise<void>;
}

export function storedFilesRegistry(): StoredFilesRegistry {
  const parts: StoredFilesPart[] = [];
  return {
    parts,
    add(part) {
      if (parts.some((p) => p.area === part.area))
        throw new Error(`area ${part.area}: storedFiles given twice`);
      parts.push(part);
    },
    async list(ctx) {
      const all: ClaimedFile[] = [];
      for (const part of parts) all.push(...(await part.list(ctx)));
      return all;
    },
    async committed(ctx, keys) {
      const known = new Set<string>();
      let left = [...keys];
      for (const part of parts) {
        if (!left.length) break;
        for (const key of await part.committed(ctx, left)) known.add(key);
        left = left.filter((k) => !known.has(k));
      }
      return known;
    },
    prefixes: () => [...new Set(parts.flatMap((p) => p.prefixes))],
    async setWrappedKey(ctx, file, wrappedKey) {
      const part = parts.find((p) => p.area === file.area);
      if (!part) throw new Error(`no storedFiles part for area ${file.area}`);
      await part.setWrappedKey(ctx, file, wrappedKey);
    },
  };
}

/** A row's object as a claimed file, or nothing when the row keeps none (or not all of it). */
export function claimed(
  owner: Omit<ClaimedFile, keyof StoredFile>,
  file: { objectKey: string | null; wrappedKey: string | null; size: number | null; sha256: string | null },
): ClaimedFile[] {
  const { objectKey, wrappedKey, size, sha256 } = file;
  if (!objectKey || !wrappedKey || size === null || !sha256) return [];
  return [{ ...owner, objectKey, wrappedKey, size, sha256 }];
}

/** Of `keys`, those some row of `table` holds in one of its object-key `columns` (a part's `committed`). */
export async function keysNamedIn(
  ctx: DbCtx,
  table: SQLiteTable,
  columns: readonly SQLiteColumn[],
  keys: readonly string[],
): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const list = [...keys];
  const rows = await ctx.db
    .select(Object.fromEntries(columns.map((c, i) => [`k${i}`, c])))
    .from(table)
    .where(or(...columns.map((c) => inArray(c, list))));
  const wanted = new Set(list);
  return new Set(
    rows.flatMap((r) => Object.values(r)).filter((k): k is string => typeof k === 'string' && wanted.has(k)),
  );
}

/**
 * A part's `setWrappedKey` on one row: `set` (the slot's wrapped-key column, newly sealed) on the
 * row `id` names, only while its `objectKey` column still holds the file's object.
 */
export function rewrapRow<T extends SQLiteTable>(
  ctx: DbCtx,
  table: T,
  columns: { id: SQLiteColumn; objectKey: SQLiteColumn },
  file: ClaimedFile,
  set: ChangesOf<T>,
): Promise<void> {
  return updateWhere(
    ctx,
    table,
    and(eq(columns.id, file.entityId), eq(columns.objectKey, file.objectKey)),
    set,
  );
}

/** The rows of `table` that `where` picks, oldest first (then by id): a part's `list`, in a stable order. */
export async function rowsOldestFirst<T extends SQLiteTable & { createdAt: SQLiteColumn; id: SQLiteColumn }>(
  ctx: DbCtx,
  table: T,
  where: SQL | undefined,
): Promise<RowOf<T>[]> {
  const rows = await ctx.db
    .select()
    .from(table as SQLiteTable)
    .where(where)
    .orderBy(asc(table.createdAt), asc(table.id));
  return rows as RowOf<T>[];
}
