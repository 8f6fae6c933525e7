import type { Child } from 'hono/jsx';
import { Alert, Notice } from '../../../components/notice.tsx';
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

function Post(props: { action: string; csrf: string; label: string; children: Child; inline?: boolean }) {
  return (
    <form
      method="post"
      action={props.action}
      class={props.inline ? 'inline' : 'stack'}
      aria-label={props.label}
    >
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.children}
    </form>
  );
}

function PractitionerSelect(props: { id: string; practitioners: { id: string; name: string }[] }) {
  return (
    <div class="field">
      <label for={props.id}>Practitioner</label>
      <select id={props.id} name="practitionerId" required>
        {props.practitioners.map((p) => (
          <option value={p.id}>{p.name}</option>
        ))}
      </select>
    </div>
  );
}

function Input(props: { id: string; name: string; label: string; type?: string; required?: boolean }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input id={props.id} name={props.name} type={props.type ?? 'text'} required={props.required ?? true} />
    </div>
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
    <section aria-labelledby="h-off">
      <h2 id="h-off">Time off</h2>
      <p class="muted">
        No online bookings are offered during time off. Existing appointments stay: move them from the
        calendar.
      </p>
      <table class="list">
        <caption class="visually-hidden">Upcoming time off</caption>
        <thead>
          <tr>
            <th scope="col">Who</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Reason</th>
            <th scope="col">Remove</th>
          </tr>
        </thead>
        <tbody>
          {props.timeOff.map((o) => (
            <tr>
              <td>{o.who}</td>
              <td>{o.from}</td>
              <td>{o.to}</td>
              <td>{o.reason}</td>
              <td>
                <Post
                  action={`${base}/time-off/${o.id}/remove`}
                  csrf={csrf}
                  label={`Remove time off of ${o.who} from ${o.from}`}
                  inline
                >
                  <button type="submit" class="secondary">
                    Remove{' '}
                    <span class="visually-hidden">
                      time off of {o.who} from {o.from}
                    </span>
                  </button>
                </Post>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Post action={`${base}/time-off`} csrf={csrf} label="Add time off">
        <PractitionerSelect id="off-practitioner" practitioners={props.practitioners} />
        <Input id="off-from-date" name="fromDate" label="From date" type="date" />
        <Input
          id="off-from-time"
          name="fromTime"
          label="From time (empty: start of day)"
          type="time"
          required={false}
        />
        <Input id="off-to-date" name="toDate" label="To date" type="date" />
        <Input
          id="off-to-time"
          name="toTime"
          label="To time (empty: end of day)"
          type="time"
          required={false}
        />
        <Input id="off-reason" name="reason" label="Reason" required={false} />
        <button type="submit">Add time off</button>
      </Post>
    </section>
  );
}

function ClosuresSection(props: Props) {
  const { csrf } = props;
  return (
    <section aria-labelledby="h-closed">
      <h2 id="h-closed">Clinic closures</h2>
      <ul>
        {props.closures.map((c) => (
          <li>
            {c.date} — {c.reason}{' '}
            <Post action={`${base}/closures/${c.date}/remove`} csrf={csrf} label={`Reopen ${c.date}`} inline>
              <button type="submit" class="secondary">
                Reopen <span class="visually-hidden">{c.date}</span>
              </button>
            </Post>
          </li>
        ))}
      </ul>
      <Post action={`${base}/closures`} csrf={csrf} label="Close the clinic on a date">
        <Input id="closed-date" name="date" label="Date" type="date" />
        <Input id="closed-reason" name="reason" label="Reason" />
        <button type="submit">Close the clinic that day</button>
      </Post>
    </section>
  );
}

function ExtraHoursSection(props: Props) {
  const { csrf } = props;
  return (
    <section aria-labelledby="h-extra">
      <h2 id="h-extra">Extra hours</h2>
      <ul>
        {props.extraHours.map((x) => (
          <li>
            {x.who}: {x.date} {x.start}–{x.end}{' '}
            <Post
              action={`${base}/extra-hours/${x.id}/remove`}
              csrf={csrf}
              label={`Remove extra hours of ${x.who} on ${x.date}`}
              inline
            >
              <button type="submit" class="secondary">
                Remove{' '}
                <span class="visually-hidden">
                  extra hours of {x.who} on {x.date}
                </span>
              </button>
            </Post>
          </li>
        ))}
      </ul>
      <Post action={`${base}/extra-hours`} csrf={csrf} label="Add extra hours">
        <PractitionerSelect id="extra-practitioner" practitioners={props.practitioners} />
        <Input id="extra-date" name="date" label="Date" type="date" />
        <Input id="extra-start" name="start" label="From" type="time" />
        <Input id="extra-end" name="end" label="To" type="time" />
        <button type="submit">Add extra hours</button>
      </Post>
    </section>
  );
}

function RoomsSection(props: Props) {
  const { csrf } = props;
  return (
    <section aria-labelledby="h-rooms">
      <h2 id="h-rooms">Rooms</h2>
      <ul>
        {props.rooms.map((r) => (
          <li>
            {r.name}
            {r.isDefault ? ' (default)' : ''}{' '}
            {r.isDefault ? null : (
              <Post
                action={`${base}/rooms/${r.id}/default`}
                csrf={csrf}
                label={`Make ${r.name} the default`}
                inline
              >
                <button type="submit" class="secondary">
                  Make default <span class="visually-hidden">{r.name}</span>
                </button>
              </Post>
            )}
            <Post action={`${base}/rooms/${r.id}/archive`} csrf={csrf} label={`Archive ${r.name}`} inline>
              <button type="submit" class="secondary">
                Archive <span class="visually-hidden">{r.name}</span>
              </button>
            </Post>
          </li>
        ))}
      </ul>
      <Post action={`${base}/rooms`} csrf={csrf} label="Add a room">
        <Input id="room-name" name="name" label="Room or location" />
        <label>
          <input type="checkbox" name="isDefault" /> The default for new appointments
        </label>
        <button type="submit">Add room</button>
      </Post>
    </section>
  );
}
