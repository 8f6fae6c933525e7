import type { VerifyResult } from '../../../../src/domain/audit/index.ts';
import { DateRangeFields, Field, SelectField } from '../../../components/fields.tsx';
import { FilterForm } from '../../../components/form.tsx';
import { type Column, DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

/** The audit log: who saw or changed what, filtered; and the check of its hash chain. */
export interface AuditRowView {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  patientId: string;
  ip: string;
}

const auditColumns: Column<AuditRowView>[] = [
  { head: '#', cell: (r) => r.id },
  { head: 'When (UTC)', cell: (r) => r.at },
  { head: 'Who', cell: (r) => r.actor },
  { head: 'What', cell: (r) => r.action },
  { head: 'Record', cell: (r) => r.entity },
  { head: 'Patient', cell: (r) => r.patientId },
  { head: 'From', cell: (r) => r.ip },
];

export function AuditPage(props: {
  nav: StaffNavProps;
  filter: { patient: string; staff: string; from: string; to: string };
  staffOptions: { id: string; name: string }[];
  rows: AuditRowView[];
  /** The chain check, when asked for (null: not run on this visit). */
  verify: VerifyResult | null;
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
      <FilterForm action="/staff/admin/audit" label="Filter the audit log">
        <Field name="patient" label="Patient id" value={f.patient} required={false} />
        <SelectField
          name="staff"
          label="Staff member"
          blank="Anyone"
          options={props.staffOptions}
          selected={f.staff}
        />
        <DateRangeFields from={f.from} to={f.to} />
      </FilterForm>
      <DataTable scroll rows={props.rows} columns={auditColumns} />
    </StaffLayout>
  );
}
