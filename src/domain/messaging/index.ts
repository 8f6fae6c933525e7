import { type BuildDeps, defineArea } from '../area.ts';
import type { DocumentsService } from '../documents/index.ts';
import type { Notifier } from '../notifications/index.ts';
import type { PatientsService } from '../patients/index.ts';
import { messagingMessages } from './messaging.messages.ts';
import { messagingService } from './messaging.service.ts';
import { messagingEraseStep } from './patient-erase.repo.ts';
import { messagingMergeStep } from './patient-merge.repo.ts';

export { type InboundOutcome, type InboundSms, SMS_THREAD_SUBJECT } from './inbound-sms.ts';
export { newMessageMessage, newPatientMessageMessage } from './messaging.messages.ts';
export type { QuickReplyRow, UnmatchedSmsRow } from './messaging.repo.ts';
export {
  type AuthorKind,
  defaultMessagingSettings,
  MAX_ATTACHMENTS,
  MAX_MESSAGE_CHARS,
  type MessagingSettings,
  messagingSettingsInput,
  PATIENT_MESSAGES_PER_HOUR,
  quickReplyInput,
  replyInput,
  startThreadInput,
  type ThreadStatus,
  threadStatuses,
} from './messaging.schema.ts';
export { type MessagingService, messagingService, type Written } from './messaging.service.ts';
export type { AttachmentView, MessageView, ThreadDetail, ThreadSummary } from './thread-view.ts';

/**
 * Secure messaging (issue 19): threads between a patient (or their guardian) and the clinic,
 * replies both ways, assignment to a member or the front desk, close and reopen, read markers and
 * unread counts, quick replies, documents attached through the documents area, inbound SMS, and
 * notifications that never carry the text.
 */
export const messagingArea = defineArea({
  name: 'messaging',
  build(
    deps: BuildDeps<{
      notifications: { notifier: Notifier };
      documents: Pick<DocumentsService, 'list' | 'listOwn' | 'update'>;
      patients: Pick<PatientsService, 'search'>;
    }>,
  ) {
    const messaging = messagingService({
      db: deps.db,
      clock: deps.clock,
      log: deps.log,
      audit: deps.audit,
      clinic: deps.clinic,
      notify: deps.notifications.notifier,
      documents: deps.documents,
      patients: deps.patients,
      baseUrl: deps.publicUrl,
    });
    return {
      services: { messaging },
      patientMerge: [messagingMergeStep],
      patientErase: [messagingEraseStep],
      messages: [messagingMessages({ db: deps.db, baseUrl: deps.publicUrl })],
    };
  },
});
