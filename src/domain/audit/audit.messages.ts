import { z } from 'zod';
import { defineMessages } from '../area.ts';
import type { MessageResolver } from '../notifications/index.ts';
import catalogue from './audit.messages.json' with { type: 'json' };

const messages = defineMessages(catalogue);

/**
 * The audit log's head, emailed to admins every night: kept outside Clinicbox, it shows later
 * whether the log was rewritten or cut (`clinicbox audit verify --expect-head`), which the chain
 * alone cannot show to someone who can change the whole database.
 */
export const auditHeadMessage = messages['audit-head'];

/** Sent instead of the head when the nightly check finds the chain broken. */
export const auditBrokenMessage = messages['audit-broken'];

const headParams = z.object({ headId: z.number(), headHash: z.string(), rows: z.number() });
const brokenParams = z.object({ brokenId: z.number() });

/** The values are the night's result, carried in the delivery (ids and hashes, nothing else). */
export const auditMessages = (): MessageResolver => ({
  messages: [auditHeadMessage, auditBrokenMessage],
  async resolve(type, params) {
    if (type === auditHeadMessage.type) {
      const { headId, headHash, rows } = headParams.parse(params);
      return { vars: { headId: String(headId), headHash, rows: String(rows) } };
    }
    return { vars: { brokenId: String(brokenParams.parse(params).brokenId) } };
  },
});
