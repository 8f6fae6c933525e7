import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.ts';
import { systemActor } from '../audit/index.ts';

/**
 * A sign-out must hold on this instance at once, even when a request that read the session just
 * before it is still finishing (it must not put the session back into the 5-second cache).
 */
describe('patient sessions and their cache', () => {
  let app: TestApp;
  afterEach(() => app?.destroy());

  it('a validation in flight during "sign out everywhere" does not bring the session back', async () => {
    app = await createTestApp();
    const issued = await app.deps.patientSignIn.issueCode('email:maya@example.org', true);
    const { token } = await app.deps.patientSignIn.verify(
      { email: 'maya@example.org', code: issued!.code },
      { actor: systemActor },
    );
    let revived = 0;
    for (let i = 0; i < 20; i++) {
      const again = await app.deps.patientSignIn.verify(
        {
          email: 'maya@example.org',
          code: (await app.deps.patientSignIn.issueCode('email:maya@example.org', true))!.code,
        },
        { actor: systemActor },
      );
      // Seen over an hour ago: the validation also slides the expiry (a write, queued behind the sign-out's).
      app.clock.advance(61 * 60_000);
      const inFlight = app.deps.patientSignIn.validate(again.token);
      await app.deps.patientSignIn.signOutEverywhere('email:maya@example.org');
      await inFlight;
      if (await app.deps.patientSignIn.validate(again.token)) revived++;
    }
    expect(revived).toBe(0);
    expect(await app.deps.patientSignIn.validate(token)).toBeNull();
  });
});
