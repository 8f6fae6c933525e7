/**
 * A chart drawn on the server as inline SVG (no script: the CSP allows it as markup): bars side by
 * side, stacked bars, or lines, of some series over categories. It is one image to assistive
 * technology (role="img", named by its <title>); the page puts the same numbers in a table beside
 * it. Colours come from classes (static/reports.css), as the CSP allows no inline style.
 */
export interface ChartSeries {
  key: string;
  label: string;
}

export interface ChartProps {
  id: string;
  title: string;
  kind: 'bars' | 'stacked' | 'line';
  categories: string[];
  series: ChartSeries[];
  /** values[s][c]: series s at category c. */
  values: number[][];
  /** An axis label from a value (money, percent…). */
  format(value: number): string;
}

const W = 640;
const H = 240;
const PAD = { left: 64, right: 8, top: 12, bottom: 28 };
const plotW = W - PAD.left - PAD.right;
const plotH = H - PAD.top - PAD.bottom;

/** The value range the axis shows: always 0, and round steps above (and below, for refunds). */
function axisOf(props: ChartProps): { lo: number; hi: number; ticks: number[] } {
  const n = props.categories.length;
  const tops =
    props.kind === 'stacked'
      ? Array.from({ length: n }, (_, c) => props.values.reduce((sum, s) => sum + Math.max(0, s[c] ?? 0), 0))
      : props.values.flat();
  const max = Math.max(0, ...tops);
  const min = Math.min(0, ...props.values.flat());
  const span = max - min || 1;
  const raw = span / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  // Every value is a whole number (counts, minor units, minutes) or a percentage: no step under 1.
  const step = Math.max(1, [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw);
  const lo = Math.floor(min / step) * step;
  const hi = Math.max(lo + step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Math.round(v * 1000) / 1000);
  return { lo, hi, ticks };
}

/** A category's label, shortened to fit under its bar (dates lose their year). */
const shortLabel = (label: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(label) ? label.slice(5) : label.length > 12 ? `${label.slice(0, 11)}…` : label;

export function Chart(props: ChartProps) {
  const { lo, hi, ticks } = axisOf(props);
  const y = (v: number) => PAD.top + plotH - ((v - lo) / (hi - lo)) * plotH;
  const n = Math.max(1, props.categories.length);
  const band = plotW / n;
  const every = Math.ceil(n / 10);
  const titleId = `${props.id}-title`;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby={titleId}
      preserveAspectRatio="xMidYMid meet"
    >
      <title id={titleId}>{props.title}</title>
      {ticks.map((t) => (
        <g class="tick">
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} class={t === 0 ? 'axis' : 'grid'} />
          <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end">
            {props.format(t)}
          </text>
        </g>
      ))}
      {props.kind === 'line' ? <Lines {...props} y={y} band={band} /> : <Bars {...props} y={y} band={band} />}
      {props.categories.map((c, i) =>
        i % every === 0 ? (
          <text class="label" x={PAD.left + band * (i + 0.5)} y={H - 8} text-anchor="middle">
            {shortLabel(c)}
          </text>
        ) : null,
      )}
    </svg>
  );
}

type Drawn = ChartProps & { y(v: number): number; band: number };

function Bars(props: Drawn) {
  const { y, band } = props;
  const k = props.series.length;
  const gap = band * 0.2;
  const rects = props.categories.flatMap((_, c) => {
    let base = 0;
    return props.series.map((s, i) => {
      const v = props.values[i]?.[c] ?? 0;
      const stacked = props.kind === 'stacked';
      const width = stacked ? band - gap : (band - gap) / k;
      const x = PAD.left + band * c + gap / 2 + (stacked ? 0 : width * i);
      const from = stacked ? base : 0;
      const to = stacked ? base + Math.max(0, v) : v;
      if (stacked) base = to;
      const top = y(Math.max(from, to));
      const height = Math.abs(y(from) - y(to));
      return height > 0 ? (
        <rect
          class={`series-${i}`}
          x={x.toFixed(1)}
          y={top.toFixed(1)}
          width={width.toFixed(1)}
          height={height.toFixed(1)}
        >
          <title>{`${props.categories[c]} · ${s.label}: ${props.format(v)}`}</title>
        </rect>
      ) : null;
    });
  });
  return <g class="bars">{rects}</g>;
}

function Lines(props: Drawn) {
  const { y, band } = props;
  return (
    <g class="lines">
      {props.series.map((_, i) => (
        <polyline
          class={`line series-${i}`}
          fill="none"
          points={props.categories
            .map(
              (__, c) =>
                `${(PAD.left + band * (c + 0.5)).toFixed(1)},${y(props.values[i]?.[c] ?? 0).toFixed(1)}`,
            )
            .join(' ')}
        />
      ))}
    </g>
  );
}

/** The series' colours and names, under the chart (hidden from screen readers: the table has them). */
export function ChartLegend(props: { series: ChartSeries[] }) {
  return (
    <ul class="chart-legend" aria-hidden="true">
      {props.series.map((s, i) => (
        <li>
          <span class={`swatch series-${i}`} />
          {s.label}
        </li>
      ))}
    </ul>
  );
}
