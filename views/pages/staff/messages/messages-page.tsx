import { Notice } from '../../../components/notice.tsx';
import { type Column, DataTable } from '../../../components/table.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

/*
 * The staff Inbox's messages (issue 19): the threads by tab (mine, unassigned, closed) and the
 * Inbox's Messages section (one thread is thread-page.tsx). The list and the open thread ask again
 * every 10 s (htmx polling: plain GETs, which work in the binary and through any proxy).
 */

export const MESSAGE_TABS = ['mine', 'unassigned', 'closed'] as const;
export type MessageTab = (typeof MESSAGE_TABS)[number];
const tabLabel: Record<MessageTab, string> = { mine: 'Mine', unassigned: 'Unassigned', closed: 'Closed' };

/** How often the list and the open thread ask for news, in seconds. */
export const POLL_SECONDS = 10;

/** A thread as the lists show it. */
export interface ThreadRowView {
  id: string;
  patientId: string;
  patient: string;
  subject: string;
  assignee: string;
  last: string;
  unread: boolean;
  status: 'open' | 'closed';
}

const threadColumns: Column<ThreadRowView>[] = [
  {
    head: 'Subject',
    cell: (t) => (
      <>
        <a href={`/staff/inbox/messages/${t.id}`}>{t.subject}</a>
        {t.unread ? <span class="badge">new</span> : null}
      </>
    ),
  },
  { head: 'Patient', cell: (t) => <a href={`/staff/patients/${t.patientId}`}>{t.patient}</a> },
  { head: 'Assigned to', cell: (t) => t.assignee },
  { head: 'Last message', cell: (t) => t.last },
];

/** The threads of a tab; replaced by itself every POLL_SECONDS. */
export function ThreadList(props: { tab: MessageTab; threads: ThreadRowView[] }) {
  return (
    <div
      id="thread-list"
      hx-get={`/staff/inbox/messages/list?tab=${props.tab}`}
      hx-trigger={`every ${POLL_SECONDS}s`}
      hx-swap="outerHTML"
    >
      <DataTable
        class="list"
        caption={`${tabLabel[props.tab]} threads`}
        rows={props.threads}
        columns={threadColumns}
        rowAttributes={(t): Record<string, string> => (t.unread ? { 'data-unread': '' } : {})}
        empty={<p class="muted">No threads here.</p>}
      />
    </div>
  );
}

/** `/staff/inbox/messages`: the tabs and the chosen tab's threads. */
export function MessagesPage(props: {
  nav: StaffNavProps;
  tab: MessageTab;
  counts: { mine: number; unassigned: number };
  threads: ThreadRowView[];
  unmatched: number | undefined;
  notice?: string | undefined;
}) {
  return (
    <StaffLayout title="Messages" nav={props.nav}>
      <p>
        <a href="/staff/inbox">Back to the Inbox</a>
      </p>
      <Notice text={props.notice} />
      <MessageTabs tab={props.tab} counts={props.counts} />
      <ThreadList tab={props.tab} threads={props.threads} />
      {props.unmatched ? (
        <p>
          <a href="/staff/inbox/messages/unmatched">Text messages from unknown numbers ({props.unmatched})</a>
        </p>
      ) : null}
    </StaffLayout>
  );
}

function MessageTabs(props: { tab?: MessageTab; counts: { mine: number; unassigned: number } }) {
  const unread = (tab: MessageTab) =>
    tab === 'closed' || props.counts[tab] === 0 ? '' : ` (${props.counts[tab]} unread)`;
  return (
    <nav class="message-tabs" aria-label="Threads">
      <ul>
        {MESSAGE_TABS.map((tab) => (
          <li>
            <a
              href={`/staff/inbox/messages?tab=${tab}`}
              aria-current={tab === props.tab ? 'page' : undefined}
            >
              {tabLabel[tab]}
              {unread(tab)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The Inbox's Messages section (loaded by htmx, then every POLL_SECONDS): counts and the threads waiting. */
export function InboxMessagesSection(props: {
  counts: { mine: number; unassigned: number };
  waiting: ThreadRowView[];
  unmatched: number | undefined;
}) {
  return (
    <div
      id="inbox-messages"
      hx-get="/staff/inbox/messages/section"
      hx-trigger={`every ${POLL_SECONDS}s`}
      hx-swap="outerHTML"
    >
      <MessageTabs counts={props.counts} />
      <DataTable
        class="list"
        caption="Open threads assigned to me or to the front desk"
        rows={props.waiting}
        columns={threadColumns}
        rowAttributes={(t): Record<string, string> => (t.unread ? { 'data-unread': '' } : {})}
        empty={<p class="muted">No messages wait for you.</p>}
      />
      {props.unmatched ? (
        <p>
          <a href="/staff/inbox/messages/unmatched">Text messages from unknown numbers ({props.unmatched})</a>
        </p>
      ) : null}
    </div>
  );
}
