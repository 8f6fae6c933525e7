import type { DbCtx } from '../../db/client.ts';
import { fieldIssue, notFound, validated, validationFailed } from '../../lib/errors.ts';
import { findStaffMemberById, staffWhoCan } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { BillingDeps } from './billing.deps.ts';

import {
  deleteServicePriceOverrides,
  findTaxRate,
  listServicePrices,
  type ServicePriceRow,
  upsertServicePrice,
} from './billing.repo.ts';
import { servicePricesInput } from './billing.schema.ts';

/** A change of a service's prices: its input's schema, the audit action, and the writes. */
interface PriceChange<T> {
  schema: Parameters<typeof validated<T>>[0];
  action: `billing.${string}`;
  /** Checks of the read input before the transaction (refusals change nothing). */
  check?(deps: BillingDeps, data: T): Promise<void>;
  /** The writes, in the transaction; answers the audit row's details. */
  write(
    ctx: DbCtx,
    data: T,
    at: { serviceId: string; updatedAt: Date },
  ): Promise<Record<string, string | number | null>>;
}

/**
 * The use case of a change of a service's prices (admins, settings.manage): the input read, the
 * service (404), then in one transaction the tax rate it names (404), the writes and the audit
 * row; answers the service's prices as they then are. Invoices already made keep their prices.
 */
export const servicePriceChange =
  <T extends { taxRateId: string | null }>(change: PriceChange<T>) =>
  async (deps: BillingDeps, actor: Actor, serviceId: string, input: unknown): Promise<ServicePriceRow[]> => {
    await staffWhoCan(deps.db.reader, actor, 'settings.manage');
    const data = validated(change.schema, input);
    await deps.services.get(serviceId); // 404 for no such service
    await change.check?.(deps, data);
    return deps.db.tx(async (ctx) => {
      if (data.taxRateId && !(await findTaxRate(ctx, data.taxRateId))) throw notFound('That tax rate');
      const details = await change.write(ctx, data, { serviceId, updatedAt: deps.clock.now() });
      await deps.audit.record(ctx, actor, {
        action: change.action,
        entity: 'service',
        entityId: serviceId,
        details,
      });
      return listServicePrices(ctx, serviceId);
    });
  };

/**
 * Sets a service's prices at once (admins, settings.manage), in one transaction: its own price,
 * tax rate, no-show and late-cancellation fees, and the practitioners' overrides — each override
 * at the service's tax rate; an override not listed is removed. Invoices already made keep
 * their prices. Audited with the number of overrides, never amounts.
 */
export const setServicePrices = servicePriceChange({
  schema: servicePricesInput,
  action: 'billing.set-prices',
  async check(deps, data) {
    const issues = [];
    for (const [i, o] of data.overrides.entries()) {
      const member = await findStaffMemberById(deps.db.reader, o.practitionerId);
      if (member?.role !== 'practitioner')
        issues.push(fieldIssue(`overrides.${i}.practitionerId`, 'No such practitioner.'));
    }
    if (issues.length) throw validationFailed(issues);
  },
  async write(ctx, data, { serviceId, updatedAt }) {
    const row = { serviceId, taxRateId: data.taxRateId, updatedAt };
    await upsertServicePrice(ctx, {
      ...row,
      practitionerId: '',
      unitPrice: data.unitPrice,
      noShowFee: data.noShowFee,
      lateCancelFee: data.lateCancelFee,
    });
    await deleteServicePriceOverrides(
      ctx,
      serviceId,
      data.overrides.map((o) => o.practitionerId),
    );
    for (const o of data.overrides)
      await upsertServicePrice(ctx, {
        ...row,
        practitionerId: o.practitionerId,
        unitPrice: o.unitPrice,
        noShowFee: null,
        lateCancelFee: null,
      });
    return { overrides: data.overrides.length };
  },
});
