import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import type { AuditService } from '../audit/index.ts';
import type { ClinicService } from '../clinic/index.ts';
import type { DocumentsService } from '../documents/index.ts';
import type { Notifier } from '../notifications/index.ts';
import type { PatientsService } from '../patients/index.ts';

/** What the messaging area's use cases are given (index.ts builds it once). */
export interface MessagingDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  audit: AuditService;
  clinic: Pick<ClinicService, 'get'>;
  notify: Pick<Notifier, 'dispatch'>;
  /** Attachments are documents: listed (audited, by the reader's rights) and shared when staff attach one. */
  documents: Pick<DocumentsService, 'list' | 'listOwn' | 'update'>;
  /** Who an inbound SMS is from: active patients whose phone matches (exact E.164 kept). */
  patients: Pick<PatientsService, 'search'>;
  /** The public URL the notifications' links point to. */
  baseUrl: string;
}
