import type { InvoiceView } from '../../../../src/domain/billing/index.ts';
import { Fact } from '../../../components/facts.tsx';
import { FieldError } from '../../../components/fields.tsx';
import { SwapForm } from '../../../components/form.tsx';
import type { Fmt } from './invoice-bits.tsx';

/** One row of the editor as typed (strings), shown again when refused. */
export interface LineTyped {
  /** '' free text, `service:<id>`, `product:<id>`, `fee:<serviceId>` (a proposed fee, kept as one). */
  item: string;
  description: string;
  quantity: string;
  unitPrice: string;
  discountPercent: string;
  discountAmount: string;
  /** '' the item's (or the clinic's default), `none`, or a tax rate's id. */
  taxRateId: string;
  remove: boolean;
}

/** The editor as typed. */
export interface DraftTyped {
  version: string;
  lines: LineTyped[];
  payerKind: string;
  payerPatientId: string;
  payerName: string;
  payerAddress: string;
  dueDate: string;
  note: string;
}

/** What a new line may be: services (with their price when set), products, and the tax rates. */
export interface Catalogue {
  services: { id: string; name: string; price: string | null }[];
  products: { id: string; name: string; price: string }[];
  taxRates: { id: string; name: string }[];
}

export interface EditorProps {
  invoice: InvoiceView;
  typed: DraftTyped;
  /** Field errors: `row.<r>.<field>`, `payer.name`, `dueDate`… */
  errors: Record<string, string>;
  /** A refusal not tied to a field (the draft changed meanwhile…). */
  error?: string | undefined;
  catalogue: Catalogue;
  guardians: { id: string; name: string }[];
  csrf: string;
  fmt: Fmt;
}

/**
 * The draft's editor: a form of its lines (each changeable or removed, one empty row to add a
 * line: a service at its price, a product, or free text), the payer, due date and note. "Save"
 * lets the domain price the lines and total them; with htmx only the editor is redrawn, without
 * it the page comes back. "Save and issue" saves, then issues.
 */
