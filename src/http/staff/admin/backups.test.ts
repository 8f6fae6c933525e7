import { afterEach, describe, expect, it } from 'vitest';
import { type BackupTestApp, createBackupTestApp, runEnded } from '../../../testing/backups-world.ts';
import { signedInStaff } from '../../../testing/signed-in.ts';

/** Admin › Backups over HTTP: the page, Back up now and its status, who may, the 48 h warning. */
describe('the Backups page', () => {
  let app: BackupTestApp | undefined;
  afterEach(async () => {
    await app?.destroy();
    app = undefined;
  });

  it('shows the target and schedule; Back up now queues a run the status part follows to done', async () => {
    app = await createBackupTestApp({ worker: true }); // started below, after the queued state
    const { browser: admin } = await signedInStaff(app, 'admin');
    const page = await admin.text(await admin.get('/staff/admin/backups'));
    expect(page).toContain(app.dir);
    expect(page).toContain('30 2 * * *');
    expect(page).toContain('2026-03-03 02:30:00'); // next run, clinic time (UTC here)
    expect(page).toContain('None yet.');
    expect(page).toContain('class="backup-warning"'); // never backed up
    expect(page).toContain('No backup has been made yet.');

    const asked = await admin.post('/staff/admin/backups/run');
    expect(asked.status).toBe(303);
    const location = asked.headers.get('location')!;
    expect(location).toMatch(/^\/staff\/admin\/backups\?asked=1&run=/);
    const queued = await admin.text(await admin.get(location));
    expect(queued).toContain('Backup queued.');
    expect(queued).toMatch(/data-status="queued"/);
    expect(queued).toMatch(/hx-get="\/staff\/admin\/backups\/status\?run=[\w-]+"/);
    expect(queued).not.toContain('>Back up now</button>'); // one run at a time
    // Asking again joins the queued run.
    const again = await admin.post('/staff/admin/backups/run', {
      _csrf: /name="_csrf" value="([^"]*)"/.exec(queued)![1]!,
    });
    expect(again.headers.get('location')).toBe(location);
    expect((await app.deps.backups.overview()).recent).toHaveLength(1);

    // The worker runs it; the status part says done, and the warning is gone.
    await app.start();
    const run = await runEnded(app, 60_000);
    expect(run.status).toBe('succeeded');
    const runId = new URL(location, 'http://x').searchParams.get('run');
    const status = await admin.text(await admin.get(`/staff/admin/backups/status?run=${runId}`));
    expect(status).toContain('data-status="succeeded"');
    expect(status).not.toContain('hx-trigger');
    // htmx, which was polling, loads the whole page again.
    const polled = await admin.get(`/staff/admin/backups/status?run=${runId}`, { 'hx-request': 'true' });
    expect(polled.headers.get('hx-redirect')).toBe(`/staff/admin/backups?run=${runId}`);
    const after = await admin.text(await admin.get('/staff/admin/backups'));
    expect(after).not.toContain('class="backup-warning"');
    expect(after).toMatch(/Last successful backup<\/h2>\s*<p>2026-03-02 09:00:00 \(0 min ago\)/);

    // 48 hours later without another success, every admin page warns again (a new session: the
    // old one has ended).
    app.clock.advance(48 * 3_600_000 + 60_000);
    const { browser: next } = await signedInStaff(app, 'admin');
    const later = await next.text(await next.get('/staff/admin'));
    expect(later).toContain('The last successful backup was 2 days ago.');
  }, 120_000);

  it('without a target says how to set one, and Back up now is refused', async () => {
    app = await createBackupTestApp({ backupTo: '' });
    const { browser: admin } = await signedInStaff(app, 'admin');
    const page = await admin.text(await admin.get('/staff/admin/backups'));
    expect(page).toContain('No scheduled backups');
    expect(page).toContain('--backup-to');
    expect(page).not.toContain('>Back up now</button>');
    const refused = await admin.post('/staff/admin/backups/run');
    expect(refused.status).toBe(409);
    expect((await app.deps.backups.overview()).recent).toEqual([]);
  });

  it('is for admins only: others get 403 and see no warning', async () => {
    app = await createBackupTestApp();
    for (const role of ['practitioner', 'reception'] as const) {
      const { browser } = await signedInStaff(app, role);
      expect((await browser.get('/staff/admin/backups')).status).toBe(403);
      expect((await browser.get('/staff/admin/backups/status')).status).toBe(403);
      const today = await browser.text(await browser.get('/staff'));
      expect(today).not.toContain('backup-warning');
      expect((await browser.post('/staff/admin/backups/run')).status).toBe(403);
    }
    expect((await app.deps.backups.overview()).recent).toEqual([]);
  });
});
