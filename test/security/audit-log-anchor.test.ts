import { describe, expect, it } from 'vitest';
import { createAppWithSinks } from '../../src/testing/app-with-sinks.ts';
import { perTest } from '../../src/testing/lifecycle.ts';
import { openRawDatabase } from '../../src/testing/raw-database.ts';
import { staffMember } from '../../src/testing/signed-in.ts';
import { until } from '../../src/testing/wait.ts';

/*
 * The audit log's anchor kept elsewhere. The keyed chain shows any row changed, forged or moved,
 * but not a log emptied from the end (what is left still links), nor one emptied altogether. So
 * every night each active admin is emailed the chain's head; someone who can write the database
 * cannot reach those emails, and `audit verify --expect-head` with one names what was cut.
 * The clock stands at Monday 2026-03-02 09:00Z; the nightly run is at 04:41Z.
 */
describe('the nightly audit head emailed to admins', () => {
  const app = perTest(createAppWithSinks, (a) => a.destroy());

  it('reaches every active admin (no one else) and names a head that shows the log emptied later', async () => {
    const admin = await staffMember(app(), 'admin');
    const desk = await staffMember(app(), 'reception');
    const before = await app().deps.audit.verify();
    expect(before).toMatchObject({ ok: true });

    app().clock.set('2026-03-03T04:41:00Z');
    const [mail] = await until('the head emailed to the admin', async () => {
      const mails = app().mailsTo(admin.account.email);
      return mails.length ? mails : null;
    });
    expect(app().mailsTo(desk.account.email)).toHaveLength(0);
    const [, id, hash] = /--expect-head (\d+):([0-9a-f]{64})/.exec(mail!.text ?? '') ?? [];
    expect(Number(id)).toBeGreaterThanOrEqual(before.headId!);
    const head = { id: Number(id), hash: hash! };
    expect(await app().deps.audit.verify({ expectHead: head })).toMatchObject({ ok: true });

    // Someone with the database empties the log: what is left (nothing) verifies on its own…
    const raw = await openRawDatabase(app().db);
    if (raw.dialect === 'postgres') {
      await raw.run('alter table audit_log disable trigger user');
      await raw.run('truncate audit_log');
    } else {
      await raw.run('drop trigger audit_log_no_delete');
      await raw.run('delete from audit_log');
    }
    await raw.close();
    expect(await app().deps.audit.verify()).toMatchObject({ ok: true, rows: 0 });
    // …but not against the emailed head.
    expect(await app().deps.audit.verify({ expectHead: head })).toMatchObject({
      ok: false,
      brokenAt: { id: head.id, reason: expect.stringMatching(/missing/) },
    });
  });

  it('tells the admins instead when the chain does not verify that night, naming the row', async () => {
    const admin = await staffMember(app(), 'admin');
    const raw = await openRawDatabase(app().db);
    await raw.run(
      raw.dialect === 'postgres'
        ? 'alter table audit_log disable trigger user'
        : 'drop trigger audit_log_no_update',
    );
    await raw.run("update audit_log set action = 'nothing' where id = 1");
    await raw.close();

    app().clock.set('2026-03-03T04:41:00Z');
    const [mail] = await until('the broken chain emailed to the admin', async () => {
      const mails = app().mailsTo(admin.account.email);
      return mails.length ? mails : null;
    });
    expect(mail!.subject).toMatch(/audit log does not verify/);
    expect(mail!.text).toContain('broken at row 1');
    expect(mail!.text).not.toMatch(/--expect-head/);
  });
});