export function DraftEditor(props: EditorProps) {
  const { invoice: inv, typed, errors } = props;
  const action = `/staff/invoices/${inv.id}`;
  return (
    <SwapForm
      id="invoice-editor"
      action={action}
      csrf={props.csrf}
      target="invoice-editor"
      swap="outerMorph"
      class="stack invoice-editor"
      label="Draft invoice"
    >
      <input type="hidden" name="version" value={typed.version} />
      <input type="hidden" name="rows" value={String(typed.lines.length)} />
      {props.error || Object.keys(errors).length ? (
        <p class="error" role="alert" id="form-error">
          {props.error ?? 'Some of what was typed cannot be used: see the fields marked. Nothing was saved.'}
        </p>
      ) : null}
      <div class="table-scroll">
        <table class="lines-editor">
          <caption class="visually-hidden">Lines</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Description</th>
              <th scope="col">Qty</th>
              <th scope="col">Unit price</th>
              <th scope="col">Discount %</th>
              <th scope="col">Discount</th>
              <th scope="col">Tax</th>
              <th scope="col">Amount</th>
              <th scope="col">Remove</th>
            </tr>
          </thead>
          <tbody>
            {typed.lines.map((l, r) => (
              <LineRow {...props} line={l} row={r} />
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted">
        To add a line, fill the last row (choose a service or product for its price, or describe it and give a
        price), then Save.
      </p>
      <Totals invoice={inv} fmt={props.fmt} />
      <PayerFields {...props} />
      <div class="field">
        <label for="f-dueDate">Due date</label>
        <input
          id="f-dueDate"
          name="dueDate"
          type="date"
          value={typed.dueDate}
          aria-describedby="f-dueDate-hint"
        />
        <small id="f-dueDate-hint" class="muted">
          Empty: the clinic’s days from the day it is issued.
        </small>
        <FieldError id="f-dueDate" text={errors.dueDate} />
      </div>
      <div class="field">
        <label for="f-note">Note on the invoice</label>
        <textarea id="f-note" name="note" rows={2} maxlength={2000}>
          {typed.note}
        </textarea>
      </div>
      <div class="actions">
        <button type="submit">Save</button>
        <button type="submit" class="secondary" formaction={`${action}/issue`} hx-post={`${action}/issue`}>
          Save and issue
        </button>
      </div>
    </SwapForm>
  );
}

function LineRow(props: EditorProps & { line: LineTyped; row: number }) {
  const { line: l, row: r, errors, catalogue } = props;
  const saved = props.invoice.lines[r];
  const isNew = r >= props.invoice.lines.length;
  const err = (field: string) => errors[`row.${r}.${field}`];
  const input = (field: keyof LineTyped, label: string, attrs: Record<string, string | number> = {}) => {
    const id = `l${r}_${field}`;
    return (
      <>
        <label for={id} class="visually-hidden">
          {label} (line {r + 1})
        </label>
        <input
          id={id}
          name={id}
          value={String(l[field])}
          aria-invalid={err(field) ? 'true' : undefined}
          aria-describedby={err(field) ? `${id}-error` : undefined}
          {...attrs}
        />
        <FieldError id={id} text={err(field)} />
      </>
    );
  };
  return (
    <tr data-row={r} class={isNew ? 'new-line' : undefined}>
      <td>
        {isNew ? (
          <>
            <label for={`l${r}_item`} class="visually-hidden">
              New line: item
            </label>
            <select id={`l${r}_item`} name={`l${r}_item`}>
              <option value="">Free text</option>
              <optgroup label="Services">
                {catalogue.services.map((s) => (
                  <option value={`service:${s.id}`} selected={l.item === `service:${s.id}`}>
                    {s.name}
                    {s.price ? ` — ${s.price}` : ''}
                  </option>
                ))}
              </optgroup>
              {catalogue.products.length ? (
                <optgroup label="Products">
                  {catalogue.products.map((p) => (
                    <option value={`product:${p.id}`} selected={l.item === `product:${p.id}`}>
                      {p.name} — {p.price}
                    </option>
                  ))}
                </optgroup>
              ) : null}
            </select>
            <FieldError id={`l${r}_item`} text={err('serviceId') ?? err('productId')} />
          </>
        ) : (
          <>
            <input type="hidden" name={`l${r}_item`} value={l.item} />
            {saved ? kindWord[saved.kind] : ''}
          </>
        )}
      </td>
      <td>
        {input('description', 'Description', { maxlength: 500, placeholder: isNew ? 'From the item' : '' })}
      </td>
      <td>{input('quantity', 'Quantity', { inputmode: 'numeric', size: 3 })}</td>
      <td>{input('unitPrice', 'Unit price', { inputmode: 'decimal', size: 7 })}</td>
      <td>{input('discountPercent', 'Discount in percent', { inputmode: 'decimal', size: 4 })}</td>
      <td>{input('discountAmount', 'Discount amount', { inputmode: 'decimal', size: 6 })}</td>
      <td>
        <label for={`l${r}_taxRateId`} class="visually-hidden">
          Tax rate (line {r + 1})
        </label>
        <select id={`l${r}_taxRateId`} name={`l${r}_taxRateId`}>
          {isNew ? <option value="">The item’s</option> : null}
          <option value="none" selected={l.taxRateId === 'none'}>
            No tax
          </option>
          {catalogue.taxRates.map((t) => (
            <option value={t.id} selected={l.taxRateId === t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <FieldError id={`l${r}_taxRateId`} text={err('taxRateId')} />
      </td>
      <td class="num">{saved && !isNew ? props.fmt.money(saved.gross) : '—'}</td>
      <td>
        {isNew ? null : (
          <label>
            <input type="checkbox" name={`l${r}_remove`} checked={l.remove} />
            <span class="visually-hidden">Remove line {r + 1}</span>
          </label>
        )}
      </td>
    </tr>
  );
}

const kindWord: Record<InvoiceView['lines'][number]['kind'], string> = {
  service: 'Service',
  product: 'Product',
  text: 'Text',
  fee: 'Fee',
};

/** Subtotal, tax per rate, total: as the domain computed them. */
export function Totals(props: { invoice: InvoiceView; fmt: Fmt }) {
  const { invoice: inv, fmt } = props;
  return (
    <dl class="invoice-totals" id="invoice-totals">
      <Fact term="Subtotal (before tax)">{fmt.money(inv.subtotal)}</Fact>
      {inv.taxes.map((t) => (
        <>
          <dt>
            {t.name || 'Tax'} {t.basisPoints / 100} %{t.inclusive ? ' (included)' : ''}
          </dt>
          <dd>{fmt.money(t.tax)}</dd>
        </>
      ))}
      <Fact term="Total">
        <strong data-total="invoice">{fmt.money(inv.total)}</strong>
      </Fact>
    </dl>
  );
}

function PayerFields(props: EditorProps) {
  const { typed, errors } = props;
  const kinds: [string, string][] = [
    ['patient', 'The patient'],
    ...(props.guardians.length ? [['guardian', 'A guardian'] as [string, string]] : []),
    ['third_party', 'A third party (insurer, employer)'],
  ];
  return (
    <fieldset class="payer choices">
      <legend>Who pays</legend>
      {kinds.map(([value, label]) => (
        <label>
          <input type="radio" name="payerKind" value={value} checked={typed.payerKind === value} /> {label}
        </label>
      ))}
      {props.guardians.length ? (
        <div class="field">
          <label for="f-payerPatientId">Guardian</label>
          <select id="f-payerPatientId" name="payerPatientId">
            {props.guardians.map((g) => (
              <option value={g.id} selected={typed.payerPatientId === g.id}>
                {g.name}
              </option>
            ))}
          </select>
          <FieldError id="f-payerPatientId" text={errors['payer.patientId']} />
        </div>
      ) : null}
      <div class="field">
        <label for="f-payerName">Third party’s name</label>
        <input id="f-payerName" name="payerName" value={typed.payerName} maxlength={200} />
        <FieldError id="f-payerName" text={errors['payer.name']} />
      </div>
      <div class="field">
        <label for="f-payerAddress">Third party’s address</label>
        <textarea id="f-payerAddress" name="payerAddress" rows={3} maxlength={1000}>
          {typed.payerAddress}
        </textarea>
        <FieldError id="f-payerAddress" text={errors['payer.address']} />
      </div>
    </fieldset>
  );
}
