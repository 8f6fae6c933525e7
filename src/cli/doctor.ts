import { readdirSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../app.ts';
import { configFrom, dataOptions, deliveryOptions, textOption } from '../config/index.ts';
import { checkReadiness } from '../db/readiness.ts';
import { systemActor } from '../domain/audit/index.ts';
import { defineCommand } from './command.ts';
import { openAppForCommand } from './start.ts';
import { checkStorageRecord, probeStore } from './storage-probe.ts';

/**
 * `clinicbox doctor`: checks what a clinic's admin needs working — the database and its
 * migrations, the data folder and the files in it (owner-only; free space), the audit log's
 * chain, the job backlog, the file store (a probe object written, read and deleted; the
 * `--storage-url` the one recorded), and whether email and SMS are really configured — and, on request,
 * sends a test email or SMS the way Settings → Messages does (a delivery in the log), but here
 * and now through the configured transport rather than later by a worker, so a wrong password
 * shows at once.
 * Exit 0 when all is well, 1 when something needs attention.
 */
export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: 'Check the database, data folder, audit log, job queue, email and SMS; send a test email or SMS.',
  options: {
    ...dataOptions,
    ...deliveryOptions,
    sendTestEmail: textOption(
      'send-test-email',
      'address',
      'an email address',
      'Also send a test email to this address.',
    ),
    sendTestSms: textOption(
      'send-test-sms',
      'number',
      'a number with country code',
      'Also send a test SMS to this number.',
    ),
  },
  async run(values, _positionals, ctx) {
    const config = configFrom({ ...values, logLevel: 'error' as const });
    const app = await openAppForCommand(config, ctx, {
      command: 'doctor',
      worker: false,
      tightenDataDir: false,
    });
    if (!app) return 1;
    const problems: string[] = [];
    const line = (ok: boolean, what: string, detail: string) => {
      ctx.out(`${ok ? 'ok     ' : 'PROBLEM'}  ${what.padEnd(14)} ${detail}`);
      if (!ok) problems.push(what);
    };
    const note = (what: string, detail: string) => ctx.out(`note     ${what.padEnd(14)} ${detail}`);
    const warnings: string[] = [];
    const warn = (what: string, detail: string) => {
      ctx.out(`WARNING  ${what.padEnd(14)} ${detail}`);
      warnings.push(what);
    };
    try {
      const { db, mail, sms, audit, jobs } = app.deps;
      const ready = await checkReadiness(db);
      line(
        ready.ready,
        'database',
        ready.ready ? `${db.dialect} at ${db.location}, migrations applied` : (ready.reason ?? ''),
      );
      if (process.platform !== 'win32') checkDataModes(config.dataPath, line);
      if (db.dialect === 'sqlite') {
        const fs = statfsSync(config.dataPath);
        const freeGiB = (fs.bavail * fs.bsize) / 2 ** 30;
        line(freeGiB >= 1, 'disk space', `${freeGiB.toFixed(1)} GiB free`);
      }
      const chain = await audit.verify();
      line(
        chain.ok,
        'audit log',
        chain.ok ? `${chain.rows} rows, chain intact` : `broken at row ${chain.brokenAt?.id}`,
      );
      const stats = await jobs.admin.stats();
      line(
        !stats.backlog && stats.counts.dead === 0,
        'jobs',
        `${stats.counts.queued} queued, ${stats.counts.dead} dead${stats.backlog ? ', BACKLOG' : ''}`,
      );
      await checkBackups(app.deps, line, warn);
      await checkStorageRecord(db, config, line);
      await probeStore(app.deps.files.store, line);
      if (mail.kind === 'log') note('email', 'no --smtp-url: emails are only logged');
      else line(true, 'email', 'SMTP configured');
      if (sms.kind === 'log') note('sms', 'no SMS provider: SMS are only logged');
      else line(true, 'sms', `${sms.kind} configured`);

      const sendTest = async (channel: 'email' | 'sms', what: string, to: string) => {
        const outcome = await app.deps.notifications.notifier
          .sendTest(systemActor, channel, to, { inline: true })
          .then((d) =>
            d?.status === 'sent'
              ? { ok: true, detail: `sent to ${d.recipient} (${d.providerId}; delivery ${d.id})` }
              : { ok: false, detail: d?.lastError ?? 'not sent' },
          )
          .catch((e: Error & { issues?: { message: string }[] }) => ({
            ok: false,
            detail: e.issues?.[0]?.message ?? e.message,
          }));
        line(outcome.ok, what, outcome.detail);
      };
      if (values.sendTestEmail) await sendTest('email', 'test email', values.sendTestEmail);
      if (values.sendTestSms) await sendTest('sms', 'test SMS', values.sendTestSms);
      const warned = warnings.length ? ` (warning: ${warnings.join(', ')})` : '';
      ctx.out(
        problems.length
          ? `\n${problems.length} to look at: ${problems.join(', ')}${warned}`
          : `\nall good${warned}`,
      );
      return problems.length ? 1 : 0;
    } finally {
      await app.stop(0);
    }
  },
});

/**
 * Backups, as admins see them in the staff app: when the last one succeeded and how long ago, a
 * warning when that is more than 48 hours or never (the exit code stays 0: nothing is broken yet).
 */
async function checkBackups(
  deps: Pick<App['deps'], 'backups' | 'clock'>,
  line: (ok: boolean, what: string, detail: string) => void,
  warn: (what: string, detail: string) => void,
): Promise<void> {
  const { backups } = deps;
  const { stale, lastSuccessAt } = await backups.staleness();
  const where = backups.configured ? '' : '; no --backup-to, so none are scheduled';
  if (!lastSuccessAt) {
    warn('backups', `no backup has ever succeeded${where}`);
    return;
  }
  const hours = (deps.clock.now().getTime() - lastSuccessAt.getTime()) / 3_600_000;
  const age = hours < 48 ? `${hours.toFixed(1)} h ago` : `${(hours / 24).toFixed(1)} days ago`;
  const detail = `last success ${lastSuccessAt.toISOString()} (${age})${where}`;
  if (stale) warn('backups', `${detail}: older than 48 h`);
  else line(true, 'backups', detail);
}

/**
 * The data folder must be the owner's alone (700), and so must the files directly in it — the
 * database with its -wal and -shm, the master key (600) — whatever made them: an older
 * Clinicbox, a copy, a restore under another umask. Doctor only reports, with the fixing command.
 */
function checkDataModes(dataPath: string, line: (ok: boolean, what: string, detail: string) => void): void {
  const openToOthers = (path: string) => (statSync(path).mode & 0o077) !== 0;
  const folderOpen = openToOthers(dataPath);
  const folderMode = (statSync(dataPath).mode & 0o777).toString(8);
  const fix = folderOpen ? `: others can read it; run chmod 700 ${dataPath}` : '';
  line(!folderOpen, 'data folder', `${dataPath} (mode ${folderMode}${fix})`);
  const open = readdirSync(dataPath, { withFileTypes: true })
    .filter((entry) => entry.isFile() && openToOthers(join(dataPath, entry.name)))
    .map((entry) => entry.name)
    .sort();
  line(
    open.length === 0,
    'data files',
    open.length === 0
      ? 'owner-only'
      : `${open.join(', ')} open to others; run chmod 600 ${open.map((name) => join(dataPath, name)).join(' ')}`,
  );
}
