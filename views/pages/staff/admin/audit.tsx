import type { VerifyResult } from '../../../../src/domain/audit/index.ts';
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
