import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbCtx } from '../../db/client.ts';
import { createCache } from '../../lib/cache.ts';
import type { Clock } from '../../lib/clock.ts';
import { e164, emailAddress, phoneAddress } from '../../lib/contact.ts';
import { AppError, validated } from '../../lib/errors.ts';
import { newId, newSecretToken, tokenId } from '../../lib/ids.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { Notifier } from '../notifications/index.ts';
import type { Patient } from './patients.service.ts';

/**
 * Patient sign-in with one-time codes (no passwords). The address is normalised to
 * `email:<lower-case>`. `start` only enqueues a job — the same work for known and unknown
 * addresses, so neither the answer nor its timing tells them apart; the job makes the code (it is
 * never stored in the job or in clear), keeps its hash and sends it. Limits per address live in
 * the database (`patient_codes`), so they hold across instances.
 */
export const CODE_TTL_MS = 10 * 60_000;
export const MAX_WRONG_TRIES = 5;
export const MAX_SENDS_PER_HOUR = 5;
export const MAX_FAILURES_PER_HOUR = 10;
export const SESSION_TTL_MS = 30 * 86_400_000;
const HOUR = 3_600_000;

const email = z.email('Enter a valid email address.').max(254);
/** Sign in by email or by phone (one of them). */
export const startInput = z.union([z.strictObject({ email }), z.strictObject({ phone: e164 })]);
const code = z.string().regex(/^\d{6}$/, 'The code has 6 digits.');
export const verifyInput = z.union([z.strictObject({ email, code }), z.strictObject({ phone: e164, code })]);

/**
 * Parses with the email or the phone branch, chosen by which key the body has, so the error
 * names the field that is wrong (a union's error would only say "invalid input").
 */
function byChannel<E, P>(
  input: unknown,
  [emailSchema, phoneSchema]: readonly [z.ZodType<E>, z.ZodType<P>],
): E | P {
  const hasPhone = typeof input === 'object' && input !== null && 'phone' in input;
  return hasPhone ? validated(phoneSchema, input) : validated(emailSchema, input);
}

/** The sign-in address: `email:<lower-case>` or `phone:<E.164>`. */
const addressOfInput = (input: { email: string } | { phone: string }) =>
  'email' in input ? emailAddress(input.email) : phoneAddress(input.phone);
const hashCode = (address: string, code: string) =>
  createHash('sha256').update(`${address}\n${code}`).digest('hex');

export const verifyLinkInput = z.strictObject({
  email: z.email('Enter a valid email address.').max(254),
  token: z.string().regex(/^[\w-]{43}$/, 'That link is not complete.'),
});

/** Constant-time comparison of two hex hashes (a missing one never matches). */
const sameHash = (a: string, b: string | null): boolean =>
  b !== null && a.length === b.length && timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));

export interface SignInMeta {
  actor: Actor;
  ip?: string | null;
  userAgent?: string | null;
}

export interface SignedIn {
  token: string;
  session: PatientSession;
  patient: Patient | null;
}

