import { describe, expect, it } from 'vitest';
import { adminPerSuite, expectAdminsOnly } from '../../testing/admin-signed-in.ts';
import { choices } from '../../testing/form-fields.ts';

/**
 * The template builder over plain HTTP (no script): every button comes back with the page changed
 * and nothing saved; "Save" makes version 1 or the next version; a save on an older version, or with
 * a field missing its label, is refused and changes nothing.
 */
describe('template builder (settings)', () => {
  const signedIn = adminPerSuite();
  type Template = { version: number; name: string; kind: string; fields: unknown[] };
  const row = (i: number, fields: Record<string, string>) =>
    Object.fromEntries(Object.entries(fields).map(([k, v]) => [`f.${i}.${k}`, v]));

  it('adds, moves and removes fields without saving, then saves version 1 and a version 2', async () => {
    const { admin } = signedIn();
    const read = async (id: string, version?: number) =>
      (
        (await (
          await admin.get(`/api/v1/templates/${id}${version ? `?version=${version}` : ''}`)
        ).json()) as {
          template: Template;
        }
      ).template;
    await admin.text(await admin.get('/staff/settings/templates/new?kind=form'));
    const added = await admin.post('/staff/settings/templates/new?kind=form', {
      name: 'Sports intake',
      count: '1',
      ...row(0, { type: 'short-text', label: 'Sport played' }),
      addType: 'single-choice',
      action: 'add',
    });
    expect(added.status).toBe(200);
    const page = await admin.text(added);
    expect(page).toContain('name="f.1.type" value="single-choice"');
    expect(page).toContain('value="Sport played"');
    const listed = (await (await admin.get('/api/v1/templates?kind=form')).json()) as {
      templates: { name: string }[];
    };
    expect(listed.templates.map((t) => t.name)).not.toContain('Sports intake');

    // A post that names no button (a stray submit) shows the page again and saves nothing.
    const stray = await admin.post('/staff/settings/templates/new?kind=form', {
      name: 'Sports intake',
      count: '1',
      ...row(0, { type: 'short-text', label: 'Sport played' }),
    });
    expect(stray.status).toBe(200);
    const after = (await (await admin.get('/api/v1/templates?kind=form')).json()) as {
      templates: { name: string }[];
    };
    expect(after.templates.map((t) => t.name)).not.toContain('Sports intake');

    const moved = await admin.text(
      await admin.post('/staff/settings/templates/new?kind=form', {
        name: 'Sports intake',
        count: '2',
        ...row(0, { type: 'short-text', label: 'Sport played' }),
        ...row(1, { type: 'single-choice', label: 'Level', lines: 'Club\nCompetition' }),
        action: 'up:1',
      }),
    );
    expect(moved.indexOf('value="Level"')).toBeLessThan(moved.indexOf('value="Sport played"'));

    const saved = await admin.post('/staff/settings/templates/new?kind=form', {
      name: 'Sports intake',
      count: '2',
      ...row(0, { type: 'single-choice', label: 'Level', lines: 'Club\nCompetition', required: 'on' }),
      ...row(1, { type: 'short-text', label: 'Sport played' }),
      action: 'save',
    });
    expect(saved.status).toBe(303);
    const id = saved.headers.get('location')!.match(/templates\/([^?]+)\?notice=saved/)![1]!;
    const v1 = await read(id);
    expect(v1).toMatchObject({ kind: 'form', version: 1, name: 'Sports intake' });
    expect(v1.fields).toEqual([
      {
        type: 'single-choice',
        id: 'level',
        label: 'Level',
        required: true,
        options: choices({ club: 'Club', competition: 'Competition' }),
      },
      { type: 'short-text', id: 'sport-played', label: 'Sport played' },
    ]);

    // Version 2: a choice renamed keeps nothing; a kept label keeps its value; a field removed.
    const editPage = await admin.text(await admin.get(`/staff/settings/templates/${id}`));
    expect(editPage).toContain('saving makes version 2');
    const known = JSON.stringify([
      { id: 'club', label: 'Club' },
      { id: 'competition', label: 'Competition' },
    ]);
    const second = await admin.post(`/staff/settings/templates/${id}`, {
      name: 'Sports intake',
      baseVersion: '1',
      count: '1',
      ...row(0, { type: 'single-choice', id: 'level', label: 'Level', lines: 'Competition\nElite', known }),
      action: 'save',
    });
    expect(second.status).toBe(303);
    const v2 = await read(id);
    expect(v2.version).toBe(2);
    expect(v2.fields).toEqual([
      {
        type: 'single-choice',
        id: 'level',
        label: 'Level',
        options: choices({ competition: 'Competition', elite: 'Elite' }),
      },
    ]);
    expect((await read(id, 1)).fields).toHaveLength(2);

    // Saving again on version 1 (another tab) is refused: 409, version 2 stays the latest.
    const stale = await admin.post(`/staff/settings/templates/${id}`, {
      name: 'Sports intake',
      baseVersion: '1',
      count: '1',
      ...row(0, { type: 'short-text', id: 'sport-played', label: 'Sport' }),
      action: 'save',
    });
    expect(stale.status).toBe(409);
    expect(await admin.text(stale)).toContain('changed meanwhile');
    expect((await read(id)).version).toBe(2);

    // A field without a label: 422, named on its row; nothing saved.
    const bad = await admin.post(`/staff/settings/templates/${id}`, {
      name: 'Sports intake',
      baseVersion: '2',
      count: '2',
      ...row(0, { type: 'short-text', id: 'sport-played', label: 'Sport' }),
      ...row(1, { type: 'number', label: '', unit: 'kg' }),
      action: 'save',
    });
    expect(bad.status).toBe(422);
    const badPage = await admin.text(bad);
    expect(badPage).toContain('Give it a label.');
    expect(badPage).toContain('id="b-1-label-error"');
    expect((await read(id)).version).toBe(2);
  });

  it('asks a vitals field for only the measurements ticked; none is refused', async () => {
    const { admin } = signedIn();
    await admin.text(await admin.get('/staff/settings/templates/new?kind=form'));
    const form = (parts: string[], action?: string) => ({
      name: 'Growth check',
      count: '1',
      'f.0.type': 'vitals',
      'f.0.label': 'Height',
      'f.0.parts': parts,
      ...(action ? { action } : {}),
    });
    // The preview shows the ticked measurements only.
    const preview = await admin.text(
      await admin.post('/staff/settings/templates/new/preview?kind=form', form(['weight', 'height'])),
    );
    expect(preview).toContain('Weight (kg)');
    expect(preview).toContain('Height (cm)');
    expect(preview).not.toContain('Systolic');
    await admin.text(await admin.get('/staff/settings/templates/new?kind=form')); // a page with its CSRF token
    const saved = await admin.post(
      '/staff/settings/templates/new?kind=form',
      form(['weight', 'height'], 'save'),
    );
    expect(saved.status).toBe(303);
    const id = saved.headers.get('location')!.match(/templates\/([^?]+)\?/)![1]!;
    const made = ((await (await admin.get(`/api/v1/templates/${id}`)).json()) as { template: Template })
      .template;
    expect(made.fields).toEqual([
      { type: 'vitals', id: 'height', label: 'Height', parts: ['weight', 'height'] },
    ]);
    // Nothing ticked: refused on its row.
    const none = await admin.post('/staff/settings/templates/new?kind=form', form([], 'save'));
    expect(none.status).toBe(422);
    expect(await admin.text(none)).toContain('Ask for at least one measurement.');
  });

  it('is for admins only', async () => {
    await expectAdminsOnly(signedIn().app, ['/staff/settings/templates', '/staff/settings/templates/new']);
  });
});
