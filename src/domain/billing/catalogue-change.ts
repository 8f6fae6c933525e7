import type { DbCtx } from '../../db/client.ts';
import { notFound, validated } from '../../lib/errors.ts';
import { staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { BillingDeps } from './billing.deps.ts';

/** A change of one catalogue item (a tax rate, a product): its input, checks and write. */
interface CatalogueChange<T extends { active?: boolean | undefined }, R> {
  schema: Parameters<typeof validated<T>>[0];
  find(ctx: DbCtx, id: string): Promise<R | null>;
  /** Refusals in the transaction before the write (nothing is changed). */
  check?(deps: BillingDeps, ctx: DbCtx, id: string, data: T): Promise<void>;
  /** The write; answers the row as it then stands. */
  write(deps: BillingDeps, ctx: DbCtx, id: string, data: T): Promise<R | null>;
}

/** The catalogue's items: the audit entity, and how a 404 names one. */
const items = { tax_rate: 'That tax rate', product: 'That product' } as const;

/**
 * The use case of a change of one catalogue item (admins, settings.manage): the input read, then in
 * one transaction the item (404), the checks, the write and the audit row — `billing.archive-…`
 * when it is archived (`active: false`), else `billing.change-…`, with the names of the fields
 * changed. Lines already on invoices keep what they were priced with.
 */
export const catalogueChange =
  <T extends { active?: boolean | undefined }, R>(entity: keyof typeof items, item: CatalogueChange<T, R>) =>
  async (deps: BillingDeps, actor: Actor, id: string, input: unknown): Promise<R> => {
    await staffWhoCan(deps.db.reader, actor, 'settings.manage');
    const data = validated(item.schema, input);
    return deps.db.tx(async (ctx) => {
      if (!(await item.find(ctx, id))) throw notFound(items[entity]);
      await item.check?.(deps, ctx, id, data);
      const row = await item.write(deps, ctx, id, data);
      const name = entity.replace('_', '-');
      await deps.audit.record(ctx, actor, {
        action: data.active === false ? `billing.archive-${name}` : `billing.change-${name}`,
        entity,
        entityId: id,
        details: { fields: Object.keys(data as object).join(',') },
      });
      return row!;
    });
  };
