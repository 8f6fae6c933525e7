import type { App } from '../app.ts';

/**
 * The demo clinic's billing (issue 20): pounds sterling, the clinic's legal details, VAT (20 %,
 * inside retail prices; healthcare exempt), a price for every service (a senior physiotherapist's
 * own price for follow-ups), no-show and late-cancellation fees, and a few products sold at the
 * desk — so the invoice pages and reports of the demo have something to show. Made through the
 * billing service as the admin, as the Billing settings page makes them. The numbers are
 * invented (the VAT and company numbers are not real).
 */
export async function seedDemoBilling(app: App, serviceIds: ReadonlyMap<string, string>): Promise<void> {
  const { billing, staff, practitioners } = app.deps;
  const admin = (await staff.accounts.list()).find((a) => a.role === 'admin');
  if (!admin) return;
  const actor = { type: 'staff' as const, id: admin.id };
  const vat = await billing.createTaxRate(actor, { name: 'VAT', basisPoints: 2000, inclusive: true });
  const exempt = await billing.createTaxRate(actor, { name: 'VAT exempt', basisPoints: 0, inclusive: false });
  await billing.updateSettings(actor, {
    currency: 'GBP',
    dueDays: 14,
    onCompletion: 'button',
    defaultTaxRateId: exempt.id,
    legalName: 'Riverside Health Ltd',
    legalAddress: '12 River Lane\nLondon SE1 9RA',
    taxNumber: 'VAT GB 123 4567 89',
    bankDetails: 'Sort code 20-00-00 · Account 12345678 · Riverside Health Ltd',
    legalDetails:
      'Registered in England and Wales, company no. 01234567. Healthcare by registered professionals is exempt from VAT.',
    footer: 'Thank you for choosing Riverside Health. Questions about this invoice: +44 20 7946 0000.',
  });
  const sofia = (await practitioners.list()).find((p) => p.name === 'Sofia Rossi');
  const prices: Record<string, { price: number; noShow?: number; late?: number; vat?: boolean }> = {
    assessment: { price: 7500, noShow: 4000, late: 2500 },
    physio: { price: 5500, noShow: 3000, late: 2000 },
    massage: { price: 6000, noShow: 3000, vat: true },
    gp: { price: 6500, noShow: 2500 },
    psychology: { price: 9500, noShow: 9500, late: 5000 },
    acupuncture: { price: 5000, noShow: 2500 },
  };
  for (const [key, p] of Object.entries(prices)) {
    const serviceId = serviceIds.get(key);
    if (!serviceId) continue;
    await billing.setServicePrices(actor, serviceId, {
      unitPrice: p.price,
      taxRateId: p.vat ? vat.id : exempt.id,
      noShowFee: p.noShow ?? null,
      lateCancelFee: p.late ?? null,
      overrides: key === 'physio' && sofia ? [{ practitionerId: sofia.accountId, unitPrice: 6000 }] : [],
    });
  }
  for (const [name, unitPrice] of [
    ['Resistance band', 650],
    ['Knee support', 2400],
    ['Hot and cold pack', 950],
    ['Kinesiology tape (roll)', 800],
  ] as const)
    await billing.createProduct(actor, { name, unitPrice, taxRateId: vat.id });
  await seedDemoInvoices(app, actor);
}

/**
 * The last fortnight's completed visits invoiced and issued; most paid at the desk (card, cash) or
 * by transfer, some part paid, some still open — so the invoice list, a chart's balance, the
 * takings and the ageing report have real figures. Issued through the billing service (numbered,
 * audited); their emails wait in the queue like any other.
 */
async function seedDemoInvoices(app: App, actor: { type: 'staff'; id: string }): Promise<void> {
  const { billing, appointments, clock } = app.deps;
  const now = clock.now();
  const visits = (
    await appointments.listRange(actor, { from: new Date(now.getTime() - 14 * 86_400_000), to: now })
  ).filter((e) => e.appointment.status === 'completed');
  const methods = ['card', 'card', 'card', 'cash', 'transfer'] as const;
  for (const [i, { appointment }] of visits.slice(-40).entries()) {
    const draft = await billing.create(actor, { appointmentId: appointment.id });
    if (draft.lines.length === 0) continue;
    const issued = await billing.issue(actor, draft.id);
    const receivedAt = appointment.endAt.toISOString();
    if (i % 8 === 5) continue; // still open
    const amount = i % 8 === 6 ? Math.floor(issued.total / 2) : issued.total; // part paid
    await billing.pay(actor, issued.id, { method: methods[i % methods.length], amount, receivedAt });
  }
}
