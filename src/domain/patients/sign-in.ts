import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import type { Notifier } from '../notifications/index.ts';
import { pruneCodeFailures } from './code-failures.ts';
import { patientSessionStore } from './patient-sessions.ts';
import type { Patient } from './patients.repo.ts';
import { issueCode, requestCode } from './request-code.ts';
import type { SignedIn, SignInMeta } from './sign-in.schema.ts';
import { startPatientSession } from './start-patient-session.ts';
import { verifyCode, verifyLink } from './verify-code.ts';

export {
  ADDRESS_FAILURES_PER_DAY,
  OTHERS_FAILURES_PER_DAY,
  REQUESTER_FAILURES_PER_HOUR,
} from './code-failures.ts';
export {
  type PatientSession,
  type SignedIn,
  type SignInMeta,
  startInput,
  verifyInput,
  verifyLinkInput,
} from './sign-in.schema.ts';
export { CODE_TTL_MS, MAX_SENDS_PER_HOUR, MAX_WRONG_TRIES } from './sign-in-codes.ts';
export { SESSION_TTL_MS } from './start-patient-session.ts';

/**
 * Patient sign-in with one-time codes (no passwords). The address is normalised to
 * `email:<lower-case>`. `start` only enqueues a job — the same work for known and unknown
 * addresses, so neither the answer nor its timing tells them apart; the job makes the code (it is
 * never stored in the job or in clear), keeps its hash and sends it. Limits per address live in
 * the database (`patient_codes`), so they hold across instances; wrong codes are counted per
 * address and per requester (code-failures.ts). One file per use case: request-code.ts,
 * verify-code.ts, start-patient-session.ts, patient-sessions.ts.
 */
export interface SignInDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  notify: Pick<Notifier, 'dispatch'>;
}

export function patientSignIn(deps: SignInDeps) {
  const sessions = patientSessionStore(deps);
  return {
    /** A new session for a verified address (its patient, or none yet), audited as a sign-in. */
    startSession: (
      ctx: DbCtx,
      address: string,
      patient: Patient | null,
      meta: SignInMeta,
    ): Promise<SignedIn> => startPatientSession(deps, ctx, address, patient, meta),

    /**
     * Asks for a code. Always resolves the same way (the route answers 202 whatever happens): over
     * the per-address limit nothing is sent; otherwise the send job decides whether to send.
     */
    start: (input: unknown, actor: Actor, deviceNonce?: string): Promise<void> =>
      requestCode(deps, input, actor, deviceNonce),

    /** The job's half: a fresh code for the address, or null when it may not get one. */
    issueCode: (
      address: string,
      selfRegistration: boolean,
      device: string | null = null,
    ): Promise<{ code: string; link: string; known: boolean; patientId: string | null } | null> =>
      issueCode(deps, address, selfRegistration, device),

    /** Signs in with the 6-digit code from the email or SMS (`meta.device`: see code-failures.ts). */
    verify: (input: unknown, meta: SignInMeta): Promise<SignedIn> => verifyCode(deps, input, meta),

    /** Signs in with the email's link — only in the browser that asked for the code (`meta.device`). */
    verifyLink: (input: unknown, meta: SignInMeta): Promise<SignedIn> => verifyLink(deps, input, meta),

    ...sessions,

    /** The nightly upkeep: ended sessions, and wrong-code counts whose day is over. */
    async pruneSessions(): Promise<number> {
      const ended = await sessions.pruneSessions();
      await deps.db.tx((ctx) => pruneCodeFailures(ctx, deps.clock.now()));
      return ended;
    },
  };
}

export type PatientSignIn = ReturnType<typeof patientSignIn>;
