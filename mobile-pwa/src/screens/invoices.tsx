/** @jsxImportSource preact */
import { shownPerson, useApp } from '../context.ts';
import { localDate } from '../i18n.ts';
import { type InvoiceJson, invoicePdfUrl, listMyInvoices, money } from '../invoices-api.ts';
import { CardList, LoadState, Screen, ServerFileLink, useLoad } from '../ui.tsx';

/** What a status is called, by the invoice's kind (a credit note is never "unpaid"). */
const statusKey = {
  issued: 'invoiceUnpaid',
  part_paid: 'invoicePartPaid',
  paid: 'invoicePaid',
  void: 'invoiceVoid',
  draft: 'invoiceUnpaid',
} as const;

/**
 * Invoices of whoever the family switcher shows (the patient, or a dependant of theirs), newest
 * first: number, date, total, status and what is left to pay; each opens its PDF in the browser
 * (and its receipt once something was paid). Offline, the last list read is shown and the PDFs
 * wait for the network (the banner says why).
 */
export function InvoicesScreen() {
  const app = useApp();
  const { t } = app.i18n;
  const loaded = useLoad(listMyInvoices, 'invoices');
  const { who, dependant } = shownPerson(app);
  const whose = (loaded.data?.invoices ?? [])
    .filter((i) => i.patientId === who?.id)
    .sort(
      (a, b) =>
        (b.issuedAt ?? b.createdAt).localeCompare(a.issuedAt ?? a.createdAt) ||
        (b.number ?? '').localeCompare(a.number ?? ''),
    );
  return (
    <Screen title={t('invoicesTitle')}>
      <p>{dependant ? t('invoicesOfPerson', { name: dependant.firstName }) : t('invoicesIntro')}</p>
      <LoadState loaded={loaded} />
      {loaded.data !== undefined && whose.length === 0 && (
        <p class="muted">
          {dependant ? t('invoicesNoneFor', { name: dependant.firstName }) : t('invoicesNone')}
        </p>
      )}
      <CardList items={whose} card={(i) => <InvoiceCard invoice={i} />} />
    </Screen>
  );
}

function InvoiceCard(props: { invoice: InvoiceJson }) {
  const { i18n, clinic } = useApp();
  const { t } = i18n;
  const i = props.invoice;
  const amount = (minor: number) => money(minor, i.currency, i18n.lang);
  const credit = i.kind === 'credit_note';
  const title = `${credit ? t('invoiceCreditNote') : t('invoiceTitle')} ${i.number ?? ''}`.trim();
  const owed = credit ? 0 : i.balance;
  return (
    <article class="card invoice">
      <h2 class="document-title">{title}</h2>
      <p class="muted small">
        {i.issuedAt ? i18n.fullDate(localDate(i.issuedAt, clinic.timeZone)) : ''} ·{' '}
        {t('invoiceTotal', { amount: amount(i.total) })}
      </p>
      <p class={`status invoice-${i.status}`}>
        {credit && i.status !== 'void' ? t('invoiceCreditNote') : t(statusKey[i.status])}
        {owed > 0 && i.status !== 'void' && <> · {t('invoiceToPay', { amount: amount(owed) })}</>}
      </p>
      {owed > 0 && i.dueDate && i.status !== 'void' && (
        <p class="muted small">{t('invoiceDue', { date: i18n.fullDate(i.dueDate) })}</p>
      )}
      <div class="actions">
        <PdfLink invoice={i} kind="invoice" label={t('invoiceOpen')} class="btn primary" />
        {i.payments.length > 0 && (
          <PdfLink invoice={i} kind="receipt" label={t('invoiceReceipt')} class="btn plain" />
        )}
      </div>
    </article>
  );
}

/** Opens the PDF (a new tab: the browser shows it), named with the invoice's number for screen readers. */
const PdfLink = (props: {
  invoice: InvoiceJson;
  kind: 'invoice' | 'receipt';
  label: string;
  class: string;
}) => (
  <ServerFileLink
    href={invoicePdfUrl(props.invoice.id, props.kind)}
    label={props.label}
    name={props.invoice.number ?? ''}
    class={props.class}
  />
);
