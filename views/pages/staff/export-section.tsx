import { PostButton } from '../../components/form.tsx';
import { Notice } from '../../components/notice.tsx';

/** One export the member asked for, as the chart lists it. */
export interface ChartExportRow {
  id: string;
  /** queued, ready, failed, expired. */
  status: string;
  asked: string;
  /** Until when the download works (ready ones). */
  until: string;
  size: string;
}

/** The chart's "Export record" section: the button, and the member's own recent exports. */
export interface ExportSectionView {
  patientId: string;
  rows: ChartExportRow[];
  /** What the export holds for this member (the front desk: no clinical content). */
  scope: string;
  notice?: string | undefined;
}

/**
 * Export record (GDPR articles 15 and 20): a zip of the record — a FHIR R4 file, a readable summary
 * and every document — built in the background; its download link works for 24 hours, for the
 * member who asked only. While one is being built the section asks again every few seconds.
 */
export function ExportSection(props: { view: ExportSectionView; csrf: string }) {
  const v = props.view;
  const building = v.rows.some((r) => r.status === 'queued');
  const refresh = building
    ? {
        'hx-get': `/staff/patients/${v.patientId}/exports`,
        'hx-trigger': 'every 3s',
        'hx-swap': 'outerHTML',
      }
    : {};
  return (
    <section aria-labelledby="h-export" id="export" {...refresh}>
      <h2 id="h-export">Export record</h2>
      <Notice text={v.notice} />
      <p class="muted">
        A zip of {v.scope}: a FHIR R4 file (record.json), a readable summary and the documents — for a
        patient’s request for their data or a move to another clinic. Its download link works for 24 hours,
        for you only. Asking, building and downloading are recorded in the audit log.
      </p>
      <PostButton
        action={`/staff/patients/${v.patientId}/export`}
        csrf={props.csrf}
        label="Export record"
        inline={false}
        formLabel="Export the record"
      />
      {v.rows.length ? (
        <ul class="stack" aria-live="polite">
          {v.rows.map((r) => (
            <li>
              Asked {r.asked}:{' '}
              {r.status === 'ready' ? (
                <>
                  <a href={`/api/v1/exports/${r.id}/download`} download>
                    Download the zip
                  </a>{' '}
                  ({r.size}; until {r.until})
                </>
              ) : r.status === 'queued' ? (
                'being built…'
              ) : r.status === 'expired' ? (
                <span class="muted">expired</span>
              ) : (
                <span class="error">could not be built — try again, or see Admin › Jobs</span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
