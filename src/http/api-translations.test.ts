import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/app.ts';
import { testBrowser } from '../testing/browser.ts';
import { fr, translateApiMessage } from './api-translations.ts';

const src = fileURLToPath(new URL('../', import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : /\.tsx?$/.test(e.name) && !/\.test\.tsx?$|api-translations\.ts$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );

describe('API messages in French', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.destroy());

  it('translates only messages the code still says (a reworded message must be translated again)', () => {
    const code = sources(src)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const stale = Object.keys(fr).filter((english) => !code.includes(english));
    expect(stale, `not in ${relative(process.cwd(), src)} any more`).toEqual([]);
  });

  it('answers validation errors in French when the request asks for it, in English otherwise', async () => {
    const browser = testBrowser(app.http);
    const french = await browser.json(
      'POST',
      '/api/v1/auth/start',
      { email: 'nope' },
      { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' },
    );
    expect(french.status).toBe(422);
    expect(await french.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        message: 'Certains champs ne sont pas valides.',
        issues: [{ path: 'email', message: 'Saisissez une adresse e-mail valide.' }],
      },
    });
    const english = await browser.json(
      'POST',
      '/api/v1/auth/start',
      { email: 'nope' },
      { 'accept-language': 'de-DE' },
    );
    expect((await english.json()).error.issues[0].message).toBe('Enter a valid email address.');
  });

  it('answers a wrong code and a missing appointment in French', async () => {
    const patient = testBrowser(app.http);
    const fr = { 'accept-language': 'fr' };
    const wrong = await patient.json(
      'POST',
      '/api/v1/auth/verify',
      { email: 'maya@example.org', code: '000000' },
      fr,
    );
    expect((await wrong.json()).error.message).toBe(
      'Ce code n’est pas bon ou a expiré. Demandez-en un nouveau.',
    );

    const issued = await app.deps.patientSignIn.issueCode('email:maya@example.org', true);
    expect(
      (await patient.json('POST', '/api/v1/auth/verify', { email: 'maya@example.org', code: issued!.code }))
        .status,
    ).toBe(200);
    const early = await patient.get('/api/v1/appointments/00000000-0000-4000-8000-000000000000', fr);
    expect((await early.json()).error.message).toBe('Terminez d’abord votre inscription.');
    const registered = await patient.json('POST', '/api/v1/me/registration', {
      firstName: 'Maya',
      lastName: 'Lind',
      dateOfBirth: '1990-10-10',
      acceptTerms: true,
    });
    expect(registered.status).toBe(201);
    const missing = await patient.get('/api/v1/appointments/00000000-0000-4000-8000-000000000000', fr);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.message).toBe('Ce rendez-vous est introuvable.');
  });

  it('translates the patterned messages', () => {
    expect(translateApiMessage('That appointment was not found.', 'fr')).toBe(
      'Ce rendez-vous est introuvable.',
    );
    expect(translateApiMessage('A cancelled appointment cannot be moved.', 'fr')).toBe(
      'Un rendez-vous annulé ne peut pas être déplacé.',
    );
    expect(translateApiMessage('Something new.', 'fr')).toBe('Something new.');
    expect(translateApiMessage('Please sign in.', 'en')).toBe('Please sign in.');
  });
});
