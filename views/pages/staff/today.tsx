import type { AppointmentStatus } from '../../../src/domain/scheduling/index.ts';
import { SwapForm } from '../../components/form.tsx';
import { Alert } from '../../components/notice.tsx';
import { Section } from '../../components/section.tsx';
import { DataTable, hiddenHead } from '../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';
import {
  type AppointmentBilling,
  AppointmentInvoices,
  ProposedFeesSection,
} from './invoices/appointment-invoices.tsx';

export interface TodayEntry {
  id: string;
  version: number;
  time: string;
  patient: string;
  practitioner: string;
  service: string;
  status: AppointmentStatus;
  /** The patient's notes page (New note), for a practitioner who writes notes. */
  noteHref?: string | undefined;
  /** Its invoices, or "Create invoice" once completed (members who read invoices). */
  billing?: AppointmentBilling | undefined;
}

/** A draft the practitioner began before today and has not signed. */
export interface NoteToFinish {
  id: string;
  patient: string;
  template: string;
  begun: string;
  href: string;
}

/** "Notes to finish": the practitioner's drafts from earlier days, each linking to its page. */
export function NotesToFinishSection(props: { notes: NoteToFinish[] }) {
  return (
    <Section id="h-notes-to-finish" title={`Notes to finish (${props.notes.length})`}>
      <DataTable
        class="list"
        caption="Drafts you began before today"
        rows={props.notes}
        columns={[
          { head: 'Patient', cell: (n) => <a href={n.href}>{n.patient}</a> },
          { head: 'Template', cell: (n) => n.template },
          { head: 'Begun', cell: (n) => n.begun },
        ]}
        empty={<p class="muted">No notes to finish.</p>}
      />
    </Section>
  );
}

/** An arrival that was refused (the appointment changed meanwhile…), shown in its row. */
export interface ArrivalError {
  id: string;
  message: string;
}

/**
 * Today: the front desk's start page — the day's appointments, with arrivals marked here. An
 * arrival is marked in place (htmx swaps `#today-list`, taken from this same page), so the page
 * stays where it was; without JavaScript it comes back to the row (`#today-<id>`).
 */
export function TodayPage(props: {
  nav: StaffNavProps;
  date: string;
  appointments: TodayEntry[];
  canChange: boolean;
  error?: ArrivalError | undefined;
  /** Shown only when there are some. */
  notesToFinish?: NoteToFinish[] | undefined;
  /** No-show and late-cancellation fees proposed as drafts (the front desk). */
  fees?: Parameters<typeof ProposedFeesSection>[0]['fees'] | undefined;
}) {
  const waiting = props.appointments.filter((a) => a.status === 'arrived').length;
  return (
    <StaffLayout title="Today" nav={props.nav}>
      {props.notesToFinish?.length ? <NotesToFinishSection notes={props.notesToFinish} /> : null}
      <ProposedFeesSection fees={props.fees ?? []} />
      <div id="today-list">
        <p>
          {props.date} · {props.appointments.length} appointment{props.appointments.length === 1 ? '' : 's'} ·{' '}
          {waiting} arrived and waiting · <a href="/staff/calendar">Open the calendar</a>
        </p>
        <DataTable
          scroll
          class="list today"
          caption="Today's appointments"
          rows={props.appointments}
          rowAttributes={(a) => ({ id: `today-${a.id}` })}
          columns={[
            { head: 'Time', cell: (a) => a.time },
            { head: 'Patient', cell: (a) => <a href={`/staff/appointments/${a.id}`}>{a.patient}</a> },
            // Beside the patient, so it stays in view on a phone (the table scrolls sideways).
            props.appointments.some((a) => a.noteHref) && {
              head: hiddenHead('Note'),
              cell: (a) =>
                a.noteHref ? (
                  <a href={a.noteHref} aria-label={`Write note: ${a.patient}`}>
                    Write note
                  </a>
                ) : null,
            },
            {
              head: 'Status',
              cell: (a) => a.status.replace('_', '-'),
              class: (a) => `status-text status-${a.status}`,
            },
            props.canChange && {
              head: hiddenHead('Arrival'),
              cell: (a) => (
                <ArrivedButton
                  a={a}
                  csrf={props.nav.csrf}
                  error={props.error?.id === a.id ? props.error : undefined}
                />
              ),
            },
            props.appointments.some((a) => a.billing?.invoices.length || a.billing?.canCreate) && {
              head: 'Invoice',
              cell: (a) =>
                a.billing ? (
                  <AppointmentInvoices billing={a.billing} csrf={props.nav.csrf} compact detail={a.patient} />
                ) : null,
            },
            { head: 'With', cell: (a) => a.practitioner },
            { head: 'Service', cell: (a) => a.service },
          ]}
          empty={<p>No appointments today.</p>}
        />
      </div>
      <p>
        <a href="/staff/patient-app">Patient app: the link and a QR poster for your waiting room</a>
      </p>
    </StaffLayout>
  );
}

/**
 * Marks a booked patient as arrived: a small "Arrived" button whose name, for screen readers,
 * says whose arrival ("Arrived: Grace Ahmed"). Its error, if refused, shows beside it.
 */
function ArrivedButton(props: { a: TodayEntry; csrf: string; error: ArrivalError | undefined }) {
  const { a } = props;
  if (a.status !== 'booked') return props.error ? <Alert error={props.error.message} /> : null;
  const action = `/staff/appointments/${a.id}/status`;
  return (
    <SwapForm action={action} csrf={props.csrf} target="today-list" swap="outerMorph" class="arrive">
      <input type="hidden" name="version" value={String(a.version)} />
      <input type="hidden" name="status" value="arrived" />
      <input type="hidden" name="back" value="today" />
      {/* The name starts with the visible word (WCAG 2.5.3); a hidden span would read "Arrived :". */}
      <button
        type="submit"
        class="compact secondary"
        id={`arrive-${a.id}`}
        aria-label={`Arrived: ${a.patient}`}
      >
        Arrived
      </button>
      {props.error ? <Alert error={props.error.message} /> : null}
    </SwapForm>
  );
}
