import { Field, Form } from '../../components/form.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';

/** Admin pages: staff members, the job queue, the audit log. Pure functions of their props. */
export function AdminHomePage(props: { nav: StaffNavProps }) {
  return (
    <StaffLayout title="Admin" nav={props.nav}>
      <ul class="stack">
        <li>
          <a href="/staff/admin/staff">Staff members</a> — invite, change roles, deactivate, reset a lost
          second factor.
        </li>
        <li>
          <a href="/staff/admin/jobs">Background jobs</a> — email, SMS, reminders: what is waiting, what
          failed.
        </li>
        <li>
          <a href="/staff/admin/messages">Messages</a> — every email, SMS and push notification: queued, sent
          or failed, with tries and errors.
        </li>
        <li>
          <a href="/staff/admin/audit">Audit log</a> — who saw or changed what, and whether the log is intact.
        </li>
      </ul>
    </StaffLayout>
  );
}

export interface StaffRow {
  id: string;
  name: string;
  email: string;
  role: string;
  status: string;
  mfa: boolean;
  self: boolean;
}

const PostButton = (p: {
  action: string;
  csrf: string;
  label: string;
  name?: string;
  value?: string;
  secondary?: boolean;
}) => (
  <form method="post" action={p.action} class="inline">
    <input type="hidden" name="_csrf" value={p.csrf} />
    {p.name ? <input type="hidden" name={p.name} value={p.value} /> : null}
    <button type="submit" class={p.secondary ? 'secondary' : undefined}>
      {p.label}
    </button>
  </form>
);

