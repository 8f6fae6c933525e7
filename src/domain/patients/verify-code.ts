import type { DbCtx } from '../../db/client.ts';
import { emailAddress } from '../../lib/contact.ts';
import { AppError, validated } from '../../lib/errors.ts';
import { tokenId } from '../../lib/ids.ts';
import { countWrongCode, type GuessLimits, guessLimits, requesterOf } from './code-failures.ts';
import { type CodeRow, findActivePatientByLogin, updateCodeRow } from './sign-in.repo.ts';
import {
  addressOfInput,
  byChannel,
  type SignedIn,
  type SignInMeta,
  verifyInput,
  verifyLinkInput,
} from './sign-in.schema.ts';
import type { SignInDeps } from './sign-in.ts';
import { codeLive, hashCode, loadCounters, sameHash } from './sign-in-codes.ts';
import { startPatientSession } from './start-patient-session.ts';

type Judge = (ctx: DbCtx, code: CodeRow, now: Date) => Promise<boolean>;

/**
 * The shared end of both ways in: `judge` decides on the address's code row (held for the
 * transaction). Right: the code and link are spent and a session starts (for the address's
 * patient, or none yet: registration). One answer for every refusal.
 */
async function signInIf(
  deps: SignInDeps,
  address: string,
  meta: SignInMeta,
  judge: Judge,
): Promise<SignedIn> {
  const result = await deps.db.tx(async (ctx) => {
    const now = deps.clock.now();
    const c = await loadCounters(ctx, now, address);
    if (!(await judge(ctx, c, now))) {
      await deps.audit.record(ctx, meta.actor, { action: 'patient.sign-in-failed', entity: 'patient-login' });
      return null;
    }
    await updateCodeRow(ctx, address, {
      codeHash: null,
      linkHash: null,
      deviceHash: null,
      expiresAt: null,
      wrongTries: 0,
    });
    return startPatientSession(deps, ctx, address, await findActivePatientByLogin(ctx, address), meta);
  });
  if (!result) {
    throw new AppError('code_invalid', 'code_invalid', { status: 401 });
  }
  return result;
}

/**
 * A wrong code: spends one of the code's tries when its own browser sent it, and counts against
 * the requester and the address (code-failures.ts). When that shuts someone out, the patient
 * behind the address is told — once per day of counting (the message's key).
 */
async function countWrong(deps: SignInDeps, ctx: DbCtx, c: CodeRow, limits: GuessLimits): Promise<void> {
  if (limits.requester.asking) await updateCodeRow(ctx, c.address, { wrongTries: c.wrongTries + 1 });
  const day = await countWrongCode(ctx, limits);
  if (!day) return;
  const patient = await findActivePatientByLogin(ctx, c.address);
  if (!patient) return;
  await deps.notify.dispatch(ctx, {
    type: 'sign-in-warning',
    to: { address: c.address, patientId: patient.id },
    key: `sign-in-warning:${tokenId(c.address)}:${day.getTime()}`,
  });
}

/**
 * Signs in with the 6-digit code from the email or SMS. Right: the code is spent and a session
 * starts. Wrong: counted (countWrong). A requester over its limits is refused even with the right
 * code, without counting. The same answer for a wrong code, an expired one, an unknown address or
 * a limit.
 */
export async function verifyCode(deps: SignInDeps, input: unknown, meta: SignInMeta): Promise<SignedIn> {
  const parsed = byChannel(input, verifyInput.options);
  const address = addressOfInput(parsed);
  const given = hashCode(address, parsed.code);
  return signInIf(deps, address, meta, async (ctx, c, now) => {
    const requester = requesterOf(meta.device, c.deviceHash, meta.ip ?? 'unknown');
    const limits = await guessLimits(ctx, now, address, requester);
    if (!limits.allowed) return false;
    if (codeLive(c, now) && sameHash(given, c.codeHash)) return true;
    await countWrong(deps, ctx, c, limits);
    return false;
  });
}

/**
 * Signs in with the email's link — only in the browser that asked for the code (its sign-in
 * cookie must match), so a link forwarded, leaked or opened by a mail scanner does nothing. Not
 * subject to the wrong-code limits: the link cannot be guessed, and it is the way in that still
 * works while strangers' guesses have closed code entry.
 */
export async function verifyLink(deps: SignInDeps, input: unknown, meta: SignInMeta): Promise<SignedIn> {
  const parsed = validated(verifyLinkInput, input);
  const address = emailAddress(parsed.email);
  const link = tokenId(parsed.token);
  return signInIf(
    deps,
    address,
    meta,
    async (_ctx, c, now) =>
      c.expiresAt !== null &&
      c.expiresAt > now &&
      sameHash(link, c.linkHash) &&
      sameHash(meta.device ?? '', c.deviceHash),
  );
}
