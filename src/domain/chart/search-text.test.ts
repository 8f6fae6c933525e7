import { describe, expect, it } from 'vitest';
import type { TemplateField } from './chart.schema.ts';
import { answersToCopy } from './copy-forward.ts';
import { searchTerms, searchText } from './search-text.ts';

const fields: TemplateField[] = [
  { id: 'h', type: 'heading', label: 'History' },
  { id: 'story', type: 'long-text', label: 'Story' },
  { id: 'side', type: 'single-choice', label: 'Side', options: [{ value: 'left', label: 'Gauche' }] },
  { id: 'pain', type: 'scale', label: 'Pain' },
  { id: 'sets', type: 'table', label: 'Exercises', columns: [{ id: 'name', label: 'Name' }] },
  { id: 'signed', type: 'signature', label: 'Signature' },
];

describe('what the notes’ full-text index holds and how a query is read', () => {
  it('indexes words only (texts, choices’ labels, table cells, the signer), folded, then the addenda', () => {
    const text = searchText(
      fields,
      {
        story: 'Épaule DROITE',
        side: 'left',
        pain: 7,
        sets: [{ name: 'Étirements' }],
        signed: { name: 'Dr Zoë' },
      },
      ['Radiographie'],
    );
    expect(text.split('\n')).toEqual(['epaule droite', 'gauche', 'etirements', 'dr zoe', 'radiographie']);
  });

  it('reads a query as at most eight distinct folded words, punctuation dropped', () => {
    expect(searchTerms('  Épaule "droite"* OR épaule:  ')).toEqual(['epaule', 'droite', 'or']);
    expect(searchTerms('"*) : -')).toEqual([]);
    expect(searchTerms('a b c d e f g h i j')).toHaveLength(8);
  });
});

describe('copy forward', () => {
  it('fills only empty fields, never a signature, and skips answers the field no longer takes', () => {
    const draft = { story: 'Today', side: null };
    const from = {
      story: 'Before',
      side: 'left',
      pain: 12,
      sets: [{ name: 'Squats' }],
      signed: { name: 'Dr A' },
    };
    expect(answersToCopy(fields, draft, from)).toEqual({ side: 'left', sets: [{ name: 'Squats' }] });
  });
});
