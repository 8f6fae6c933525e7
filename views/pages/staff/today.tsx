import type { AppointmentStatus } from '../../../src/domain/scheduling/index.ts';
import { PostButton } from '../../components/form.tsx';
import { DataTable } from '../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';

export interface TodayEntry {
  id: string;
  version: number;
  time: string;
  patient: string;
  practitioner: string;
  service: string;
  status: AppointmentStatus;
}

/** Today: the front desk's start page — the day's appointments, with arrivals marked here. */
export function TodayPage(props: {
  nav: StaffNavProps;
  date: string;
  appointments: TodayEntry[];
  canChange: boolean;
}) {
  const waiting = props.appointments.filter((a) => a.status === 'arrived').length;
  return (
    <StaffLayout title="Today" nav={props.nav}>
      <p>
        {props.date} · {props.appointments.length} appointment{props.appointments.length === 1 ? '' : 's'} ·{' '}
        {waiting} arrived and waiting · <a href="/staff/calendar">Open the calendar</a>
      </p>
      <DataTable
        class="list"
        caption="Today's appointments"
        rows={props.appointments}
        columns={[
          { head: 'Time', cell: (a) => a.time },
          { head: 'Patient', cell: (a) => <a href={`/staff/appointments/${a.id}`}>{a.patient}</a> },
          { head: 'With', cell: (a) => a.practitioner },
          { head: 'Service', cell: (a) => a.service },
          {
            head: 'Status',
            cell: (a) => a.status.replace('_', '-'),
            class: (a) => `status-text status-${a.status}`,
          },
          props.canChange && { head: 'Arrival', cell: (a) => <ArrivedButton a={a} csrf={props.nav.csrf} /> },
        ]}
        empty={<p>No appointments today.</p>}
      />
      <p>
        <a href="/staff/patient-app">Patient app: the link and a QR poster for your waiting room</a>
      </p>
    </StaffLayout>
  );
}

/** Marks a booked patient as arrived, back to this page. */
function ArrivedButton(props: { a: TodayEntry; csrf: string }) {
  const { a } = props;
  if (a.status !== 'booked') return null;
  return (
    <PostButton
      action={`/staff/appointments/${a.id}/status`}
      csrf={props.csrf}
      fields={{ version: String(a.version), status: 'arrived', back: 'today' }}
      label={`Arrived: ${a.patient}`}
      inline={false}
    />
  );
}
