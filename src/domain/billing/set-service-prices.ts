import { fieldIssue, notFound, validated, validationFailed } from '../../lib/errors.ts';
import { findStaffMemberById } from '../accounts/index.ts';
import type { Actor } from '../audit/index.ts';
import type { BillingDeps } from './billing.deps.ts';
import { assertCan, billingStaffOf } from './billing.policy.ts';
import {
  deleteServicePriceOverrides,
  findTaxRate,
  listServicePrices,
  type ServicePriceRow,
  upsertServicePrice,
} from './billing.repo.ts';
import { servicePricesInput } from './billing.schema.ts';

/**
 * Sets a service's prices at once (admins, settings.manage), in one transaction: its own price,
 * tax rate, no-show and late-cancellation fees, and the practitioners' overrides — each override
 * at the service's tax rate; an override not listed is removed. Invoices already made keep
 * their prices. Audited with the number of overrides, never amounts.
 */
export async function setServicePrices(
  deps: BillingDeps,
  actor: Actor,
  serviceId: string,
  input: unknown,
): Promise<ServicePriceRow[]> {
  assertCan(await billingStaffOf(deps, actor), 'settings.manage');
  const data = validated(servicePricesInput, input);
  await deps.services.get(serviceId); // 404 for no such service
  const issues = [];
  for (const [i, o] of data.overrides.entries()) {
    const member = await findStaffMemberById(deps.db.reader, o.practitionerId);
    if (member?.role !== 'practitioner')
      issues.push(fieldIssue(`overrides.${i}.practitionerId`, 'No such practitioner.'));
  }
  if (issues.length) throw validationFailed(issues);
  return deps.db.tx(async (ctx) => {
    if (data.taxRateId && !(await findTaxRate(ctx, data.taxRateId))) throw notFound('That tax rate');
    const updatedAt = deps.clock.now();
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
    await deps.audit.record(ctx, actor, {
      action: 'billing.set-prices',
      entity: 'service',
      entityId: serviceId,
      details: { overrides: data.overrides.length },
    });
    return listServicePrices(ctx, serviceId);
  });
}