export function StaffListPage(props: {
  nav: StaffNavProps;
  rows: StaffRow[];
  roles: readonly string[];
  error?: string | undefined;
  invited?: { email: string; link: string } | undefined;
}) {
  const csrf = props.nav.csrf;
  return (
    <StaffLayout title="Staff members" nav={props.nav}>
      {props.invited ? (
        <div class="notice" role="status">
          <p>
            We are emailing {props.invited.email} a link to choose a password. If email is not set up, send
            them this link yourself (valid 24 hours):
          </p>
          <p>
            <code>{props.invited.link}</code>
          </p>
        </div>
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Second factor</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <td>{r.name}</td>
              <td>{r.email}</td>
              <td>
                {r.self ? (
                  r.role
                ) : (
                  <form method="post" action={`/staff/admin/staff/${r.id}/role`} class="inline">
                    <input type="hidden" name="_csrf" value={csrf} />
                    <label class="visually-hidden" for={`role-${r.id}`}>
                      Role of {r.name}
                    </label>
                    <select id={`role-${r.id}`} name="role">
                      {props.roles.map((role) => (
                        <option value={role} selected={role === r.role}>
                          {role}
                        </option>
                      ))}
                    </select>
                    <button type="submit" class="secondary">
                      Change
                    </button>
                  </form>
                )}
              </td>
              <td>{r.mfa ? 'set up' : 'not set up'}</td>
              <td>{r.status}</td>
              <td>
                {!r.self && r.status === 'active' ? (
                  <>
                    {r.mfa ? (
                      <PostButton
                        action={`/staff/admin/staff/${r.id}/reset-mfa`}
                        csrf={csrf}
                        label="Reset second factor"
                        secondary
                      />
                    ) : null}
                    <PostButton
                      action={`/staff/admin/staff/${r.id}/deactivate`}
                      csrf={csrf}
                      label="Deactivate"
                      secondary
                    />
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Invite a staff member</h2>
      <Form action="/staff/admin/staff" csrf={csrf} error={props.error} label="Invite a staff member">
        <Field name="name" label="Name" autocomplete="off" />
        <Field name="email" label="Email" type="email" autocomplete="off" />
        <div class="field">
          <label for="f-role">Role</label>
          <select id="f-role" name="role">
            {props.roles.map((role) => (
              <option value={role}>{role}</option>
            ))}
          </select>
        </div>
        <button type="submit">Invite</button>
      </Form>
    </StaffLayout>
  );
}

export interface JobRowView {
  id: number;
  name: string;
  status: string;
  attempts: string;
  runAt: string;
  lastError: string;
}

/** Retry for a dead or cancelled job, Cancel for a queued one; `back` returns to the job's page. */
const JobActions = (p: { id: number; status: string; csrf: string; back?: boolean }) => {
  const back = p.back ? { name: 'back', value: 'job' } : {};
  return (
    <>
      {p.status === 'dead' || p.status === 'cancelled' ? (
        <PostButton action={`/staff/admin/jobs/${p.id}/retry`} csrf={p.csrf} label="Retry" {...back} />
      ) : null}
      {p.status === 'queued' ? (
        <PostButton
          action={`/staff/admin/jobs/${p.id}/cancel`}
          csrf={p.csrf}
          label="Cancel"
          secondary
          {...back}
        />
      ) : null}
    </>
  );
};

const Alert = (p: { error?: string | undefined }) =>
  p.error ? (
    <p class="error" role="alert">
      {p.error}
    </p>
  ) : null;

export function JobsPage(props: {
  nav: StaffNavProps;
  counts: Record<string, number>;
  oldestDueSeconds: number | null;
  backlog: boolean;
  status: string;
  name: string;
  /** The clinic's time zone, which the times are in. */
  timeZone: string;
  rows: JobRowView[];
  error?: string | undefined;
  notice?: string | undefined;
}) {
  const csrf = props.nav.csrf;
  const byName = props.name ? `&name=${encodeURIComponent(props.name)}` : '';
  return (
    <StaffLayout title="Background jobs" nav={props.nav}>
      <Alert error={props.error} />
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.backlog ? (
        <p class="error" role="alert">
          Backlog: due jobs have waited {props.oldestDueSeconds} seconds. Is a worker running?
        </p>
      ) : null}
      <ul class="counts">
        {Object.entries(props.counts).map(([status, n]) => (
          <li>
            <a
              href={`/staff/admin/jobs?status=${status}${byName}`}
              aria-current={props.status === status ? 'true' : undefined}
            >
              {status}: {n}
            </a>
          </li>
        ))}
        <li>
          <a href="/staff/admin/jobs">all</a>
        </li>
      </ul>
      <form method="get" action="/staff/admin/jobs" class="filters" aria-label="Filter jobs">
        <input type="hidden" name="status" value={props.status} />
        <div class="field">
          <label for="f-name">Job name</label>
          <input id="f-name" name="name" value={props.name} placeholder="e.g. messages.send" />
        </div>
        <button type="submit">Filter</button>
      </form>
      {props.counts.dead ? (
        <PostButton action="/staff/admin/jobs/retry-dead" csrf={csrf} label="Retry all dead" secondary />
      ) : null}
      <table>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Job</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Run at ({props.timeZone})</th>
            <th scope="col">Last error</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((j) => (
            <tr>
              <td>
                <a href={`/staff/admin/jobs/${j.id}`}>{j.id}</a>
              </td>
              <td>{j.name}</td>
              <td>{j.status}</td>
              <td>{j.attempts}</td>
              <td>{j.runAt}</td>
              <td>{j.lastError}</td>
              <td>
                <JobActions id={j.id} status={j.status} csrf={csrf} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </StaffLayout>
  );
}

/** One job as `clinicbox jobs show` prints it; times already in the clinic's zone. */
export interface JobDetailView {
  id: number;
  name: string;
  status: string;
  attempts: string;
  priority: number;
  uniqueKey: string;
  payload: string;
  lastError: string;
  lockedBy: string;
  requestId: string;
  times: { label: string; value: string }[];
}

export function JobPage(props: {
  nav: StaffNavProps;
  job: JobDetailView;
  timeZone: string;
  error?: string | undefined;
}) {
  const j = props.job;
  return (
    <StaffLayout title={`Job ${j.id}: ${j.name}`} nav={props.nav}>
      <Alert error={props.error} />
      <p>
        <a href="/staff/admin/jobs">All jobs</a>
      </p>
      <dl class="details">
        <dt>Status</dt>
        <dd>{j.status}</dd>
        <dt>Attempts</dt>
        <dd>{j.attempts}</dd>
        <dt>Payload</dt>
        <dd>
          <code>{j.payload}</code>
        </dd>
        <dt>Unique key</dt>
        <dd>{j.uniqueKey || '—'}</dd>
        <dt>Priority</dt>
        <dd>{j.priority}</dd>
        <dt>Last error</dt>
        <dd>{j.lastError ? <pre>{j.lastError}</pre> : '—'}</dd>
        <dt>Held by</dt>
        <dd>{j.lockedBy || '—'}</dd>
        <dt>Request</dt>
        <dd>{j.requestId || '—'}</dd>
        {j.times.map((t) => (
          <>
            <dt>
              {t.label} ({props.timeZone})
            </dt>
            <dd>{t.value}</dd>
          </>
        ))}
      </dl>
      <JobActions id={j.id} status={j.status} csrf={props.nav.csrf} back />
    </StaffLayout>
  );
}

export interface AuditRowView {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  patientId: string;
  ip: string;
}

export function AuditPage(props: {
  nav: StaffNavProps;
  filter: { patient: string; staff: string; from: string; to: string };
  staffOptions: { id: string; name: string }[];
  rows: AuditRowView[];
  /** The chain check, when asked for (null: not run on this visit). */
  verify: {
    ok: boolean;
    rows: number;
    head: string;
    headId: number | null;
    brokenAt?: { id: number; reason: string } | undefined;
  } | null;
}) {
  const f = props.filter;
  return (
    <StaffLayout title="Audit log" nav={props.nav}>
      {props.verify === null ? null : props.verify.ok ? (
        <p class="notice" role="status">
          The log is intact: {props.verify.rows} entries, each chained to the one before.
          {props.verify.headId !== null ? (
            <>
              {' '}
              Keep a copy of its head elsewhere, <code>{`${props.verify.headId}:${props.verify.head}`}</code>,
              and check it later with <code>clinicbox audit verify --expect-head</code>: that shows entries
              removed from the end.
            </>
          ) : null}
        </p>
      ) : (
        <p class="error" role="alert">
          The log has been tampered with: entry {props.verify.brokenAt?.id} — {props.verify.brokenAt?.reason}.
        </p>
      )}
      <form method="get" action="/staff/admin/audit" class="inline" aria-label="Verify the audit log">
        {Object.entries(f).map(([name, value]) =>
          value ? <input type="hidden" name={name} value={value} /> : null,
        )}
        <input type="hidden" name="verify" value="1" />
        <button type="submit" class="secondary">
          Verify the chain
        </button>
      </form>
      <form method="get" action="/staff/admin/audit" class="filters" aria-label="Filter the audit log">
        <div class="field">
          <label for="f-patient">Patient id</label>
          <input id="f-patient" name="patient" value={props.filter.patient} />
        </div>
        <div class="field">
          <label for="f-staff">Staff member</label>
          <select id="f-staff" name="staff">
            <option value="">Anyone</option>
            {props.staffOptions.map((s) => (
              <option value={s.id} selected={props.filter.staff === s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-from">From</label>
          <input id="f-from" name="from" type="date" value={props.filter.from} />
        </div>
        <div class="field">
          <label for="f-to">To</label>
          <input id="f-to" name="to" type="date" value={props.filter.to} />
        </div>
        <button type="submit">Filter</button>
      </form>
      <table>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Record</th>
            <th scope="col">Patient</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <td>{r.id}</td>
              <td>{r.at}</td>
              <td>{r.actor}</td>
              <td>{r.action}</td>
              <td>{r.entity}</td>
              <td>{r.patientId}</td>
              <td>{r.ip}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </StaffLayout>
  );
}
