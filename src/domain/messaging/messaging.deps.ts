import type { AreaDeps } from '../area.ts';
import type { DocumentsService } from '../documents/index.ts';
import type { PatientsService } from '../patients/index.ts';

/** What the messaging area's use cases are given (index.ts builds it once). */
export interface MessagingDeps extends AreaDeps<'log' | 'clinic' | 'notify'> {
  /** Attachments are documents: listed (audited, by the reader's rights) and shared when staff attach one. */
  documents: Pick<DocumentsService, 'list' | 'listOwn' | 'update'>;
  /** Who an inbound SMS is from: active patients whose phone matches (exact E.164 kept). */
  patients: Pick<PatientsService, 'search'>;
  /** The public URL the notifications' links point to. */
  baseUrl: string;
}
