import type { DraftTyped, LineTyped } from '../../../views/pages/staff/invoices/draft-editor.tsx';
import { type FieldIssue, fieldIssue, validationFailed } from '../../lib/errors.ts';
import type { FormFields } from '../kit/form.ts';

/**
 * The invoice pages' forms as typed, and as the billing domain takes them: amounts typed in the
 * clinic currency's major units (`45.00`, `45,5`) become integer minor units; percentages become
 * basis points; the editor's rows (`l<i>_<field>`) become lines, the empty new row left out.
 */

/** An amount typed in major units as minor units; null when it is not one (or has too many decimals). */
export function parseAmount(text: string, digits: number): number | null {
  const t = text.trim().replace(/\s/g, '').replace(',', '.');
  const m = /^(-)?(\d{1,13})(?:\.(\d*))?$/.exec(t);
  if (!m) return null;
  const fraction = m[3] ?? '';
  if (fraction.length > digits) return null;
  const minor = Number(m[2]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return m[1] ? -minor : minor;
}

/** Minor units as typed in a form (`4500` → `45.00`). */
export function amountText(minor: number, digits: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (digits === 0) return `${sign}${abs}`;
  const unit = 10 ** digits;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(digits, '0')}`;
}

export const blankLine: LineTyped = {
  item: '',
  description: '',
  quantity: '1',
  unitPrice: '',
  discountPercent: '',
  discountAmount: '',
  taxRateId: '',
  remove: false,
};

const isBlank = (l: LineTyped) => !l.item && !l.description.trim() && !l.unitPrice.trim();

export function draftTypedOf(form: FormFields): DraftTyped {
  const rows = Math.min(Number(form.text('rows')) || 0, 201);
  const lines: LineTyped[] = [];
  for (let i = 0; i < rows; i++) {
    const f = (name: string) => form.text(`l${i}_${name}`);
    lines.push({
      item: f('item'),
      description: f('description'),
      quantity: f('quantity'),
      unitPrice: f('unitPrice'),
      discountPercent: f('discountPercent'),
      discountAmount: f('discountAmount'),
      taxRateId: f('taxRateId'),
      remove: form.checked(`l${i}_remove`),
    });
  }
  return {
    version: form.text('version'),
    lines,
    payerKind: form.text('payerKind') || 'patient',
    payerPatientId: form.text('payerPatientId'),
    payerName: form.text('payerName'),
    payerAddress: form.text('payerAddress'),
    dueDate: form.text('dueDate'),
    note: form.text('note'),
  };
}

/**
 * The update the domain takes, and for each line sent the editor row it came from (the domain's
 * `lines.<n>.<field>` issues are shown on that row). Amounts it cannot read are refused here.
 */
export function draftUpdateOf(typed: DraftTyped, digits: number): { input: object; rowOf: number[] } {
  const issues: FieldIssue[] = [];
  const rowOf: number[] = [];
  const lines: object[] = [];
  typed.lines.forEach((l, row) => {
    if (l.remove || isBlank(l)) return;
    const at = (field: string) => `row.${row}.${field}`;
    const money = (text: string, field: string) => {
      if (!text.trim()) return undefined;
      const v = parseAmount(text, digits);
      if (v === null || v < 0) issues.push(fieldIssue(at(field), 'An amount such as 45.00.'));
      return v ?? undefined;
    };
    const percent = l.discountPercent.trim() ? Number(l.discountPercent.replace(',', '.')) : undefined;
    if (percent !== undefined && !(percent >= 0 && percent <= 100))
      issues.push(fieldIssue(at('discountPercent'), 'A percentage from 0 to 100.'));
    const [kind, id] = l.item.split(':');
    rowOf.push(row);
    lines.push({
      ...(kind === 'service' && id ? { serviceId: id } : {}),
      // A proposed fee keeps its kind through an edit (the domain refuses any other kind said).
      ...(kind === 'fee' && id ? { kind: 'fee', serviceId: id } : {}),
      ...(kind === 'product' && id ? { productId: id } : {}),
      ...(l.description.trim() ? { description: l.description } : {}),
      quantity: Number(l.quantity.trim() || 'NaN'),
      ...opt('unitPrice', money(l.unitPrice, 'unitPrice')),
      ...opt('discountBasisPoints', percent === undefined ? undefined : Math.round(percent * 100)),
      ...opt('discountAmount', money(l.discountAmount, 'discountAmount')),
      ...(l.taxRateId === 'none' ? { taxRateId: null } : l.taxRateId ? { taxRateId: l.taxRateId } : {}),
    });
  });
  if (issues.length) throw validationFailed(issues);
  const payer =
    typed.payerKind === 'third_party'
      ? { kind: 'third_party', name: typed.payerName, address: typed.payerAddress }
      : typed.payerKind === 'guardian'
        ? { kind: 'guardian', ...(typed.payerPatientId ? { patientId: typed.payerPatientId } : {}) }
        : { kind: 'patient' };
  const version = Number(typed.version);
  return {
    input: {
      ...(Number.isInteger(version) && version > 0 ? { version } : {}),
      lines,
      payer,
      dueDate: typed.dueDate.trim() || null,
      note: typed.note,
    },
    rowOf,
  };
}

const opt = <K extends string>(key: K, value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? {} : { [key]: value };

/**
 * The domain's issues as the editor shows them: `lines.<n>.<field>` on the row it came from
 * (`row.<r>.<field>`), the payer's on its fields, the rest as they are.
 */
export function editorIssues(
  issues: readonly FieldIssue[],
  rowOf: readonly number[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const m = /^lines\.(\d+)\.(\w+)/.exec(issue.path);
    const key = m ? `row.${rowOf[Number(m[1])] ?? m[1]}.${m[2]}` : issue.path;
    out[key] ??= issue.message;
  }
  return out;
}
