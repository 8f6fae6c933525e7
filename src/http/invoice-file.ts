import type { Context } from 'hono';
import { z } from 'zod';
import type { InvoiceFile } from '../domain/billing/index.ts';
import type { AppEnv } from './types.ts';

/** `?kind=invoice|receipt` of an invoice's PDF (default: the invoice). */
export const pdfKindQuery = z.object({
  kind: z
    .enum(['invoice', 'receipt'])
    .default('invoice')
    .describe('The invoice itself, or a receipt of its payments'),
});

/** The OpenAPI answer of a PDF route. */
export const pdfAnswer = {
  200: {
    description:
      'The PDF (Content-Disposition inline; filename INV-2026-00042.pdf or INV-2026-00042-receipt.pdf)',
    content: { 'application/pdf': { schema: { type: 'string' as const, format: 'binary' } } },
  },
};

/**
 * An invoice's PDF as the answer: inline (the browser shows it, its Save keeps the clean name),
 * never cached (it holds a person's name and what they owe).
 */
export function sendInvoiceFile(c: Context<AppEnv>, file: InvoiceFile): Response {
  return c.body(new Uint8Array(file.bytes), 200, {
    'content-type': 'application/pdf',
    'content-disposition': `inline; filename="${file.fileName}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
}
