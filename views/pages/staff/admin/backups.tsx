import { Fact } from '../../../components/facts.tsx';
import { PostButton } from '../../../components/form.tsx';
import { Alert, Notice } from '../../../components/notice.tsx';
import { type Column, DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

/** One backup run as the page lists it; times already in the clinic's zone, sizes readable. */
export interface BackupRunView {
  id: string;
  when: string;
  trigger: string;
  /** queued, running, retrying, succeeded, failed. */
  status: string;
  attempts: number;
  size: string;
  duration: string;
  error: string;
}

/** The current run (or the last one) and the "Back up now" button: the part htmx refreshes. */
export interface BackupStatusView {
  configured: boolean;
  /** The run queued, running or between attempts; null when none. */
  active: BackupRunView | null;
  /** The run the admin just asked for, once it has ended (shown until the next visit). */
  ended: BackupRunView | null;
}

export interface BackupsPageView {
  /** Null when no `--backup-to` is set. */
  target: string | null;
  schedule: string;
  timeZone: string;
  nextRun: string;
  retention: string;
  lastSuccess: { when: string; age: string; size: string; duration: string } | null;
  stale: boolean;
  status: BackupStatusView;
  recent: BackupRunView[];
  notice?: string | undefined;
  error?: string | undefined;
}

const statusText: Record<string, string> = {
  queued: 'Queued: waiting for the worker…',
  running: 'Running…',
  retrying: 'The last attempt failed; it will be tried again shortly.',
};

/**
 * The current run and "Back up now". While a run is queued or running it asks the server again
 * every 2 seconds (htmx); without script the Refresh link does the same.
 */
export function BackupStatus(props: { view: BackupStatusView; csrf: string }) {
  const { active, ended, configured } = props.view;
  const poll = active
    ? {
        'hx-get': `/staff/admin/backups/status?run=${active.id}`,
        'hx-trigger': 'every 2s',
        'hx-swap': 'outerHTML',
      }
    : {};
  return (
    <section id="backup-status" aria-labelledby="h-backup-now" class="stack" {...poll}>
      <h2 id="h-backup-now">Back up now</h2>
      <div aria-live="polite" class="stack">
        {active ? (
          <p class="notice backup-state" data-status={active.status}>
            {statusText[active.status] ?? active.status} {active.error ? `(${active.error})` : ''}{' '}
            <a href="/staff/admin/backups">Refresh</a>
          </p>
        ) : ended ? (
          ended.status === 'succeeded' ? (
            <p class="notice backup-state" data-status="succeeded" role="status">
              Done: backup written ({ended.size}, {ended.duration}).
            </p>
          ) : (
            <p class="error backup-state" data-status={ended.status} role="alert">
              The backup failed: {ended.error}
            </p>
          )
        ) : null}
      </div>
      {configured && !active ? (
        <PostButton
          action="/staff/admin/backups/run"
          csrf={props.csrf}
          label="Back up now"
          inline={false}
          formLabel="Back up now"
        />
      ) : null}
    </section>
  );
}

const runColumns: Column<BackupRunView>[] = [
  { head: 'Started', cell: (r) => r.when },
  {
    head: 'Why',
    cell: (r) =>
      r.trigger === 'manual' ? 'Back up now' : r.trigger === 'command' ? 'clinicbox backup' : 'schedule',
  },
  { head: 'Status', cell: (r) => r.status, class: (r) => `run-${r.status}` },
  { head: 'Attempts', cell: (r) => String(r.attempts) },
  { head: 'Size', cell: (r) => r.size || '—' },
  { head: 'Duration', cell: (r) => r.duration || '—' },
  { head: 'Error', cell: (r) => (r.error ? <span class="run-error">{r.error}</span> : '—') },
];

/** Admin › Backups: where scheduled backups go, when, the last success, recent runs, Back up now. */
export function BackupsPage(props: { nav: StaffNavProps; view: BackupsPageView }) {
  const v = props.view;
  return (
    <StaffLayout title="Backups" nav={props.nav}>
      <Alert error={v.error} />
      <Notice text={v.notice} />
      {v.target === null ? (
        <section aria-labelledby="h-no-target" class="stack">
          <h2 id="h-no-target">No scheduled backups</h2>
          <p>
            No backup target is set, so Clinicbox makes no backups by itself. Start it with a folder (best on
            another disk) or an S3 prefix, and a key to encrypt to:
          </p>
          <pre class="command">clinicbox serve --backup-to /mnt/backups/clinic --backup-recipient age1…</pre>
          <p>
            or the environment variables <code>CLINICBOX_BACKUP_TO</code> and{' '}
            <code>CLINICBOX_BACKUP_RECIPIENT</code> (an age public key made with <code>age-keygen</code>; keep
            its identity away from this machine), or <code>--backup-passphrase-file</code>. Backups then run
            every night at 02:30 clinic time (<code>--backup-schedule</code>) and old ones are removed (7
            daily, 4 weekly, 12 monthly). Meanwhile <code>clinicbox backup --to DIR</code> makes one by hand.
          </p>
        </section>
      ) : (
        <dl class="details backup-details">
          <Fact term="Target">
            <code class="backup-target">{v.target}</code>
          </Fact>
          <Fact term="Schedule">
            <code>{v.schedule}</code> ({v.timeZone})
          </Fact>
          <Fact term="Next run">{v.nextRun}</Fact>
          <Fact term="Keeps">{v.retention}</Fact>
        </dl>
      )}
      <section aria-labelledby="h-last" class="stack">
        <h2 id="h-last">Last successful backup</h2>
        {v.lastSuccess ? (
          <p class={v.stale ? 'error' : undefined}>
            {v.lastSuccess.when} ({v.lastSuccess.age} ago) — {v.lastSuccess.size} in {v.lastSuccess.duration}
          </p>
        ) : (
          <p class="error">None yet.</p>
        )}
      </section>
      <BackupStatus view={v.status} csrf={props.nav.csrf} />
      <section aria-labelledby="h-runs" class="stack">
        <h2 id="h-runs">Recent runs</h2>
        <DataTable
          scroll
          rows={v.recent}
          columns={runColumns}
          caption="Recent backup runs"
          class="backup-runs"
          empty={<p class="muted">No runs yet.</p>}
        />
      </section>
    </StaffLayout>
  );
}
