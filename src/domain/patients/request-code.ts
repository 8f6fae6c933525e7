import { randomInt } from 'node:crypto';
import { newId, newSecretToken, tokenId } from '../../lib/ids.ts';
import type { Actor } from '../audit/index.ts';
import { findActivePatientByLogin, updateCodeRow } from './sign-in.repo.ts';
import { addressOfInput, byChannel, startInput } from './sign-in.schema.ts';
import type { SignInDeps } from './sign-in.ts';
import { CODE_TTL_MS, hashCode, loadCounters, MAX_SENDS_PER_HOUR } from './sign-in-codes.ts';

/**
 * Asks for a code. Always resolves the same way (the route answers 202 whatever happens): over
 * the per-address limit nothing is sent; otherwise the send job decides whether to send.
 * `deviceNonce`: the random value of this browser's sign-in cookie; its hash goes with the job
 * so the emailed link works only back in this browser, and its wrong codes count as its own.
 */
export async function requestCode(
  deps: SignInDeps,
  input: unknown,
  actor: Actor,
  deviceNonce?: string,
): Promise<void> {
  const address = addressOfInput(byChannel(input, startInput.options));
  await deps.db.tx(async (ctx) => {
    const c = await loadCounters(ctx, deps.clock.now(), address);
    if (c.sends >= MAX_SENDS_PER_HOUR) {
      await deps.audit.record(ctx, actor, {
        action: 'patient.sign-in-limited',
        entity: 'patient-login',
        details: { reason: 'sends' },
      });
      return;
    }
    await updateCodeRow(ctx, address, { sends: c.sends + 1, sendsWindowStart: c.sendsWindowStart });
    await deps.notify.dispatch(ctx, {
      type: 'sign-in-code',
      to: { address },
      params: { address, device: deviceNonce ? tokenId(deviceNonce) : null },
      key: `sign-in:${newId()}`,
    });
  });
}

/**
 * The job's half: whether this address may get a code (a login exists, or self-registration
 * is on), and if so a fresh code — which kills the previous one — returned to be sent.
 */
export async function issueCode(
  deps: Pick<SignInDeps, 'db' | 'clock'>,
  address: string,
  selfRegistration: boolean,
  device: string | null,
): Promise<{ code: string; link: string; known: boolean; patientId: string | null } | null> {
  return deps.db.tx(async (ctx) => {
    const patientId = (await findActivePatientByLogin(ctx, address))?.id ?? null;
    const known = patientId !== null;
    if (!known && !selfRegistration) return null;
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const link = newSecretToken();
    await loadCounters(ctx, deps.clock.now(), address);
    await updateCodeRow(ctx, address, {
      codeHash: hashCode(address, code),
      linkHash: tokenId(link),
      deviceHash: device,
      expiresAt: new Date(deps.clock.now().getTime() + CODE_TTL_MS),
      wrongTries: 0,
    });
    return { code, link, known, patientId };
  });
}
