import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { e164, emailAddress, phoneAddress } from '../../lib/contact.ts';
import { AppError, conflict, notFound, validated, validationFailed } from '../../lib/errors.ts';
import { newId, newSecretToken, tokenId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { Notifier } from '../notifications/index.ts';
import type { Patient } from './patients.service.ts';
import type { PatientSignIn, SignedIn, SignInMeta } from './sign-in.ts';

export const INVITE_TTL_MS = 7 * 86_400_000;
export const MAX_INVITE_TRIES = 5;

export const acceptInviteInput = z.strictObject({
  token: z.string().regex(/^[\w-]{43}$/, 'That link is not complete.'),
  dateOfBirth: z.iso.date({ error: 'Enter your date of birth as YYYY-MM-DD.' }),
});

/**
 * Staff invite a patient who already has a record to the portal: an emailed link, opened with
 * the patient's date of birth as a second check (a mistyped address reaches a stranger, who still
 * cannot get in). Accepting makes the address a login for that record and signs in. The link is
 * made by the send job, never stored in clear; 5 wrong birth dates kill it.
 */
export function patientInvites(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  notify: Pick<Notifier, 'dispatch'>;
  signIn: PatientSignIn;
}) {
  const { db, clock, audit, notify, signIn } = deps;
  const t = db.reader.t;

  return {
    /** By email (the given one, else the record's), or by SMS when `phone` is given. */
    async invite(
      actor: Actor,
      patientId: string,
      input: { email?: string | undefined; phone?: string | undefined } = {},
    ): Promise<void> {
      const [patient] = await db.reader.db.select().from(t.patients).where(eq(t.patients.id, patientId));
      if (patient?.status !== 'active') throw notFound('That patient');
      let address: string;
      if (input.phone !== undefined) {
        const phone = e164.safeParse(input.phone);
        if (!phone.success)
          throw validationFailed([{ path: 'phone', message: phone.error.issues[0]!.message }]);
        address = phoneAddress(phone.data);
      } else {
        const email = z.email().safeParse(input.email ?? patient.email ?? '');
        if (!email.success)
          throw validationFailed([{ path: 'email', message: 'The patient needs an email address first.' }]);
        address = emailAddress(email.data);
      }
      await db.tx(async (ctx) => {
        const [login] = await ctx.db
          .select()
          .from(ctx.t.patientLogins)
          .where(eq(ctx.t.patientLogins.address, address));
        if (login) throw conflict('That address already signs in to the portal.', 'already_registered');
        await notify.dispatch(ctx, {
          type: 'portal-invite',
          to: { address, patientId },
          params: { patientId, address },
          key: `invite:${newId()}`,
        });
        await audit.record(ctx, actor, {
          action: 'patient.invite',
          entity: 'patient',
          entityId: patientId,
          patientId,
        });
      });
    },

    /** The job's half: a fresh link (earlier unused ones for the patient stop working). */
    async issue(patientId: string, address: string): Promise<{ token: string; patient: Patient } | null> {
      return db.tx(async (ctx) => {
        const [patient] = await ctx.db.select().from(ctx.t.patients).where(eq(ctx.t.patients.id, patientId));
        if (patient?.status !== 'active') return null;
        const now = clock.now();
        await ctx.db
          .update(ctx.t.patientInvites)
          .set({ usedAt: now })
          .where(and(eq(ctx.t.patientInvites.patientId, patientId), isNull(ctx.t.patientInvites.usedAt)));
        const token = newSecretToken();
        await ctx.db.insert(ctx.t.patientInvites).values({
          tokenHash: tokenId(token),
          patientId,
          address,
          wrongTries: 0,
          expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
          usedAt: null,
          createdAt: now,
        });
        return { token, patient };
      });
    },

    async accept(input: unknown, meta: SignInMeta): Promise<SignedIn> {
      const parsed = validated(acceptInviteInput, input);
      const refused = () =>
        new AppError(
          'invite_invalid',
          'This invitation does not work (expired, used, or the date of birth does not match).',
          {
            status: 401,
          },
        );
      const result = await db.tx(async (ctx) => {
        const [invite] = await ctx.db
          .select({ invite: ctx.t.patientInvites, patient: ctx.t.patients })
          .from(ctx.t.patientInvites)
          .innerJoin(ctx.t.patients, eq(ctx.t.patients.id, ctx.t.patientInvites.patientId))
          .where(eq(ctx.t.patientInvites.tokenHash, tokenId(parsed.token)));
        const now = clock.now();
        if (
          !invite ||
          invite.invite.usedAt ||
          invite.invite.expiresAt <= now ||
          invite.invite.wrongTries >= MAX_INVITE_TRIES
        ) {
          return null;
        }
        if (invite.patient.dateOfBirth !== parsed.dateOfBirth) {
          await ctx.db
            .update(ctx.t.patientInvites)
            .set({ wrongTries: invite.invite.wrongTries + 1 })
            .where(eq(ctx.t.patientInvites.tokenHash, invite.invite.tokenHash));
          await audit.record(ctx, meta.actor, {
            action: 'patient.invite-failed',
            entity: 'patient',
            entityId: invite.patient.id,
            patientId: invite.patient.id,
          });
          return null;
        }
        const [taken] = await ctx.db
          .select()
          .from(ctx.t.patientLogins)
          .where(eq(ctx.t.patientLogins.address, invite.invite.address));
        if (taken && taken.patientId !== invite.patient.id) {
          throw conflict(
            'That address already signs in for someone else. Please call the clinic.',
            'already_registered',
          );
        }
        await ctx.db
          .update(ctx.t.patientInvites)
          .set({ usedAt: now })
          .where(eq(ctx.t.patientInvites.tokenHash, invite.invite.tokenHash));
        if (!taken) {
          await ctx.db
            .insert(ctx.t.patientLogins)
            .values({ address: invite.invite.address, patientId: invite.patient.id, createdAt: now });
        }
        return signIn.startSession(ctx, invite.invite.address, invite.patient, meta);
      });
      if (!result) throw refused();
      return result;
    },
  };
}

export type PatientInvites = ReturnType<typeof patientInvites>;
