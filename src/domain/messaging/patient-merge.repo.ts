import { columnsMergeStep } from '../patient-merge.ts';

/**
 * The messaging area's part of a patient merge: the merged record's threads and their messages
 * move to the record kept. Who wrote a message (`author_id`, `started_by_id`) and read markers
 * stay as written, like an audit row.
 */
export const messagingMergeStep = columnsMergeStep('messaging', {
  threads: (t) => t.messageThreads.patientId,
  messages: (t) => t.threadMessages.patientId,
});
