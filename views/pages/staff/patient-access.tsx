import { Csrf, PostButton } from '../../components/form.tsx';
import { Section } from '../../components/section.tsx';
import { DataTable, hiddenHead } from '../../components/table.tsx';

/** An address that signs in to the record, as the chart shows it. */
export interface LoginRowView {
  address: string;
  /** The address without its kind (an email, a phone number). */
  shown: string;
  kind: string;
  addedAt: string;
}

/** A family link of the record: the relative at its other end, and the link's start and end. */
export interface FamilyRowView {
  relativeId: string;
  name: string;
  since: string;
  endsAt: string;
  guardianId: string;
  dependentId: string;
}

export interface PatientAccessView {
  patientId: string;
  logins: LoginRowView[];
  guardians: FamilyRowView[];
  dependents: FamilyRowView[];
}

/**
 * Who can get into the patient's record, on their chart: the addresses that sign in to it (each
 * removable: its sessions end) and the family links in force each way (each can end now, or
 * from a day staff choose). `canChange`: the member may change patient records.
 */
export function PatientAccessSection(props: { access: PatientAccessView; csrf: string; canChange: boolean }) {
  const { access, csrf, canChange } = props;
  const base = `/staff/patients/${access.patientId}`;
  return (
    <Section id="access" title="Who can get in">
      <h3>Sign-in addresses</h3>
      <DataTable
        rows={access.logins}
        caption="Addresses that sign in to this patient’s app"
        empty={<p class="muted">No address signs in to this record.</p>}
        columns={[
          { head: 'Address', cell: (l) => l.shown },
          { head: 'By', cell: (l) => l.kind },
          { head: 'Added', cell: (l) => l.addedAt },
          canChange && {
            head: hiddenHead('Remove'),
            cell: (l) => (
              <PostButton
                action={`${base}/logins/remove`}
                csrf={csrf}
                label="Remove"
                kind="secondary"
                fields={{ address: l.address }}
                detail={l.shown}
              />
            ),
          },
        ]}
      />
      {[
        {
          title: 'Guardians (they book for this patient and read their appointments)',
          rows: access.guardians,
        },
        { title: 'Dependants (this patient books for them)', rows: access.dependents },
      ].map((family) => (
        <FamilyTable {...family} base={base} csrf={csrf} canChange={canChange} />
      ))}
    </Section>
  );
}

function FamilyTable(props: {
  title: string;
  rows: FamilyRowView[];
  base: string;
  csrf: string;
  canChange: boolean;
}) {
  const { base, csrf } = props;
  return (
    <>
      <h3>{props.title}</h3>
      <DataTable
        rows={props.rows}
        caption={props.title}
        empty={<p class="muted">None.</p>}
        columns={[
          { head: 'Name', cell: (r) => <a href={`/staff/patients/${r.relativeId}`}>{r.name}</a> },
          { head: 'Since', cell: (r) => r.since },
          { head: 'Ends', cell: (r) => r.endsAt },
          props.canChange && {
            head: hiddenHead('End the link'),
            cell: (r) => {
              const link = { guardianId: r.guardianId, dependentId: r.dependentId };
              const dateId = `ends-${r.guardianId}-${r.dependentId}`;
              return (
                <>
                  <PostButton
                    action={`${base}/family/end`}
                    csrf={csrf}
                    label="End now"
                    kind="secondary"
                    fields={link}
                    detail={r.name}
                  />{' '}
                  <form
                    method="post"
                    action={`${base}/family/end`}
                    class="inline"
                    aria-label={`End on a day: ${r.name}`}
                  >
                    <Csrf token={csrf} />
                    <input type="hidden" name="guardianId" value={r.guardianId} />
                    <input type="hidden" name="dependentId" value={r.dependentId} />
                    <label for={dateId} class="visually-hidden">
                      Ends on
                    </label>
                    <input id={dateId} type="date" name="endsOn" required />
                    <button type="submit" class="secondary">
                      End on this day
                    </button>
                  </form>
                </>
              );
            },
          },
        ]}
      />
    </>
  );
}
