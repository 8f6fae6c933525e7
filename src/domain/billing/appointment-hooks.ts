import type { DbCtx } from '../../db/client.ts';
import type { Actor } from '../audit/index.ts';
import { type Appointment, findServiceById } from '../scheduling/index.ts';
import type { BillingDeps } from './billing.deps.ts';
import { findDraftOfAppointment } from './billing.repo.ts';
import { readSettings } from './catalogue.ts';
import { writeDraft } from './create-invoice.ts';
import { priceOfService } from './price-lines.ts';

/**
 * The end of a visit, in the scheduling change's transaction (`appointments.onStatusChanged`):
 * - completed: with the setting "on completion: make a draft", a draft of the service at the
 *   practitioner's price (none when the service has no price: staff make it by hand); with
 *   "offer a button", nothing here — the staff's button calls `createInvoice({appointmentId})`;
 * - no-show, or cancelled late by the patient: when the service's policy has that fee, a draft
 *   holding it as a fee line, for staff to confirm (issue it) or decline (void it).
 * At most one such draft per appointment and kind, so a status undone and redone adds nothing.
 */
export function onVisitEnded(deps: BillingDeps) {
  return async (
    ctx: DbCtx,
    appointment: Appointment,
    actor: Actor,
    event: 'completed' | 'no_show' | 'late_cancelled',
  ): Promise<void> => {
    const settings = await readSettings(deps, ctx);
    const origin = event === 'completed' ? 'appointment' : event === 'no_show' ? 'no_show' : 'late_cancel';
    if (event === 'completed' && settings.onCompletion !== 'draft') return;
    if (await findDraftOfAppointment(ctx, appointment.id, origin)) return;
    const { price, own } = await priceOfService(ctx, appointment.serviceId, appointment.practitionerId);
    // Read in the transaction (not through the services' reader: on a one-connection database it would wait for it).
    const service = await findServiceById(ctx, appointment.serviceId);
    if (!service) return;
    const fields = {
      patientId: appointment.patientId,
      appointmentId: appointment.id,
      practitionerId: appointment.practitionerId,
      origin,
    } as const;
    if (event === 'completed') {
      if (!price) return;
      await writeDraft(deps, ctx, actor, settings, fields, [
        {
          kind: 'service',
          serviceId: service.id,
          description: service.name,
          quantity: 1,
          unitPrice: price.unitPrice,
          taxRateId: price.taxRateId ?? settings.defaultTaxRateId,
        },
      ]);
      return;
    }
    const fee = event === 'no_show' ? own?.noShowFee : own?.lateCancelFee;
    if (!fee) return;
    await writeDraft(deps, ctx, actor, settings, fields, [
      {
        kind: 'fee',
        serviceId: service.id,
        description: `${event === 'no_show' ? 'No-show fee' : 'Late cancellation fee'}: ${service.name}`,
        quantity: 1,
        unitPrice: fee,
        // A fee compensates a missed visit: no tax unless staff add one before issuing.
        taxRateId: null,
      },
    ]);
  };
}
