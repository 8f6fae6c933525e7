import { is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as schema from '../../db/schema/sqlite.ts';
import { suiteApp } from '../../testing/lifecycle.ts';
import { patientColumnsOfSchema } from '../../testing/patient-columns.ts';
import { describeClinical } from './erase-records.ts';

/**
 * Issue 18 item 6: the erase steps cover the schema. Every column of every table that holds rows
 * about a patient (a table with a patient column, found by walking the schema) is deleted with
 * its rows, cleared, or kept on purpose by some area's step; a new column or table fails here
 * until its area says which.
 */

/** Tables with a patient column whose rows stay as written, and why. */
const tablesThatStay: Record<string, string> = {
  audit_log: 'append-only and hash-chained; its rows hold ids, actions and counts, never contents',
};

describe('the erase steps cover the schema', () => {
  const app = suiteApp();

  it('says for every column of a patient-owned table whether it is deleted, cleared or kept', () => {
    const steps = app().deps.patientErasure.steps();
    const owned = new Set(patientColumnsOfSchema().map((c) => c.split('.')[0]!));
    const covered = new Map<string, string>();
    const cover = (column: string, area: string) => {
      expect(covered.get(column), `${column} covered by two steps`).toBeUndefined();
      covered.set(column, area);
    };
    const columnsOf = new Map<string, string[]>();
    for (const value of Object.values(schema)) {
      if (!is(value, SQLiteTable)) continue;
      const t = getTableConfig(value);
      columnsOf.set(
        t.name,
        t.columns.map((c) => c.name),
      );
    }
    for (const step of steps) {
      for (const table of step.deletes)
        for (const c of columnsOf.get(table) ?? []) cover(`${table}.${c}`, step.area);
      for (const part of [step.wipes, step.keeps])
        for (const [table, columns] of Object.entries(part))
          for (const c of columns) cover(`${table}.${c}`, step.area);
    }
    const uncovered = [...owned]
      .filter((table) => !(table in tablesThatStay))
      .flatMap((table) => (columnsOf.get(table) ?? []).map((c) => `${table}.${c}`))
      .filter((c) => !covered.has(c));
    expect(uncovered, 'columns of patient-owned tables that no erase step deletes, clears or keeps').toEqual(
      [],
    );
    const unknown = [...covered.keys()].filter((c) => {
      const [table, column] = c.split('.') as [string, string];
      return !columnsOf.get(table)?.includes(column);
    });
    expect(unknown, 'columns a step names that the schema has not').toEqual([]);
  });

  it('words the clinical content that refuses an erase', () => {
    expect(describeClinical({ signedNotes: 3, draftNotes: 0, formResponses: 1 })).toBe(
      '3 signed notes and 1 form response',
    );
    expect(describeClinical({ clinicalDocuments: 0 })).toBe('');
  });
});
