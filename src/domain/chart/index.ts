import { createCache } from '../../lib/cache.ts';
import { type BuildDeps, defineArea } from '../area.ts';
import type { AppointmentsService } from '../scheduling/index.ts';
import type { ChartDeps } from './chart.deps.ts';
import { notesService, templatesService } from './chart.service.ts';
import { chartEraseStep } from './patient-erase.repo.ts';
import { chartMergeStep } from './patient-merge.repo.ts';
import { ensureStarters } from './templates.ts';

export { type Answers, isAnswered, mergeAnswers, missingRequired } from './answers.ts';
export {
  answerText,
  type PdfHeader,
  type PdfSection,
  type PdfSignature,
  renderAnswersPdf,
} from './answers-pdf.ts';
export type { AddendumRow, NoteRow } from './chart.repo.ts';
export {
  type FieldType,
  fieldTypes,
  type NoteStatus,
  noteStatuses,
  type TemplateField,
  type TemplateKind,
  templateField,
  templateKinds,
  type VitalsPartName,
  vitalsPartNames,
} from './chart.schema.ts';
export { type NotesService, notesService, type TemplatesService, templatesService } from './chart.service.ts';
export { choiceField, choices, tableField } from './field-kit.ts';
export { NoteVersionConflict } from './note-errors.ts';
export { canonicalJson } from './note-hash.ts';
export { type AddendumView, addendumView, type NoteView, noteView } from './note-view.ts';
export { noteSection, type PdfWords } from './notes-pdf.ts';
export type { NoteRead } from './read-note.ts';
export { starters } from './starters.ts';
export { readTemplate, type TemplateView, templateOfKind, writtenIn } from './templates.ts';

/**
 * The chart's clinical records: templates (a versioned list of fields, for notes and patients'
 * forms; the shipped starters made at first start) and treatment notes (autosaved drafts with a
 * version check, signed and hashed, corrected by signed addenda). Reception learns only how many
 * notes a chart has. Note contents never reach logs, jobs or audit details.
 */
export const chartArea = defineArea({
  name: 'chart',
  build(
    deps: BuildDeps<{
      appointments: Pick<AppointmentsService, 'forNotification' | 'hasSeen'>;
    }>,
  ) {
    const { db, clock } = deps;
    let starting: Promise<void> | undefined;
    // Made once per process: at start, or at the first use (tests build apps without starting them).
    const ready = () => {
      starting ??= ensureStarters({ db, clock }).then(
        () => undefined,
        (error: unknown) => {
          starting = undefined;
          throw error;
        },
      );
      return starting;
    };
    const chartDeps: ChartDeps = {
      db,
      clock,
      audit: deps.audit,
      clinic: deps.clinic,
      appointments: deps.appointments,
      versionFields: createCache('template-version-fields', { max: 1000, ttlMs: 3_600_000 }),
      ready,
    };
    return {
      services: { notes: notesService(chartDeps), templates: templatesService(chartDeps) },
      start: ready,
      patientMerge: [chartMergeStep],
      patientErase: [chartEraseStep],
    };
  },
});
