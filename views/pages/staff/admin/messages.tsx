import type { Channel, DeliveryState } from '../../../../src/domain/notifications/index.ts';
import { type DeliveryRowView, DeliveryTable } from '../../../components/delivery-table.tsx';
import { SelectField } from '../../../components/fields.tsx';
import { FilterForm } from '../../../components/form.tsx';
import { StaffLayout, type StaffNavProps } from '../../../layouts/staff.tsx';

/** How the status filter names each state ('not-sent': no provider of the channel is configured). */
const statusLabels: Record<DeliveryState, string> = {
  queued: 'queued',
  sent: 'sent',
  failed: 'failed',
  skipped: 'skipped',
  'not-sent': 'not sent (no provider)',
};

/** Admin: every message, filtered by status and channel, a page at a time. */
export function MessagesPage(props: {
  nav: StaffNavProps;
  filter: { status: DeliveryState | ''; channel: Channel | '' };
  statuses: readonly DeliveryState[];
  channels: readonly Channel[];
  rows: DeliveryRowView[];
  page: number;
  pages: number;
  total: number;
}) {
  const link = (page: number) =>
    `/staff/admin/messages?${new URLSearchParams({ ...props.filter, page: String(page) }).toString()}`;
  return (
    <StaffLayout title="Messages" nav={props.nav}>
      <FilterForm action="/staff/admin/messages" label="Filter messages">
        <SelectField
          name="status"
          label="Status"
          blank="Any"
          options={props.statuses.map((s) => ({ id: s, name: statusLabels[s] }))}
          selected={props.filter.status}
        />
        <SelectField
          name="channel"
          label="Channel"
          blank="Any"
          options={props.channels}
          selected={props.filter.channel}
        />
      </FilterForm>
      <p class="muted">
        {props.total} message{props.total === 1 ? '' : 's'} · page {props.page} of {Math.max(props.pages, 1)}
      </p>
      <DeliveryTable rows={props.rows} showPatient caption="Messages, newest first" />
      <nav class="pager" aria-label="Pages">
        {props.page > 1 ? <a href={link(props.page - 1)}>Newer</a> : null}{' '}
        {props.page < props.pages ? <a href={link(props.page + 1)}>Older</a> : null}
      </nav>
    </StaffLayout>
  );
}
