import { Chart, ChartLegend, type ChartProps } from '../../components/chart.tsx';
import { Alert } from '../../components/notice.tsx';
import { Section } from '../../components/section.tsx';
import { StaffLayout, type StaffNavProps } from '../../layouts/staff.tsx';

/** One report as the page shows it: its chart, the same numbers as a table, and its CSV link. */
export interface ReportSectionView {
  name: string;
  title: string;
  description: string;
  chart: Omit<ChartProps, 'id' | 'title'>;
  head: string[];
  /** Cells already formatted (money in the clinic's currency, percentages, minutes). */
  cells: string[][];
  /** Which columns hold numbers (aligned right). */
  numeric: boolean[];
  csvHref: string;
}

export interface ReportsPageProps {
  nav: StaffNavProps;
  range: { preset: string; from: string; to: string };
  presets: { value: string; label: string; href: string }[];
  /** Whose figures: the clinic's (admins) or the practitioner's own. */
  scope: 'clinic' | 'own';
  reports: ReportSectionView[];
  /** Why the dates asked for were not used (this month is shown instead). */
  error?: string | undefined;
}

function RangePicker(props: Pick<ReportsPageProps, 'range' | 'presets'>) {
  return (
    <div class="range-picker">
      <nav aria-label="Report period">
        <ul class="presets">
          {props.presets.map((p) => (
            <li>
              <a href={p.href} aria-current={props.range.preset === p.value ? 'true' : undefined}>
                {p.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form method="get" action="/staff/reports" class="inline custom-range" aria-label="Custom period">
        <input type="hidden" name="preset" value="custom" />
        <label>
          From <input type="date" name="from" value={props.range.from} required />
        </label>
        <label>
          To <input type="date" name="to" value={props.range.to} required />
        </label>
        <button type="submit">Show</button>
      </form>
    </div>
  );
}

function ReportSection(props: { report: ReportSectionView }) {
  const r = props.report;
  const id = `report-${r.name}`;
  return (
    <Section id={id} title={r.title}>
      <p class="muted">{r.description}</p>
      <div class={r.head.length > 4 ? 'report-body wide' : 'report-body'}>
        <figure class="report-chart">
          <Chart
            id={`${id}-chart`}
            title={`${r.title} (chart; the table beside it has the numbers)`}
            {...r.chart}
          />
          <ChartLegend series={r.chart.series} />
        </figure>
        <section class="report-table" aria-label={`${r.title}: numbers`} tabindex={0}>
          <table>
            <caption class="visually-hidden">{r.title}</caption>
            <thead>
              <tr>
                {r.head.map((h, i) => (
                  <th scope="col" class={r.numeric[i] ? 'num' : undefined}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {r.cells.map((row) => (
                <tr>
                  {row.map((cell, i) =>
                    i === 0 ? (
                      <th scope="row">{cell}</th>
                    ) : (
                      <td class={r.numeric[i] ? 'num' : undefined}>{cell}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <p>
        <a href={r.csvHref} download>
          CSV<span class="visually-hidden"> of {r.title}</span>
        </a>
      </p>
    </Section>
  );
}

/** Reports: a period (presets or custom dates), then one section per report. */
export function ReportsPage(props: ReportsPageProps) {
  return (
    <StaffLayout title="Reports" nav={props.nav}>
      <link rel="stylesheet" href="/static/reports.css" />
      <Alert error={props.error} />
      <RangePicker range={props.range} presets={props.presets} />
      <p class="range-note" role="status">
        {props.range.from} to {props.range.to}
        {props.scope === 'own' ? ' · your own figures' : ' · the whole clinic'}
      </p>
      {props.reports.map((report) => (
        <ReportSection report={report} />
      ))}
    </StaffLayout>
  );
}
