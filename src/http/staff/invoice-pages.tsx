import type { Context } from 'hono';
import { DateTime } from 'luxon';
import type { AppointmentBilling } from '../../../views/pages/staff/invoices/appointment-invoices.tsx';
import type { DraftTyped, LineTyped } from '../../../views/pages/staff/invoices/draft-editor.tsx';
import type {
  CreditTyped,
  PaymentTyped,
  SendState,
} from '../../../views/pages/staff/invoices/invoice-actions.tsx';
import type { Fmt } from '../../../views/pages/staff/invoices/invoice-bits.tsx';
import { InvoicePage, type InvoicePageProps } from '../../../views/pages/staff/invoices/invoice-page.tsx';
import { can } from '../../domain/accounts/index.ts';
import { formatMoney, type InvoiceView, minorDigits } from '../../domain/billing/index.ts';
import { actorOf } from '../middleware/staff-auth.ts';
import type { RouteKit } from '../routes.ts';
import type { AppEnv, HttpDeps } from '../types.ts';
import { staffBooker } from './appointment-panel.tsx';
import { amountText, blankLine } from './invoice-form.ts';

/** The invoice pages' formatters: the clinic's currency, time zone and locale. */
export async function invoiceFmt(deps: HttpDeps): Promise<Fmt & { digits: number; currency: string }> {
  const [clinic, settings] = await Promise.all([deps.clinic.get(), deps.billing.settings()]);
  const at = (d: Date) => DateTime.fromJSDate(d, { zone: clinic.timeZone }).setLocale(clinic.locale);
  return {
    currency: settings.currency,
    digits: minorDigits(settings.currency),
    money: (minor) => formatMoney(minor, settings.currency, clinic.locale),
    day: (d) => at(d).toLocaleString(DateTime.DATE_MED),
    time: (d) => at(d).toLocaleString(DateTime.DATETIME_MED),
    date: (iso) => DateTime.fromISO(iso, { locale: clinic.locale }).toLocaleString(DateTime.DATE_MED),
  };
}

/** A draft as the editor shows it: its lines as typed, and one empty row to add a line. */
export function draftTypedOfView(inv: InvoiceView, digits: number): DraftTyped {
  const lines: LineTyped[] = inv.lines.map((l) => ({
    item:
      (l.kind === 'service' || l.kind === 'fee') && l.serviceId
        ? `${l.kind}:${l.serviceId}`
        : l.productId
          ? `product:${l.productId}`
          : '',
    description: l.description,
    quantity: String(l.quantity),
    unitPrice: amountText(l.unitPrice, digits),
    discountPercent: l.discountBasisPoints ? String(l.discountBasisPoints / 100) : '',
    discountAmount: l.discountAmount ? amountText(l.discountAmount, digits) : '',
    taxRateId: l.taxRateId ?? 'none',
    remove: false,
  }));
  return {
    version: String(inv.version),
    lines: [...lines, blankLine],
    payerKind: inv.payer.kind,
    payerPatientId: inv.payer.kind === 'guardian' ? (inv.payer.patientId ?? '') : '',
    payerName: inv.payer.kind === 'third_party' ? inv.payer.name : '',
    payerAddress: inv.payer.kind === 'third_party' ? inv.payer.address : '',
    dueDate: inv.dueDate ?? '',
    note: inv.note,
  };
}

/** The draft as typed; an appointment's empty draft (its service unpriced) offers that service. */
async function firstDraftTyped(deps: HttpDeps, c: Context<AppEnv>, invoice: InvoiceView, digits: number) {
  const typed = draftTypedOfView(invoice, digits);
  if (invoice.lines.length || !invoice.appointmentId) return typed;
  const a = await deps.appointments.get(staffBooker(c), invoice.appointmentId).catch(() => null);
  if (a) typed.lines[0] = { ...typed.lines[0]!, item: `service:${a.serviceId}` };
  return typed;
}

/** Services (with their own price), products and tax rates a new line may name. */
async function catalogueFor(deps: HttpDeps, c: Context<AppEnv>, fmt: Fmt) {
  const actor = actorOf(c);
  const [{ taxRates, products }, services] = await Promise.all([
    deps.billing.catalogue(actor),
    deps.services.list(),
  ]);
  const active = services.filter((s) => s.active);
  const prices = await Promise.all(active.map((s) => deps.billing.catalogue(actor, s.id)));
  return {
    services: active.map((s, i) => {
      const own = prices[i]!.prices.find((p) => p.practitionerId === '');
      return { id: s.id, name: s.name, price: own ? fmt.money(own.unitPrice) : null };
    }),
    products: products
      .filter((p) => p.active)
      .map((p) => ({ id: p.id, name: p.name, price: fmt.money(p.unitPrice) })),
    taxRates: taxRates
      .filter((t) => t.active)
      .map((t) => ({ id: t.id, name: `${t.name} (${t.basisPoints / 100} %)` })),
  };
}