export interface PatientSession {
  id: string;
  address: string;
  patientId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export function patientSignIn(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  notify: Pick<Notifier, 'dispatch'>;
}) {
  const { db, clock, audit, notify } = deps;
  const t = db.reader.t;
  const sessionCache = createCache<PatientSession>('patient-sessions', { max: 10_000, ttlMs: 5_000 });

  /** The address's counters row (created empty), with windows that ended reset. */
  async function counters(ctx: DbCtx, address: string) {
    const now = clock.now();
    const [row] = await ctx.db
      .select()
      .from(ctx.t.patientCodes)
      .where(eq(ctx.t.patientCodes.address, address));
    const fresh = {
      address,
      codeHash: null,
      linkHash: null,
      deviceHash: null,
      expiresAt: null,
      wrongTries: 0,
      sendsWindowStart: now,
      sends: 0,
      failuresWindowStart: now,
      failures: 0,
    };
    if (!row) {
      await ctx.db.insert(ctx.t.patientCodes).values(fresh);
      return fresh;
    }
    const sendsOld = now.getTime() - row.sendsWindowStart.getTime() >= HOUR;
    const failuresOld = now.getTime() - row.failuresWindowStart.getTime() >= HOUR;
    return {
      ...row,
      ...(sendsOld ? { sendsWindowStart: now, sends: 0 } : {}),
      ...(failuresOld ? { failuresWindowStart: now, failures: 0 } : {}),
    };
  }

  async function loginOf(ctx: DbCtx, address: string) {
    const [row] = await ctx.db
      .select({ patient: ctx.t.patients })
      .from(ctx.t.patientLogins)
      .innerJoin(ctx.t.patients, eq(ctx.t.patients.id, ctx.t.patientLogins.patientId))
      .where(and(eq(ctx.t.patientLogins.address, address), eq(ctx.t.patients.status, 'active')));
    return row?.patient ?? null;
  }

  /** A new session for a verified address (its patient, or none yet), audited as a sign-in. */
  async function startSession(
    ctx: DbCtx,
    address: string,
    patient: Patient | null,
    meta: SignInMeta,
  ): Promise<SignedIn> {
    const now = clock.now();
    const token = newSecretToken();
    const session: PatientSession = {
      id: tokenId(token),
      address,
      patientId: patient?.id ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    };
    await ctx.db.insert(ctx.t.patientSessions).values({
      ...session,
      lastSeenAt: now,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 400) ?? null,
    });
    await audit.record(
      ctx,
      { ...meta.actor, type: 'patient', id: patient?.id ?? null },
      {
        action: 'patient.sign-in',
        entity: 'patient',
        entityId: patient?.id ?? null,
        patientId: patient?.id ?? null,
      },
    );
    return { token, session, patient };
  }

  /**
   * The shared end of both ways in: `matches` judges the live code row. Right: the code and link
   * are spent and a session starts (for the address's patient, or none yet: registration). Wrong:
   * counted against the code (5) and the address (10 an hour). One answer for every refusal.
   */
  async function complete(
    address: string,
    meta: SignInMeta,
    matches: (row: {
      codeHash: string | null;
      linkHash: string | null;
      deviceHash: string | null;
    }) => boolean,
  ): Promise<SignedIn> {
    const result = await db.tx(async (ctx) => {
      const c = await counters(ctx, address);
      const now = clock.now();
      const live = c.codeHash && c.expiresAt && c.expiresAt > now && c.wrongTries < MAX_WRONG_TRIES;
      const allowed = c.failures < MAX_FAILURES_PER_HOUR;
      const right = matches(c) && live && allowed;
      if (!right) {
        await ctx.db
          .update(ctx.t.patientCodes)
          .set({
            wrongTries: c.wrongTries + 1,
            failures: c.failures + 1,
            failuresWindowStart: c.failuresWindowStart,
            sends: c.sends,
            sendsWindowStart: c.sendsWindowStart,
          })
          .where(eq(ctx.t.patientCodes.address, address));
        await audit.record(ctx, meta.actor, { action: 'patient.sign-in-failed', entity: 'patient-login' });
        return null;
      }
      await ctx.db
        .update(ctx.t.patientCodes)
        .set({ codeHash: null, linkHash: null, deviceHash: null, expiresAt: null, wrongTries: 0 })
        .where(eq(ctx.t.patientCodes.address, address));
      return startSession(ctx, address, await loginOf(ctx, address), meta);
    });
    if (!result) {
      throw new AppError('code_invalid', 'That code is not right or has expired. Ask for a new one.', {
        status: 401,
      });
    }
    return result;
  }

  return {
    startSession,

    /**
     * Asks for a code. Always resolves the same way (the route answers 202 whatever happens): over
     * the per-address limit nothing is sent; otherwise the send job decides whether to send.
     * `deviceNonce`: the random value of this browser's sign-in cookie; its hash goes with the job
     * so the emailed link works only back in this browser.
     */
    async start(input: unknown, actor: Actor, deviceNonce?: string): Promise<void> {
      const parsed = byChannel(input, startInput.options);
      const address = addressOfInput(parsed);
      await db.tx(async (ctx) => {
        const c = await counters(ctx, address);
        if (c.sends >= MAX_SENDS_PER_HOUR) {
          await audit.record(ctx, actor, {
            action: 'patient.sign-in-limited',
            entity: 'patient-login',
            details: { reason: 'sends' },
          });
          return;
        }
        await ctx.db
          .update(ctx.t.patientCodes)
          .set({
            sends: c.sends + 1,
            sendsWindowStart: c.sendsWindowStart,
            failures: c.failures,
            failuresWindowStart: c.failuresWindowStart,
          })
          .where(eq(ctx.t.patientCodes.address, address));
        await notify.dispatch(ctx, {
          type: 'sign-in-code',
          to: { address },
          params: { address, device: deviceNonce ? tokenId(deviceNonce) : null },
          key: `sign-in:${newId()}`,
        });
      });
    },

    /**
     * The job's half: whether this address may get a code (a login exists, or self-registration
     * is on), and if so a fresh code — which kills the previous one — returned to be sent.
     */
    async issueCode(
      address: string,
      selfRegistration: boolean,
      device: string | null = null,
    ): Promise<{ code: string; link: string; known: boolean; patientId: string | null } | null> {
      return db.tx(async (ctx) => {
        const patientId = (await loginOf(ctx, address))?.id ?? null;
        const known = patientId !== null;
        if (!known && !selfRegistration) return null;
        const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
        const link = newSecretToken();
        await counters(ctx, address);
        await ctx.db
          .update(ctx.t.patientCodes)
          .set({
            codeHash: hashCode(address, code),
            linkHash: tokenId(link),
            deviceHash: device,
            expiresAt: new Date(clock.now().getTime() + CODE_TTL_MS),
            wrongTries: 0,
          })
          .where(eq(ctx.t.patientCodes.address, address));
        return { code, link, known, patientId };
      });
    },

    /**
     * Checks a code. Right: the code is spent and a session starts (for the address's patient, or
     * none yet: registration). Wrong: counted against the code (5) and the address (10 an hour).
     * The same answer for a wrong code, an expired one, an unknown address or a limit.
     */
    /** Signs in with the 6-digit code from the email. */
    async verify(input: unknown, meta: SignInMeta): Promise<SignedIn> {
      const parsed = byChannel(input, verifyInput.options);
      const address = addressOfInput(parsed);
      const given = hashCode(address, parsed.code);
      return complete(address, meta, (c) => sameHash(given, c.codeHash));
    },

    /**
     * Signs in with the email's link — only in the browser that asked for the code (its sign-in
     * cookie must match), so a link forwarded, leaked or opened by a mail scanner does nothing.
     */
    async verifyLink(input: unknown, deviceNonce: string | undefined, meta: SignInMeta): Promise<SignedIn> {
      const parsed = validated(verifyLinkInput, input);
      const address = emailAddress(parsed.email);
      const link = tokenId(parsed.token);
      const device = deviceNonce ? tokenId(deviceNonce) : '';
      return complete(address, meta, (c) => sameHash(link, c.linkHash) && sameHash(device, c.deviceHash));
    },

    /** The live session for a cookie token, sliding: used within 30 days, it lives 30 more. */
    async validate(token: string): Promise<PatientSession | null> {
      if (!/^[\w-]{43}$/.test(token)) return null;
      const id = tokenId(token);
      const since = sessionCache.version();
      const cached = sessionCache.get(id);
      const now = clock.now();
      if (cached && cached.expiresAt > now) return cached;
      const [row] = await db.reader.db.select().from(t.patientSessions).where(eq(t.patientSessions.id, id));
      if (!row || row.expiresAt <= now) return null;
      let session: PatientSession = {
        id,
        address: row.address,
        patientId: row.patientId,
        createdAt: row.createdAt,
        expiresAt: row.expiresAt,
      };
      if (now.getTime() - row.lastSeenAt.getTime() > HOUR) {
        const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
        await db.tx((ctx) =>
          ctx.db
            .update(ctx.t.patientSessions)
            .set({ lastSeenAt: now, expiresAt })
            .where(eq(ctx.t.patientSessions.id, id)),
        );
        session = { ...session, expiresAt };
      }
      // Not when a sign-out landed meanwhile: the next request reads the database again.
      sessionCache.setIfUnchanged(id, session, since);
      return session;
    },

    /** After registration the session belongs to the new patient. */
    async attach(ctx: DbCtx, sessionId: string, patientId: string): Promise<void> {
      await ctx.db
        .update(ctx.t.patientSessions)
        .set({ patientId })
        .where(eq(ctx.t.patientSessions.id, sessionId));
      ctx.afterCommit(() => sessionCache.delete(sessionId));
    },

    async signOut(sessionId: string): Promise<void> {
      await db.tx((ctx) =>
        ctx.db.delete(ctx.t.patientSessions).where(eq(ctx.t.patientSessions.id, sessionId)),
      );
      sessionCache.delete(sessionId);
    },

    /** Ends every session of the address (and so of its patient). */
    async signOutEverywhere(address: string): Promise<number> {
      const rows = await db.tx((ctx) =>
        ctx.db.delete(ctx.t.patientSessions).where(eq(ctx.t.patientSessions.address, address)).returning(),
      );
      for (const r of rows) sessionCache.delete(r.id);
      return rows.length;
    },

    async pruneSessions(): Promise<number> {
      const rows = await db.tx((ctx) =>
        ctx.db
          .delete(ctx.t.patientSessions)
          .where(lt(ctx.t.patientSessions.expiresAt, clock.now()))
          .returning(),
      );
      return rows.length;
    },
  };
}

export type PatientSignIn = ReturnType<typeof patientSignIn>;
