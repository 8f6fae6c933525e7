import { Field, SelectField } from '../../../components/fields.tsx';
import { Form, PostButton } from '../../../components/form.tsx';
import { Alert, Notice } from '../../../components/notice.tsx';
import { Section } from '../../../components/section.tsx';
import { DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

/** Settings → what changes availability besides weekly hours, and the rooms. */
export interface AvailabilityPageProps {
  nav: StaffNavProps;
  practitioners: { id: string; name: string }[];
  timeOff: { id: string; who: string; from: string; to: string; reason: string }[];
  closures: { date: string; reason: string }[];
  extraHours: { id: string; who: string; date: string; start: string; end: string }[];
  rooms: { id: string; name: string; isDefault: boolean }[];
  error?: string | undefined;
  notice?: string | undefined;
}

function PractitionerSelect(props: { id: string; practitioners: { id: string; name: string }[] }) {
  return (
    <SelectField
      id={props.id}
      name="practitionerId"
      label="Practitioner"
      options={props.practitioners}
      required
    />
  );
}

type Props = AvailabilityPageProps & { csrf: string };
const base = '/staff/settings/availability';

export function AvailabilityPage(props: AvailabilityPageProps) {
  const p = { ...props, csrf: props.nav.csrf };
  return (
    <StaffLayout title="Time off, closures, extra hours and rooms" nav={props.nav}>
      <p>
        <a href="/staff/settings">← Settings</a>
      </p>
      <Alert error={props.error} />
      <Notice text={props.notice} />

      <TimeOffSection {...p} />
      <ClosuresSection {...p} />
      <ExtraHoursSection {...p} />
      <RoomsSection {...p} />
    </StaffLayout>
  );
}

function TimeOffSection(props: Props) {
  const { csrf } = props;
  return (
    <Section id="h-off" title="Time off">
      <p class="muted">
        No online bookings are offered during time off. Existing appointments stay: move them from the
        calendar.
      </p>
      <DataTable
        class="list"
        caption="Upcoming time off"
        rows={props.timeOff}
        columns={[
          { head: 'Who', cell: (o) => o.who },
          { head: 'From', cell: (o) => o.from },
          { head: 'To', cell: (o) => o.to },
          { head: 'Reason', cell: (o) => o.reason },
          {
            head: 'Remove',
            cell: (o) => (
              <RemoveButton
                action={`${base}/time-off/${o.id}/remove`}
                csrf={csrf}
                what={`time off of ${o.who} from ${o.from}`}
              />
            ),
          },
        ]}
      />
      <Form action={`${base}/time-off`} csrf={csrf} label="Add time off">
        <PractitionerSelect id="off-practitioner" practitioners={props.practitioners} />
        <Field id="off-from-date" name="fromDate" label="From date" type="date" />
        <Field
          id="off-from-time"
          name="fromTime"
          label="From time (empty: start of day)"
          type="time"
          required={false}
        />
        <Field id="off-to-date" name="toDate" label="To date" type="date" />
        <Field
          id="off-to-time"
          name="toTime"
          label="To time (empty: end of day)"
          type="time"
          required={false}
        />
        <Field id="off-reason" name="reason" label="Reason" required={false} />
        <button type="submit">Add time off</button>
      </Form>
    </Section>
  );
}

/** A secondary inline button whose name says, for screen readers, what it acts on. */
function RemoveButton(props: { action: string; csrf: string; what: string; label?: string }) {
  const label = props.label ?? 'Remove';
  return (
    <PostButton
      action={props.action}
      csrf={props.csrf}
      label={label}
      detail={props.what}
      formLabel={`${label} ${props.what}`}
      kind="secondary"
    />
  );
}

function ClosuresSection(props: Props) {
  const { csrf } = props;
  return (
    <Section id="h-closed" title="Clinic closures">
      <ul>
        {props.closures.map((c) => (
          <li>
            {c.date} — {c.reason}{' '}
            <RemoveButton
              action={`${base}/closures/${c.date}/remove`}
              csrf={csrf}
              label="Reopen"
              what={c.date}
            />
          </li>
        ))}
      </ul>
      <Form action={`${base}/closures`} csrf={csrf} label="Close the clinic on a date">
        <Field id="closed-date" name="date" label="Date" type="date" />
        <Field id="closed-reason" name="reason" label="Reason" />
        <button type="submit">Close the clinic that day</button>
      </Form>
    </Section>
  );
}

function ExtraHoursSection(props: Props) {
  const { csrf } = props;
  return (
    <Section id="h-extra" title="Extra hours">
      <ul>
        {props.extraHours.map((x) => (
          <li>
            {x.who}: {x.date} {x.start}–{x.end}{' '}
            <RemoveButton
              action={`${base}/extra-hours/${x.id}/remove`}
              csrf={csrf}
              what={`extra hours of ${x.who} on ${x.date}`}
            />
          </li>
        ))}
      </ul>
      <Form action={`${base}/extra-hours`} csrf={csrf} label="Add extra hours">
        <PractitionerSelect id="extra-practitioner" practitioners={props.practitioners} />
        <Field id="extra-date" name="date" label="Date" type="date" />
        <Field id="extra-start" name="start" label="From" type="time" />
        <Field id="extra-end" name="end" label="To" type="time" />
        <button type="submit">Add extra hours</button>
      </Form>
    </Section>
  );
}

function RoomsSection(props: Props) {
  const { csrf } = props;
  return (
    <Section id="h-rooms" title="Rooms">
      <ul>
        {props.rooms.map((r) => (
          <li>
            {r.name}
            {r.isDefault ? ' (default)' : ''}{' '}
            {r.isDefault ? null : (
              <PostButton
                action={`${base}/rooms/${r.id}/default`}
                csrf={csrf}
                label="Make default"
                detail={r.name}
                formLabel={`Make ${r.name} the default`}
                kind="secondary"
              />
            )}
            <RemoveButton
              action={`${base}/rooms/${r.id}/archive`}
              csrf={csrf}
              label="Archive"
              what={r.name}
            />
          </li>
        ))}
      </ul>
      <Form action={`${base}/rooms`} csrf={csrf} label="Add a room">
        <Field id="room-name" name="name" label="Room or location" />
        <label>
          <input type="checkbox" name="isDefault" /> The default for new appointments
        </label>
        <button type="submit">Add room</button>
      </Form>
    </Section>
  );
}
