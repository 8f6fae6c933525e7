import { basisPointsOf, minorUnitsOf } from '../../../domain/billing/index.ts';
import { type FieldIssue, fieldIssue, validationFailed } from '../../../lib/errors.ts';
import type { FormFields } from '../../kit/form.ts';
import type { Refusal } from '../../kit/refusal.ts';

/**
 * The billing settings' forms read as typed: amounts as decimals of the clinic currency ("45.50")
 * and rates as percentages ("5.5"), turned into minor units and basis points here; a number that
 * cannot be read is a field issue, and all of them are refused together before anything is
 * written (the domain's schema checks the rest).
 */
export class FormReading {
  readonly issues: FieldIssue[] = [];
  constructor(private readonly currency: string) {}

  /** An amount typed in the currency; '' is null when `optional`, else an issue. */
  money(field: string, text: string, optional = false): number | null {
    if (text.trim() === '') {
      if (!optional) this.issues.push(fieldIssue(field, 'Give the amount.'));
      return null;
    }
    const minor = minorUnitsOf(text, this.currency);
    if (typeof minor === 'number') return minor;
    this.issues.push(fieldIssue(field, minor.error as Capitalize<string>));
    return null;
  }

  percent(field: string, text: string): number | null {
    const bp = basisPointsOf(text);
    if (typeof bp === 'number') return bp;
    this.issues.push(fieldIssue(field, bp.error as Capitalize<string>));
    return null;
  }

  wholeNumber(field: string, text: string, message: Capitalize<string>): number | null {
    if (/^\s*\d{1,6}\s*$/.test(text)) return Number(text);
    this.issues.push(fieldIssue(field, message));
    return null;
  }

  /** Throws the issues found (422, re-rendered by the form). */
  done(): void {
    if (this.issues.length) throw validationFailed(this.issues);
  }
}

/** The refusal's messages by field, or the whole message when it names none (`_form`). */
export const errorsOf = (r: Refusal): Record<string, string> =>
  Object.keys(r.fields).length ? r.fields : { _form: r.message };

/** The status a form shown again answers with: its refusal's (404, 409 or 422). */
export const statusOf = (r: Refusal): 404 | 409 | 422 =>
  r.status === 404 || r.status === 409 ? r.status : 422;

/** What a billing form shows again: invalid input, and a refusal such as currency_locked or a missing rate. */
export const shownAgain = (e: { status: number }) => e.status === 422 || e.status === 409 || e.status === 404;

export const settingsValuesOf = (form: FormFields) => ({
  currency: form.text('currency').trim().toUpperCase(),
  dueDays: form.text('dueDays'),
  onCompletion: form.text('onCompletion'),
  defaultTaxRateId: form.text('defaultTaxRateId'),
  legalName: form.text('legalName'),
  legalAddress: form.text('legalAddress'),
  taxNumber: form.text('taxNumber'),
  bankDetails: form.text('bankDetails'),
  legalDetails: form.text('legalDetails'),
  footer: form.text('footer'),
});

export function settingsInputOf(values: ReturnType<typeof settingsValuesOf>, currency: string) {
  const reading = new FormReading(currency);
  const dueDays = reading.wholeNumber('dueDays', values.dueDays, 'Payment terms: a whole number of days.');
  reading.done();
  return { ...values, dueDays, defaultTaxRateId: values.defaultTaxRateId || null };
}

export const taxRateValuesOf = (form: FormFields) => ({
  name: form.text('name'),
  percent: form.text('percent'),
  inclusive: form.text('inclusive') === 'yes' ? 'yes' : 'no',
});

export function taxRateInputOf(values: ReturnType<typeof taxRateValuesOf>) {
  const reading = new FormReading('EUR');
  const basisPoints = reading.percent('percent', values.percent);
  reading.done();
  return { name: values.name, basisPoints, inclusive: values.inclusive === 'yes' };
}

export const productValuesOf = (form: FormFields) => ({
  name: form.text('name'),
  unitPrice: form.text('unitPrice'),
  taxRateId: form.text('taxRateId'),
});

export function productInputOf(values: ReturnType<typeof productValuesOf>, currency: string) {
  const reading = new FormReading(currency);
  const unitPrice = reading.money('unitPrice', values.unitPrice);
  reading.done();
  return { name: values.name, unitPrice, taxRateId: values.taxRateId || null };
}

/** The service price form: its own fields and `override-<practitioner id>` per practitioner. */
export const servicePriceValuesOf = (form: FormFields, practitionerIds: readonly string[]) => ({
  unitPrice: form.text('unitPrice'),
  taxRateId: form.text('taxRateId'),
  noShowFee: form.text('noShowFee'),
  lateCancelFee: form.text('lateCancelFee'),
  ...Object.fromEntries(practitionerIds.map((id) => [`override-${id}`, form.text(`override-${id}`)])),
});

export function servicePriceInputOf(
  values: Record<string, string>,
  currency: string,
  practitionerIds: readonly string[],
) {
  const reading = new FormReading(currency);
  const unitPrice = reading.money('unitPrice', values.unitPrice ?? '');
  const noShowFee = reading.money('noShowFee', values.noShowFee ?? '', true);
  const lateCancelFee = reading.money('lateCancelFee', values.lateCancelFee ?? '', true);
  const overrides = practitionerIds.flatMap((practitionerId) => {
    const price = reading.money(
      `override-${practitionerId}`,
      values[`override-${practitionerId}`] ?? '',
      true,
    );
    return price === null ? [] : [{ practitionerId, unitPrice: price }];
  });
  reading.done();
  return { unitPrice, taxRateId: values.taxRateId || null, noShowFee, lateCancelFee, overrides };
}
