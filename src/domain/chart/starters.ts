import type { TemplateField, TemplateKind } from './chart.schema.ts';
import { choiceField, choices, tableField } from './field-kit.ts';

/**
 * The templates shipped with Clinicbox, made once at first start (templates.ts `ensureStarters`;
 * `starter_key` keeps it idempotent, also with several instances starting at once). A clinic edits
 * them like any other: an edit is a new version, and the starter is never written again.
 */
export interface Starter {
  key: string;
  kind: TemplateKind;
  name: string;
  fields: TemplateField[];
}

const painScale: TemplateField = {
  id: 'pain',
  type: 'scale',
  label: 'Pain (0–10)',
  minLabel: 'No pain',
  maxLabel: 'Worst imaginable',
};
const plan: TemplateField = { id: 'plan', type: 'long-text', label: 'Plan', required: true };
const vitals: TemplateField = { id: 'vitals', type: 'vitals', label: 'Vitals' };

export const starters: Starter[] = [
  {
    key: 'soap',
    kind: 'note',
    name: 'SOAP note',
    fields: [
      {
        id: 'subjective',
        type: 'long-text',
        label: 'Subjective',
        help: 'What the patient reports.',
        required: true,
      },
      { id: 'objective', type: 'long-text', label: 'Objective', help: 'Examination and measurements.' },
      vitals,
      { id: 'assessment', type: 'long-text', label: 'Assessment', required: true },
      plan,
    ],
  },
  {
    key: 'physio-initial',
    kind: 'note',
    name: 'Initial physiotherapy assessment',
    fields: [
      { id: 'h-history', type: 'heading', label: 'History' },
      { id: 'complaint', type: 'long-text', label: 'Presenting complaint', required: true },
      { id: 'onset', type: 'date', label: 'Onset' },
      choiceField(
        'single-choice',
        'mechanism',
        'Mechanism',
        choices('Traumatic', 'Gradual', 'Post-operative', 'Unknown'),
      ),
      painScale,
      choiceField(
        'multiple-choice',
        'aggravating',
        'Aggravated by',
        choices('Sitting', 'Standing', 'Walking', 'Lifting', 'Bending', 'Night'),
      ),
      { id: 'red-flags', type: 'yes-no', label: 'Red flags present', required: true },
      { id: 'h-exam', type: 'heading', label: 'Examination' },
      tableField('rom', 'Range of movement', { movement: 'Movement', left: 'Left', right: 'Right' }),
      { id: 'tests', type: 'long-text', label: 'Special tests' },
      { id: 'h-plan', type: 'heading', label: 'Assessment and plan' },
      { id: 'diagnosis', type: 'short-text', label: 'Working diagnosis', required: true },
      { id: 'goals', type: 'long-text', label: 'Goals' },
      plan,
    ],
  },
  {
    key: 'follow-up',
    kind: 'note',
    name: 'Follow-up',
    fields: [
      { id: 'progress', type: 'long-text', label: 'Progress since last visit', required: true },
      painScale,
      { id: 'treatment', type: 'long-text', label: 'Treatment given' },
      plan,
    ],
  },
  {
    key: 'psychology-session',
    kind: 'note',
    name: 'Psychology session note',
    fields: [
      choiceField(
        'single-choice',
        'session-type',
        'Session',
        choices('Individual', 'Couple', 'Family', 'Group'),
        {
          required: true,
        },
      ),
      { id: 'presentation', type: 'long-text', label: 'Presentation and mood' },
      { id: 'content', type: 'long-text', label: 'Session content', required: true },
      { id: 'risk', type: 'yes-no', label: 'Risk identified', required: true },
      { id: 'risk-plan', type: 'long-text', label: 'Risk management', help: 'When a risk was identified.' },
      { id: 'homework', type: 'long-text', label: 'Between sessions' },
      plan,
    ],
  },
  {
    key: 'gp-consultation',
    kind: 'note',
    name: 'GP consultation',
    fields: [
      { id: 'reason', type: 'short-text', label: 'Reason for consultation', required: true },
      { id: 'history', type: 'long-text', label: 'History' },
      vitals,
      { id: 'examination', type: 'long-text', label: 'Examination' },
      { id: 'diagnosis', type: 'short-text', label: 'Diagnosis', required: true },
      tableField('prescriptions', 'Prescriptions', { drug: 'Medicine', dose: 'Dose', duration: 'Duration' }),
      { id: 'follow-up', type: 'date', label: 'Review on' },
      plan,
    ],
  },
  {
    key: 'medical-history',
    kind: 'form',
    name: 'Medical history',
    fields: [
      { id: 'h-general', type: 'heading', label: 'Your health' },
      choiceField(
        'multiple-choice',
        'conditions',
        'Do you have, or have you had',
        choices(
          'Heart disease',
          'High blood pressure',
          'Diabetes',
          'Asthma',
          'Epilepsy',
          'Cancer',
          'Osteoporosis',
        ),
      ),
      { id: 'conditions-other', type: 'long-text', label: 'Other conditions' },
      { id: 'medications', type: 'long-text', label: 'Medicines you take' },
      { id: 'allergies', type: 'long-text', label: 'Allergies' },
      { id: 'surgery', type: 'long-text', label: 'Operations' },
      { id: 'pregnant', type: 'yes-no', label: 'Are you or could you be pregnant?' },
      { id: 'height-weight', type: 'vitals', label: 'Height and weight', parts: ['weight', 'height'] },
      choiceField('single-choice', 'smoking', 'Smoking', choices('Never', 'Former', 'Current')),
      { id: 'signature', type: 'signature', label: 'Signature', required: true },
    ],
  },
  {
    key: 'treatment-consent',
    kind: 'form',
    name: 'Treatment consent',
    fields: [
      {
        id: 'h-consent',
        type: 'heading',
        label: 'Consent to assessment and treatment',
        help: 'Your practitioner will explain the treatment, its benefits and risks, and the alternatives. You may withdraw consent at any time.',
      },
      { id: 'understood', type: 'yes-no', label: 'I have understood the explanation', required: true },
      { id: 'consent', type: 'yes-no', label: 'I consent to assessment and treatment', required: true },
      { id: 'date', type: 'date', label: 'Date', required: true },
      { id: 'signature', type: 'signature', label: 'Signature', required: true },
    ],
  },
  {
    key: 'privacy-consent',
    kind: 'form',
    name: 'Privacy consent',
    fields: [
      {
        id: 'h-privacy',
        type: 'heading',
        label: 'How we keep your information',
        help: 'We keep your health records securely, share them only with your consent or where the law requires, and you may ask for a copy at any time.',
      },
      {
        id: 'records',
        type: 'yes-no',
        label: 'I agree that the clinic keeps my health records',
        required: true,
      },
      { id: 'gp-letters', type: 'yes-no', label: 'The clinic may write to my GP' },
      { id: 'reminders', type: 'yes-no', label: 'The clinic may send me reminders by email or SMS' },
      { id: 'signature', type: 'signature', label: 'Signature', required: true },
    ],
  },
];
