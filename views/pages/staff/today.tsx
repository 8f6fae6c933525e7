import type { AppointmentStatus } from '../../../src/domain/scheduling/index.ts';
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
      {props.appointments.length ? (
        <table class="list">
          <caption class="visually-hidden">Today's appointments</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Patient</th>
              <th scope="col">With</th>
              <th scope="col">Service</th>
              <th scope="col">Status</th>
              {props.canChange ? <th scope="col">Arrival</th> : null}
            </tr>
          </thead>
          <tbody>
            {props.appointments.map((a) => (
              <TodayRow a={a} csrf={props.nav.csrf} canChange={props.canChange} />
            ))}
          </tbody>
        </table>
      ) : (
        <p>No appointments today.</p>
      )}
      <p>
        <a href="/staff/patient-app">Patient app: the link and a QR poster for your waiting room</a>
      </p>
    </StaffLayout>
  );
}

function TodayRow(props: { a: TodayEntry; csrf: string; canChange: boolean }) {
  const { a } = props;
  return (
    <tr>
      <td>{a.time}</td>
      <td>
        <a href={`/staff/appointments/${a.id}`}>{a.patient}</a>
      </td>
      <td>{a.practitioner}</td>
      <td>{a.service}</td>
      <td class={`status-text status-${a.status}`}>{a.status.replace('_', '-')}</td>
      {props.canChange ? (
        <td>
          {a.status === 'booked' ? (
            <form method="post" action={`/staff/appointments/${a.id}/status`}>
              <input type="hidden" name="_csrf" value={props.csrf} />
              <input type="hidden" name="version" value={String(a.version)} />
              <input type="hidden" name="status" value="arrived" />
              <input type="hidden" name="back" value="today" />
              <button type="submit">Arrived: {a.patient}</button>
            </form>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
