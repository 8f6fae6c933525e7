import { emailAddress } from '../../lib/contact.ts';
import { AppError, validated } from '../../lib/errors.ts';
import { tokenId } from '../../lib/ids.ts';
import { findActivePatientByLogin, updateCodeRow } from './sign-in.repo.ts';
import {
  addressOfInput,
  byChannel,
  type SignedIn,
  type SignInMeta,
  verifyInput,
  verifyLinkInput,
} from './sign-in.schema.ts';
import type { SignInDeps } from './sign-in.ts';
import { hashCode, loadCounters, MAX_FAILURES_PER_HOUR, MAX_WRONG_TRIES, sameHash } from './sign-in-codes.ts';
import { startPatientSession } from './start-patient-session.ts';

/**
 * The shared end of both ways in: `matches` judges the live code row. Right: the code and link
 * are spent and a session starts (for the address's patient, or none yet: registration). Wrong:
 * counted against the code (5) and the address (10 an hour). One answer for every refusal.
 */
async function completeSignIn(
  deps: SignInDeps,
  address: string,
  meta: SignInMeta,
  matches: (row: { codeHash: string | null; linkHash: string | null; deviceHash: string | null }) => boolean,
): Promise<SignedIn> {
  const { clock } = deps;
  const result = await deps.db.tx(async (ctx) => {
    const c = await loadCounters(ctx, clock.now(), address);
    const now = clock.now();
    const live = c.codeHash && c.expiresAt && c.expiresAt > now && c.wrongTries < MAX_WRONG_TRIES;
    const allowed = c.failures < MAX_FAILURES_PER_HOUR;
    const right = matches(c) && live && allowed;
    if (!right) {
      await updateCodeRow(ctx, address, {
        wrongTries: c.wrongTries + 1,
        failures: c.failures + 1,
        failuresWindowStart: c.failuresWindowStart,
        sends: c.sends,
        sendsWindowStart: c.sendsWindowStart,
      });
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
 * Signs in with the 6-digit code from the email or SMS. Right: the code is spent and a session
 * starts (for the address's patient, or none yet: registration). Wrong: counted against the code
 * (5) and the address (10 an hour). The same answer for a wrong code, an expired one, an unknown
 * address or a limit.
 */
export async function verifyCode(deps: SignInDeps, input: unknown, meta: SignInMeta): Promise<SignedIn> {
  const parsed = byChannel(input, verifyInput.options);
  const address = addressOfInput(parsed);
  const given = hashCode(address, parsed.code);
  return completeSignIn(deps, address, meta, (c) => sameHash(given, c.codeHash));
}

/**
 * Signs in with the email's link — only in the browser that asked for the code (its sign-in
 * cookie must match), so a link forwarded, leaked or opened by a mail scanner does nothing.
 */
export async function verifyLink(
  deps: SignInDeps,
  input: unknown,
  deviceNonce: string | undefined,
  meta: SignInMeta,
): Promise<SignedIn> {
  const parsed = validated(verifyLinkInput, input);
  const address = emailAddress(parsed.email);
  const link = tokenId(parsed.token);
  const device = deviceNonce ? tokenId(deviceNonce) : '';
  return completeSignIn(
    deps,
    address,
    meta,
    (c) => sameHash(link, c.linkHash) && sameHash(device, c.deviceHash),
  );
}
