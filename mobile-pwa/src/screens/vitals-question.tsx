/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { bmiOf, parseNumber, type VitalsKey, vitalsPartsOf } from '../form-sections.ts';
import type { MessageKey } from '../i18n.ts';
import {
  DecimalInput,
  numberProblem,
  QuestionFieldset,
  type QuestionProps,
  useDescription,
  useNumberText,
} from './question-kit.tsx';

const vitalsWords: Record<VitalsKey, MessageKey> = {
  systolic: 'vitalsSystolic',
  diastolic: 'vitalsDiastolic',
  pulse: 'vitalsPulse',
  weightKg: 'vitalsWeight',
  heightCm: 'vitalsHeight',
};

/** Blood pressure, pulse, weight and height; the BMI shown as the clinic will compute it. */
export function VitalsQuestion(props: QuestionProps) {
  const { field } = props;
  const { t } = useApp().i18n;
  const value = (props.value && typeof props.value === 'object' ? props.value : {}) as Record<string, number>;
  const [problems, setProblems] = useState<Partial<Record<VitalsKey, string>>>({});
  const order =
    typeof value.systolic === 'number' &&
    typeof value.diastolic === 'number' &&
    value.systolic <= value.diastolic
      ? t('vitalsOrder')
      : null;
  const firstProblem = Object.values(problems).find(Boolean) ?? order;
  const d = useDescription(field, props.error, firstProblem);
  useEffect(() => props.onInvalid(firstProblem ?? null), [firstProblem]);
  const bmi = bmiOf(value);
  const set = (key: VitalsKey, n: number | undefined) => {
    const { bmi: _computed, ...rest } = value;
    const next: Record<string, number> = { ...rest };
    if (n === undefined) delete next[key];
    else next[key] = n;
    props.onChange(Object.keys(next).length ? next : null);
  };
  return (
    <QuestionFieldset field={field} kind="vitals" d={d}>
      <div class="vitals-grid">
        {vitalsPartsOf(field).map((part, i) => (
          <VitalsPart
            key={part.key}
            id={i === 0 ? d.id : `${d.id}-${part.key}`}
            label={t(vitalsWords[part.key])}
            value={value[part.key]}
            problem={problems[part.key]}
            onText={(text) => {
              const p = numberProblem(text, part);
              setProblems((all) => ({ ...all, [part.key]: p ? t(p[0], { n: p[1] ?? '' }) : undefined }));
              const n = parseNumber(text);
              if (!p) set(part.key, n ?? undefined);
            }}
          />
        ))}
      </div>
      {bmi !== null && (
        <p class="bmi">
          {t('vitalsBmi')}: <output>{bmi}</output>
        </p>
      )}
    </QuestionFieldset>
  );
}

function VitalsPart(props: {
  id: string;
  label: string;
  value: unknown;
  problem: string | undefined;
  onText(text: string): void;
}) {
  const [text, setText] = useNumberText(props.value);
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <DecimalInput
        id={props.id}
        text={text}
        invalid={Boolean(props.problem)}
        onText={(next) => {
          setText(next);
          props.onText(next);
        }}
      />
    </div>
  );
}

/** Rows of the table's columns, added and removed by the patient (one empty row to start). */
