import type { DbCtx } from '../../db/client.ts';
import { AppError, type FieldIssue, fieldIssue, validationFailed } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { BillingDeps } from './billing.deps.ts';
import {
  findProduct,
  findTaxRate,
  type LineRow,
  listServicePrices,
  type TaxRateRow,
} from './billing.repo.ts';
import type { BillingSettings, LineData } from './billing.schema.ts';
import { DiscountTooLarge, lineAmounts } from './money.ts';

/** A line ready to price: its kind and what it refers to, with the values given or defaulted. */
export interface LineDraft {
  kind: LineRow['kind'];
  serviceId?: string | null;
  productId?: string | null;
  description: string;
  quantity: number;
  unitPrice: number;
  discountBasisPoints?: number;
  discountAmount?: number;
  /** null: no tax. */
  taxRateId: string | null;
}

/** A service's price for a practitioner: their override, else the service's own (null: none set). */
export async function priceOfService(ctx: DbCtx, serviceId: string, practitionerId: string | null) {
  const rows = await listServicePrices(ctx, serviceId);
  const own = rows.find((r) => r.practitionerId === '') ?? null;
  const override = practitionerId ? rows.find((r) => r.practitionerId === practitionerId) : undefined;
  return { price: override ?? own, own };
}

/**
 * The lines given (API or staff form) as drafts: a product's or service's name, price and tax rate
 * unless the line gives its own; free text needs a description and a price. Each problem is a
 * field issue (`lines.2.unitPrice`), all reported at once.
 */
export async function draftsOfInput(
  deps: Pick<BillingDeps, 'services'>,
  ctx: DbCtx,
  settings: BillingSettings,
  inputs: readonly LineData[],
  practitionerId: string | null,
): Promise<LineDraft[]> {
  const issues: FieldIssue[] = [];
  const drafts: LineDraft[] = [];
  for (const [i, line] of inputs.entries()) {
    const at = (field: string) => `lines.${i}.${field}`;
    let kind: LineRow['kind'] = 'text';
    let description = line.description;
    let unitPrice = line.unitPrice;
    let taxRateId = line.taxRateId === undefined ? undefined : line.taxRateId;
    if (line.productId) {
      const product = await findProduct(ctx, line.productId);
      if (!product?.active) {
        issues.push(fieldIssue(at('productId'), 'No such product.'));
        continue;
      }
      kind = 'product';
      description ||= product.name;
      unitPrice ??= product.unitPrice;
      if (taxRateId === undefined) taxRateId = product.taxRateId;
    } else if (line.serviceId) {
      const service = await deps.services.get(line.serviceId).catch(() => null);
      if (!service) {
        issues.push(fieldIssue(at('serviceId'), 'No such service.'));
        continue;
      }
      if (line.kind === 'fee') {
        // A fee compensates a missed visit: its amount is the line's, no tax unless one is named.
        kind = 'fee';
        description ||= `Fee: ${service.name}`;
        if (taxRateId === undefined) taxRateId = null;
      } else {
        const { price } = await priceOfService(ctx, service.id, practitionerId);
        kind = 'service';
        description ||= service.name;
        unitPrice ??= price?.unitPrice;
        if (taxRateId === undefined) taxRateId = price?.taxRateId ?? undefined;
      }
    }
    if (!description) issues.push(fieldIssue(at('description'), 'Describe the line.'));
    if (unitPrice === undefined)
      issues.push(fieldIssue(at('unitPrice'), 'Give the price (no price is set).'));
    if (!description || unitPrice === undefined) continue;
    drafts.push({
      kind,
      serviceId: line.serviceId ?? null,
      productId: line.productId ?? null,
      description,
      quantity: line.quantity,
      unitPrice,
      discountBasisPoints: line.discountBasisPoints ?? 0,
      discountAmount: line.discountAmount ?? 0,
      taxRateId: taxRateId === undefined ? settings.defaultTaxRateId : taxRateId,
    });
  }
  if (issues.length) throw validationFailed(issues);
  return drafts;
}

/** The drafts as rows of `invoiceId`, each priced by the rounding rule (money.ts). */
export async function pricedLines(
  ctx: DbCtx,
  invoiceId: string,
  drafts: readonly LineDraft[],
): Promise<LineRow[]> {
  const rates = new Map<string, TaxRateRow | null>();
  const issues: FieldIssue[] = [];
  const rows: LineRow[] = [];
  for (const [i, d] of drafts.entries()) {
    let rate: TaxRateRow | null = null;
    if (d.taxRateId) {
      if (!rates.has(d.taxRateId)) rates.set(d.taxRateId, await findTaxRate(ctx, d.taxRateId));
      rate = rates.get(d.taxRateId) ?? null;
      if (!rate) {
        issues.push(fieldIssue(`lines.${i}.taxRateId`, 'No such tax rate.'));
        continue;
      }
    }
    // What the line is priced from, kept on its row as it was priced (the rate's percentage copied).
    const priced = {
      quantity: d.quantity,
      unitPrice: d.unitPrice,
      discountBasisPoints: d.discountBasisPoints ?? 0,
      discountAmount: d.discountAmount ?? 0,
      taxBasisPoints: rate?.basisPoints ?? 0,
      taxInclusive: rate?.inclusive ?? false,
    };
    try {
      const { net, tax, gross } = lineAmounts(priced);
      rows.push({
        id: newId(),
        invoiceId,
        position: i + 1,
        kind: d.kind,
        serviceId: d.serviceId ?? null,
        productId: d.productId ?? null,
        description: d.description,
        ...priced,
        taxRateId: rate?.id ?? null,
        taxName: rate?.name ?? '',
        net,
        tax,
        gross,
      });
    } catch (error) {
      if (!(error instanceof DiscountTooLarge)) throw error;
      issues.push(fieldIssue(`lines.${i}.discountAmount`, 'The discount is larger than the line.'));
    }
  }
  if (issues.length) throw validationFailed(issues);
  return rows;
}

/** 409 `invoice_issued`: an issued invoice never changes (a credit note corrects it). */
export const invoiceIssued = () =>
  new AppError('invoice_issued', 'This invoice is issued and cannot change: correct it with a credit note.', {
    status: 409,
  });
