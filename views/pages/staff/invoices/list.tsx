import type { Register, RegisterRow } from '../../../../src/domain/billing/index.ts';
import { CheckField, DateRangeFields, Field, SelectField } from '../../../components/fields.tsx';
import { FilterForm } from '../../../components/form.tsx';
import { Alert, Notice } from '../../../components/notice.tsx';
import { DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';
import { type Fmt, invoiceName, invoiceStyles, StatusWord, statusWords } from './invoice-bits.tsx';

/** The register's filters as typed (they are the page's query). */
export interface RegisterQueryTyped {
  status: string;
  from: string;
  to: string;
  q: string;
  outstanding: boolean;
  origin: string;
}

const methodWords: Record<string, string> = {
  cash: 'cash',
  card: 'card',
  transfer: 'transfer',
  other: 'other',
};

/** The query string of the register with `page` (the filters kept). */
export function registerHref(q: RegisterQueryTyped, page: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v && v !== false) params.set(k, v === true ? '1' : String(v));
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return `/staff/invoices${s ? `?${s}` : ''}`;
}

/**
 * Invoices: the front desk's money for the day — what is outstanding and what came in today at
 * the top, then every invoice (or those the filters pick), newest first, fifty a page.
 */
export function InvoicesPage(props: {
  nav: StaffNavProps;
  register: Register;
  query: RegisterQueryTyped;
  fmt: Fmt;
  error?: string | undefined;
  notice?: string | undefined;
}) {
  const { register: r, query } = props;
  return (
    <StaffLayout title="Invoices" nav={props.nav}>
      {invoiceStyles}
      <Notice text={props.notice} />
      <ul class="money-totals" aria-label="Totals">
        <li>
          <span>Outstanding</span> <strong data-total="outstanding">{props.fmt.money(r.outstanding)}</strong>
        </li>
        <li>
          <span>Today’s takings</span>{' '}
          <strong data-total="takings">{props.fmt.money(r.takings.total)}</strong>
          {r.takings.byMethod.length ? (
            <small class="muted">
              {r.takings.byMethod
                .map((m) => `${methodWords[m.method] ?? m.method} ${props.fmt.money(m.amount)}`)
                .join(' · ')}
            </small>
          ) : null}
        </li>
      </ul>
      <FilterForm action="/staff/invoices" label="Filter invoices">
        <SelectField
          name="status"
          label="Status"
          blank="Any"
          options={Object.entries(statusWords).map(([id, name]) => ({ id, name }))}
          selected={query.status}
        />
        <DateRangeFields from={query.from} to={query.to} />
        <Field name="q" label="Patient" type="search" value={query.q} required={false} autocomplete="off" />
        <CheckField name="outstanding" value="1" label="Outstanding only" checked={query.outstanding} />
        <CheckField name="origin" value="fee" label="Proposed fees" checked={query.origin === 'fee'} />
      </FilterForm>
      <Alert error={props.error} />
      <p class="muted">
        {r.total} invoice{r.total === 1 ? '' : 's'}
        {r.pages > 1 ? ` · page ${r.page} of ${r.pages}` : ''}
      </p>
      <InvoiceTable rows={r.rows} fmt={props.fmt} caption="Invoices" />
      {r.pages > 1 ? (
        <nav class="pager" aria-label="Pages">
          {r.page > 1 ? <a href={registerHref(query, r.page - 1)}>← Newer</a> : null}
          {r.page < r.pages ? <a href={registerHref(query, r.page + 1)}>Older →</a> : null}
        </nav>
      ) : null}
    </StaffLayout>
  );
}

/** Invoices as a table scrolling sideways on a phone (the register, the chart): number, patient, date, status, total, balance. */
export function InvoiceTable(props: { rows: RegisterRow[]; fmt: Fmt; caption: string; patient?: boolean }) {
  return (
    <DataTable
      scroll
      class="list invoices"
      caption={props.caption}
      rows={props.rows}
      rowAttributes={(r) => ({ 'data-invoice': r.id })}
      columns={[
        { head: 'Invoice', cell: (r) => <a href={`/staff/invoices/${r.id}`}>{invoiceName(r)}</a> },
        props.patient !== false && {
          head: 'Patient',
          cell: (r) => <a href={`/staff/patients/${r.patientId}`}>{r.patientName}</a>,
        },
        { head: 'Date', cell: (r) => props.fmt.day(r.issuedAt ?? r.createdAt) },
        { head: 'Status', cell: (r) => <StatusWord status={r.status} kind={r.kind} /> },
        { head: 'Total', cell: (r) => props.fmt.money(r.total), class: () => 'num' },
        { head: 'Balance', cell: (r) => (r.balance ? props.fmt.money(r.balance) : '—'), class: () => 'num' },
      ]}
      empty={<p class="muted">No invoices.</p>}
    />
  );
}