/** What a refused form of the page keeps: what was typed and the message. */
export interface InvoicePageState {
  status?: number;
  notice?: string | undefined;
  error?: string | undefined;
  draft?: { typed: DraftTyped; errors: Record<string, string>; error?: string | undefined };
  payment?: PaymentTyped;
  credit?: CreditTyped;
  send?: SendState;
}

/** The invoice page (its read audited by the domain), with the forms the member's role may use. */
export async function invoicePage(
  deps: HttpDeps,
  kit: RouteKit,
  c: Context<AppEnv>,
  id: string,
  state: InvoicePageState = {},
) {
  const actor = actorOf(c);
  const fmt = await invoiceFmt(deps);
  const invoice = await deps.billing.get(actor, id);
  const context = await deps.billing.context(actor, invoice);
  const manages = can(c.get('staff')!.account.role, 'billing.manage');
  const open = invoice.status === 'issued' || invoice.status === 'part_paid';
  const props: InvoicePageProps = {
    nav: { ...kit.nav(c), current: '/staff/invoices' },
    invoice,
    context,
    fmt,
    notice: state.notice,
    error: state.error,
    canVoid:
      manages &&
      invoice.kind === 'invoice' &&
      (invoice.status === 'draft' || (invoice.status === 'issued' && context.creditNotes.length === 0)),
  };
  if (manages && invoice.status === 'draft') {
    props.editor = {
      typed: state.draft?.typed ?? (await firstDraftTyped(deps, c, invoice, fmt.digits)),
      errors: state.draft?.errors ?? {},
      error: state.draft?.error,
      catalogue: await catalogueFor(deps, c, fmt),
    };
  }
  if (manages && invoice.status !== 'draft' && invoice.status !== 'void') props.send = state.send ?? {};
  if (manages && open)
    props.payment = state.payment ?? {
      method: invoice.total < 0 ? 'transfer' : 'card',
      amount: amountText(invoice.balance, fmt.digits),
      reference: '',
    };
  if (manages && invoice.kind === 'invoice' && (open || invoice.status === 'paid'))
    props.credit = state.credit ?? {
      positions: invoice.lines.map((l) => l.position),
      quantities: {},
      note: '',
    };
  return c.html(InvoicePage(props), (state.status ?? 200) as 200);
}

/** The chart's Invoices section for members who read invoices (else nothing). */
export async function patientInvoicesSection(deps: HttpDeps, c: Context<AppEnv>, patientId: string) {
  const role = c.get('staff')!.account.role;
  if (!can(role, 'billing.read')) return undefined;
  const [account, fmt] = await Promise.all([
    deps.billing.patientAccount(actorOf(c), patientId),
    invoiceFmt(deps),
  ]);
  return { patientId, ...account, canCreate: can(role, 'billing.manage'), fmt };
}

/**
 * The invoices of appointments for the member (billing.read; else none): each appointment's
 * links, and "Create invoice" for a completed one without an invoice (billing.manage).
 */
export async function appointmentBilling(
  deps: HttpDeps,
  c: Context<AppEnv>,
  appointments: readonly { id: string; status: string }[],
): Promise<Map<string, AppointmentBilling>> {
  const role = c.get('staff')!.account.role;
  const out = new Map<string, AppointmentBilling>();
  if (!can(role, 'billing.read') || appointments.length === 0) return out;
  const rows = await deps.billing.ofAppointments(
    actorOf(c),
    appointments.map((a) => a.id),
  );
  for (const a of appointments) {
    const invoices = rows.filter((r) => r.appointmentId === a.id && r.status !== 'void');
    const made = invoices.some((r) => r.origin === 'appointment' || r.origin === 'manual');
    out.set(a.id, {
      appointmentId: a.id,
      invoices,
      canCreate: a.status === 'completed' && !made && can(role, 'billing.manage'),
    });
  }
  return out;
}

/** Today's proposed fees (drafts of no-show and late-cancellation fees), for the front desk. */
export async function proposedFees(deps: HttpDeps, c: Context<AppEnv>) {
  if (!can(c.get('staff')!.account.role, 'billing.manage')) return [];
  const [register, fmt] = await Promise.all([
    deps.billing.register(actorOf(c), { origin: 'fee', status: 'draft' }),
    invoiceFmt(deps),
  ]);
  return register.rows.map((r) => ({
    id: r.id,
    patientName: r.patientName,
    name: r.origin === 'no_show' ? 'No-show fee' : 'Late cancellation fee',
    amount: fmt.money(r.total),
  }));
}
