import type { PDFDocument } from 'pdf-lib';
import { MARGIN, MUTED, startPdf, type Writer } from '../../lib/pdf-writer.ts';
import type { Answers } from './answers.ts';
import type { TemplateField } from './chart.schema.ts';

/**
 * PDFs of answers to template versions — a patient's submitted form, a treatment note, a whole
 * chart's notes: the clinic's header, then each section (a form or note: its title, the lines
 * under it, each field's label and answer in the template's order, the signature, the addenda).
 * Drawn with the embedded DejaVu Sans (lib/pdf-writer.ts): what the font lacks (CJK) prints as
 * `?`, so a name in another script never makes the PDF fail.
 */
export interface PdfHeader {
  clinicName: string;
  /** Lines under the clinic's name: its address, the patient, when it was submitted. */
  lines?: string[];
}

export interface PdfSignature {
  kind: 'drawn' | 'typed';
  name: string | null;
  /** A drawn signature as a PNG data URL. */
  image?: string | null;
  /** When it was signed, as the reader should see it (the clinic's time). */
  signedAt: string;
  /** The address the signature came from. */
  ip?: string | null;
}

/** One form or note in a PDF. */
export interface PdfSection {
  /** "Medical history (version 2)", "SOAP note (version 1)". */
  title: string;
  /** Muted lines under the title: who signed it and when, its hash. */
  lines?: string[];
  fields: readonly TemplateField[];
  answers: Answers;
  signature?: PdfSignature | null;
  /** What follows the answers (a note's addenda), each under its own heading. */
  after?: { heading: string; text: string }[];
}

/** Renders the PDF (`title` is the document's); answers the file's bytes. */
export async function renderAnswersPdf(
  header: PdfHeader,
  sections: readonly PdfSection[],
  title = sections[0]?.title ?? header.clinicName,
): Promise<Uint8Array> {
  const w = await startPdf(title);
  const { pdf, fonts } = w;
  w.text(header.clinicName, { font: fonts.bold, size: 16 });
  for (const line of header.lines ?? []) if (line.trim()) w.text(line, { size: 9, color: MUTED });
  for (const section of sections) {
    w.gap(14);
    await writeSection(pdf, w, section);
  }
  return pdf.save({ useObjectStreams: false });
}

async function writeSection(pdf: PDFDocument, w: Writer, section: PdfSection): Promise<void> {
  w.text(section.title, { font: w.fonts.bold, size: 13 });
  for (const line of section.lines ?? []) w.text(line, { size: 9, color: MUTED });
  w.gap(8);
  for (const field of section.fields) {
    if (field.type === 'heading') {
      w.gap(6);
      w.text(field.label, { font: w.fonts.bold, size: 12 });
      continue;
    }
    if (field.type === 'signature' && section.signature) continue; // drawn below, with its time
    w.text(field.label, { font: w.fonts.bold, size: 10 });
    w.text(answerText(field, section.answers[field.id]), { size: 10, indent: 12 });
    w.gap(4);
  }
  if (section.signature) await drawSignature(pdf, w, section.signature);
  for (const part of section.after ?? []) {
    w.gap(6);
    w.text(part.heading, { font: w.fonts.bold, size: 10 });
    w.text(part.text, { size: 10, indent: 12 });
  }
}

async function drawSignature(pdf: PDFDocument, w: Writer, signature: PdfSignature): Promise<void> {
  w.gap(10);
  w.text('Signature', { font: w.fonts.bold, size: 12 });
  if (signature.kind === 'drawn' && signature.image) {
    const png = await pdf.embedPng(
      Buffer.from(signature.image.replace(/^data:image\/png;base64,/, ''), 'base64'),
    );
    const scale = Math.min(1, 220 / png.width, 90 / png.height);
    const size = { width: png.width * scale, height: png.height * scale };
    const page = w.room(size.height + 6);
    page.drawImage(png, { x: MARGIN + 12, y: w.y - size.height, ...size });
    w.y -= size.height + 6;
  }
  const how = signature.kind === 'drawn' ? 'drawn on screen' : 'typed, with the agreement ticked';
  w.text(`${signature.name ?? ''} (${how})`, { size: 10, indent: 12 });
  w.text(`Signed ${signature.signedAt}${signature.ip ? ` from ${signature.ip}` : ''}`, {
    size: 9,
    indent: 12,
    color: MUTED,
  });
}

/** One answer as text (the template's words for choices; "—" when unanswered). */
export function answerText(field: TemplateField, value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  switch (field.type) {
    case 'number':
      return `${value}${field.unit ? ` ${field.unit}` : ''}`;
    case 'single-choice':
      return field.options.find((o) => o.value === value)?.label ?? String(value);
    case 'multiple-choice':
      return (
        (value as string[]).map((v) => field.options.find((o) => o.value === v)?.label ?? v).join(', ') || '—'
      );
    case 'yes-no':
      return value ? 'Yes' : 'No';
    case 'scale':
      return `${value} / 10`;
    case 'vitals':
      return vitalsText(value as Record<string, number>);
    case 'table':
      return (
        (value as Record<string, string>[])
          .map((row) => field.columns.map((c) => `${c.label}: ${row[c.id] ?? ''}`).join('; '))
          .join(' | ') || '—'
      );
    case 'signature':
      return (value as { name?: string }).name ?? '—';
    default:
      return String(value);
  }
}

function vitalsText(v: Record<string, number>): string {
  const parts: string[] = [];
  if (v.systolic !== undefined || v.diastolic !== undefined)
    parts.push(`Blood pressure ${v.systolic ?? '?'}/${v.diastolic ?? '?'} mmHg`);
  if (v.pulse !== undefined) parts.push(`pulse ${v.pulse}/min`);
  if (v.weightKg !== undefined) parts.push(`weight ${v.weightKg} kg`);
  if (v.heightCm !== undefined) parts.push(`height ${v.heightCm} cm`);
  if (v.bmi !== undefined) parts.push(`BMI ${v.bmi}`);
  return parts.join(', ') || '—';
}
