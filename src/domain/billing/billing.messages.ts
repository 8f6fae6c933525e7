import { DateTime } from 'luxon';
import { z } from 'zod';
import { defineMessages } from '../area.ts';
import type { MessageResolver } from '../notifications/index.ts';
import { findPatientById } from '../patients/index.ts';
import type { BillingDeps } from './billing.deps.ts';
import catalogue from './billing.messages.json' with { type: 'json' };
import { findInvoiceById } from './billing.repo.ts';
import { invoiceFile } from './invoice-document.ts';
import { formatMoney } from './money.ts';

const messages = defineMessages(catalogue);

/** An issued invoice or credit note, to its payer by email with its PDF attached (invoice-email.ts queues it). */
export const invoiceSentMessage = messages['invoice-sent'];

const sentParams = z.object({ invoiceId: z.string() });

/**
 * The billing area's message: resolved when the job sends it, from the invoice as it is then
 * (gone or a draft: nothing to send). The PDF is made here, in the job, and attached.
 */
export function billingMessages(deps: BillingDeps & { baseUrl: string }): MessageResolver {
  return {
    messages: [invoiceSentMessage],
    async resolve(_type, params, target) {
      const row = await findInvoiceById(deps.db.reader, sentParams.parse(params).invoiceId);
      if (!row || row.status === 'draft' || !row.number) return null;
      const [file, clinic] = await Promise.all([
        invoiceFile(deps, deps.db.reader, row, 'invoice'),
        deps.clinic.get(),
      ]);
      const locale = clinic.locale.split('-')[0] === target.language ? clinic.locale : target.language;
      const fr = target.language === 'fr';
      const credit = row.kind === 'credit_note';
      const link = `${deps.baseUrl}/app/#/invoices`;
      return {
        vars: {
          recipientName: await recipientName(deps, row.payerName, target.contactId, row.payerPatientId),
          document: credit ? (fr ? 'avoir' : 'credit note') : fr ? 'facture' : 'invoice',
          number: row.number,
          total: formatMoney(row.total, row.currency, locale),
          dueDate:
            !credit && row.dueDate
              ? DateTime.fromISO(row.dueDate).setLocale(locale).toLocaleString(DateTime.DATE_MED)
              : '',
          link,
        },
        attachments: [
          { filename: file.fileName, content: Buffer.from(file.bytes), contentType: 'application/pdf' },
        ],
        url: link,
      };
    },
  };
}

/**
 * Whom the email greets: the payer as printed — or, when it goes to a guardian because the payer
 * (a dependant) has no address, the guardian.
 */
async function recipientName(
  deps: Pick<BillingDeps, 'db'>,
  payerName: string,
  contactId: string | null,
  payerId: string | null,
): Promise<string> {
  if (!contactId || contactId === payerId) return payerName;
  const contact = await findPatientById(deps.db.reader, contactId);
  return contact ? `${contact.firstName} ${contact.lastName}` : payerName;
}
