import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Key } from '../../lib/crypto.ts';
import { randomToken } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import { turnPatientChannelOff } from '../patients/index.ts';
import { recordChange } from '../record-change.ts';
import { storedKey } from './stored-keys.ts';

/**
 * Unsubscribe links: `<patient id>.<channel>.<HMAC>` signed with a key kept (sealed) in the database, so a
 * link works for ever without a table, from any instance, and cannot be forged for another
 * patient. Honoured at once: the consent is off when the POST answers.
 */
const channelsOff = ['email', 'sms', 'push'] as const;
type OffChannel = (typeof channelsOff)[number];

export function unsubscribeLinks(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  baseUrl: string;
  /** Seals the signing key in the database (stored-keys.ts). */
  secrets: Key;
}) {
  const key = storedKey(deps, 'notifications.unsubscribe-key', async () => randomToken(32));
  const mac = async (patientId: string, channel: string) =>
    createHmac('sha256', await key())
      .update(`unsubscribe:${patientId}:${channel}`)
      .digest('base64url')
      .slice(0, 32);

  async function parse(token: string): Promise<{ patientId: string; channel: OffChannel } | null> {
    const [patientId, channel, sig] = token.split('.');
    if (!patientId || !sig || !channel || !(channelsOff as readonly string[]).includes(channel)) return null;
    const want = Buffer.from(await mac(patientId, channel));
    const got = Buffer.from(sig);
    if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
    return { patientId, channel: channel as OffChannel };
  }

  return {
    /** Loads the signing key (made, or sealed in place, at start: stored-keys.ts). */
    loadKey: async (): Promise<void> => {
      await key();
    },

    async link(patientId: string, channel: OffChannel = 'email'): Promise<string> {
      const token = `${patientId}.${channel}.${await mac(patientId, channel)}`;
      return `${deps.baseUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
    },
    /** Whether the token is genuine (for the confirm page); changes nothing. */
    check: parse,
    /** Turns the channel off for the patient; false for a bad token. */
    async apply(token: string, actor: Omit<Actor, 'type' | 'id'>): Promise<boolean> {
      const parsed = await parse(token);
      if (!parsed) return false;
      await deps.db.tx(async (ctx) => {
        await turnPatientChannelOff(ctx, parsed.patientId, parsed.channel, deps.clock.now());
        // The patient's own record is the one changed, by the patient the link was made for.
        const { patientId, channel } = parsed;
        const patient: Actor = { ...actor, type: 'patient', id: patientId };
        await recordChange(
          deps.audit,
          ctx,
          patient,
          'patient.unsubscribe',
          { id: patientId, patientId },
          { channel },
        );
      });
      return true;
    },
  };
}

export type UnsubscribeLinks = ReturnType<typeof unsubscribeLinks>;
