import { parse } from 'csv-parse/sync';
import { AppError } from '../../lib/errors.ts';
import { typeFromBytes } from '../../lib/sniff-bytes.ts';

/** A CSV file as read: its header (trimmed) and its rows of cells, as typed. */
export interface CsvTable {
  header: string[];
  rows: string[][];
  /** The file line of the first row (lines are counted from 1, the header's is 1). */
  firstLine: number;
}

/** Why a file cannot be read as a CSV table (the CLI exits 2 with it, the page shows it). */
export const notCsv = (why: string) =>
  new AppError('not_csv', { text: `not a CSV file (${why})` }, { status: 422 });

/**
 * Reads a CSV export: UTF-8 (with or without a byte-order mark) or, when the bytes are not
 * UTF-8, Windows-1252 as spreadsheet programs often write; separated by commas, or by semicolons
 * or tabs when the header line is. A file another format's magic bytes name (a PDF, a
 * spreadsheet's own format, an image: `file-type`), one holding NUL bytes, one without a header
 * line or with a single column is refused.
 */
export async function readCsvTable(bytes: Uint8Array): Promise<CsvTable> {
  const type = await typeFromBytes(bytes.subarray(0, 64 * 1024));
  if (type) throw notCsv(`it is a ${type.ext.toUpperCase()} file: export the table as CSV`);
  if (bytes.includes(0)) throw notCsv('it holds binary data: export the table as CSV');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      delimiter: delimiterOf(text),
      relax_column_count: true,
      skip_empty_lines: true,
    });
  } catch (e) {
    throw notCsv((e as Error).message);
  }
  const [header, ...rows] = records;
  if (!header) throw notCsv('the file is empty: a header line is needed');
  if (header.length < 2)
    throw notCsv('its first line has a single column: a header line of column names is needed');
  return { header: header.map((h) => h.trim()), rows, firstLine: 2 };
}

/** The separator the header line uses most (outside quotes): comma, semicolon or tab. */
function delimiterOf(text: string): string {
  const first = (text.split(/\r?\n/, 1)[0] ?? '').replace(/"[^"]*"/g, '');
  const count = (c: string) => first.split(c).length - 1;
  return [',', ';', '\t'].reduce((best, c) => (count(c) > count(best) ? c : best), ',');
}

/** One CSV line, each cell quoted when it needs to be. */
export function toCsvLine(cells: readonly string[]): string {
  return cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');
}

/** A row refused, as the rejected-rows file lists it. */
export interface RejectedRow {
  line: number;
  cells: string[];
  reason: string;
}

/** The rejected-rows file: the file's own columns, then `line` and `reason`. */
export function rejectedCsv(header: readonly string[], rejected: readonly RejectedRow[]): string {
  const lines = [
    toCsvLine([...header, 'line', 'reason']),
    ...rejected.map((r) => toCsvLine([...r.cells, String(r.line), r.reason])),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
