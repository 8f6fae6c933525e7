import type { JobStatus } from '../../../../src/jobs/index.ts';
import { Fact } from '../../../components/facts.tsx';
import { Field } from '../../../components/fields.tsx';
import { FilterForm, PostButton } from '../../../components/form.tsx';
import { Alert, Notice } from '../../../components/notice.tsx';
import { type Column, DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

/** The job queue: counts, a filtered list, one job's details; retry the dead, cancel the waiting. */
export interface JobRowView {
  id: number;
  name: string;
  status: JobStatus;
  attempts: string;
  runAt: string;
  lastError: string;
}

/** Retry for a dead or cancelled job, Cancel for a queued one; `back` returns to the job's page. */
const JobActions = (p: { id: number; status: JobStatus; csrf: string; back?: boolean }) => {
  const fields = p.back ? { back: 'job' } : undefined;
  const action = (verb: string) => `/staff/admin/jobs/${p.id}/${verb}`;
  return (
    <>
      {p.status === 'dead' || p.status === 'cancelled' ? (
        <PostButton action={action('retry')} csrf={p.csrf} label="Retry" fields={fields} />
      ) : null}
      {p.status === 'queued' ? (
        <PostButton action={action('cancel')} csrf={p.csrf} label="Cancel" kind="secondary" fields={fields} />
      ) : null}
    </>
  );
};

const jobColumns = (csrf: string, timeZone: string): Column<JobRowView>[] => [
  { head: 'Id', cell: (j) => <a href={`/staff/admin/jobs/${j.id}`}>{j.id}</a> },
  { head: 'Job', cell: (j) => j.name },
  { head: 'Status', cell: (j) => j.status },
  { head: 'Attempts', cell: (j) => j.attempts },
  { head: `Run at (${timeZone})`, cell: (j) => j.runAt },
  { head: 'Last error', cell: (j) => j.lastError },
  { head: 'Actions', cell: (j) => <JobActions id={j.id} status={j.status} csrf={csrf} /> },
];

export function JobsPage(props: {
  nav: StaffNavProps;
  counts: Record<JobStatus, number>;
  oldestDueSeconds: number | null;
  backlog: boolean;
  status: JobStatus | '';
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
      <Notice text={props.notice} />
      {props.backlog ? (
        <Alert
          error={`Backlog: due jobs have waited ${props.oldestDueSeconds} seconds. Is a worker running?`}
        />
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
      <FilterForm action="/staff/admin/jobs" label="Filter jobs">
        <input type="hidden" name="status" value={props.status} />
        <Field
          name="name"
          label="Job name"
          value={props.name}
          placeholder="e.g. messages.send"
          required={false}
        />
      </FilterForm>
      {props.counts.dead ? (
        <PostButton
          action="/staff/admin/jobs/retry-dead"
          csrf={csrf}
          label="Retry all dead"
          kind="secondary"
        />
      ) : null}
      <DataTable scroll rows={props.rows} columns={jobColumns(csrf, props.timeZone)} />
    </StaffLayout>
  );
}

/** One job as `clinicbox jobs show` prints it; times already in the clinic's zone. */
export interface JobDetailView {
  id: number;
  name: string;
  status: JobStatus;
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
        <Fact term="Status">{j.status}</Fact>
        <Fact term="Attempts">{j.attempts}</Fact>
        <Fact term="Payload">
          <code>{j.payload}</code>
        </Fact>
        <Fact term="Unique key">{j.uniqueKey || '—'}</Fact>
        <Fact term="Priority">{j.priority}</Fact>
        <Fact term="Last error">{j.lastError ? <pre>{j.lastError}</pre> : '—'}</Fact>
        <Fact term="Held by">{j.lockedBy || '—'}</Fact>
        <Fact term="Request">{j.requestId || '—'}</Fact>
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
