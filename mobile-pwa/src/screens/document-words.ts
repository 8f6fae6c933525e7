import type { DocumentCategory } from '../documents-api.ts';
import type { I18n, MessageKey } from '../i18n.ts';

/** How the documents screens say a document's category, kind and size. */

/** The words for each category (issue 16's exact strings). */
export const categoryKey: Record<DocumentCategory, MessageKey> = {
  referral: 'categoryReferral',
  'lab-result': 'categoryLabResult',
  imaging: 'categoryImaging',
  letter: 'categoryLetter',
  consent: 'categoryConsent',
  'id-insurance': 'categoryIdInsurance',
  other: 'categoryOther',
};

/** "PDF", "Image" or "File": what opening it will show. */
export function fileKind(i18n: I18n, contentType: string): string {
  if (contentType === 'application/pdf') return 'PDF';
  if (contentType.startsWith('image/')) return i18n.t('fileImage');
  return i18n.t('fileOther');
}

/** "820 kB", "2.4 MB" in the app's language. */
export function fileSize(i18n: I18n, bytes: number): string {
  const [unit, value] =
    bytes >= 1_000_000 ? ['megabyte', bytes / 1_000_000] : ['kilobyte', Math.max(1, bytes / 1000)];
  // Number and unit kept together on one line.
  return new Intl.NumberFormat(i18n.lang, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 ? 1 : 0,
  })
    .format(value)
    .replace(/ /g, '\u00a0');
}
