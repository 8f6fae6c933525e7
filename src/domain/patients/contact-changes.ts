import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { Notifier } from '../notifications/index.ts';
import { type ContactChannel, listContactChanges } from './contact-changes.repo.ts';
import type { Patient } from './patients.repo.ts';
import { requestContactChange, resendContactCode } from './request-contact-change.ts';
import { issueContactCode, verifyContactChange } from './verify-contact-change.ts';

export interface ContactChangesDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  notify: Pick<Notifier, 'dispatch'>;
}

/** A change waiting for its code, as the patient sees it. */
export interface PendingContact {
  channel: ContactChannel;
  value: string;
  /** When the latest code stops working (a new one can be asked for). */
  expiresAt: Date;
}

/**
 * A patient's own new email or phone (from their profile, or the phone given at registration) is
 * used for messages only once the code sent to it comes back; until then messages go to the
 * verified contact. Contacts staff enter are trusted and never pass through here.
 */
export function patientContactChanges(deps: ContactChangesDeps) {
  return {
    /** In the caller's transaction: a new value for a channel (see requestContactChange). */
    request: (
      ctx: DbCtx,
      actor: Actor,
      change: { patientId: string; channel: ContactChannel; value: string | null; current: string | null },
    ): Promise<void> => requestContactChange(deps, ctx, actor, change),

    /** The patient's changes waiting for their code. */
    async pending(patientId: string): Promise<PendingContact[]> {
      const rows = await listContactChanges(deps.db.reader, patientId);
      return rows.map(({ channel, value, expiresAt }) => ({ channel, value, expiresAt }));
    },

    /** A new code for a pending change. */
    resend: (actor: Actor & { id: string }, input: unknown): Promise<void> =>
      resendContactCode(deps, actor, input),

    /** Confirms a pending change with its code; answers the patient as now on record. */
    verify: (actor: Actor & { id: string }, input: unknown): Promise<Patient> =>
      verifyContactChange(deps, actor, input),

    /** The message's half: a fresh code for the pending change of `value`, or null. */
    issueCode: (key: { patientId: string; channel: ContactChannel; value: string }): Promise<string | null> =>
      issueContactCode(deps, key),
  };
}

export type PatientContactChanges = ReturnType<typeof patientContactChanges>;
