import type { Db, DbCtx } from '../../db/client.ts';
import type { Clock } from '../../lib/clock.ts';
import { AppError, conflict, notFound, validated } from '../../lib/errors.ts';
import type { Actor, AuditService } from '../audit/index.ts';
import { definePatientMergeStep, type MergeCounts, type PatientMergeStep } from '../patient-merge.ts';
import { recordChange } from '../record-change.ts';
import { recordPatientRead } from './find-patients.ts';
import {
  countPatientRows,
  linkedAsFamily,
  listSessionIds,
  markMerged,
  movePatientRows,
  patientColumns,
} from './merge.repo.ts';
import { mergeInput } from './merge.schema.ts';
import { findPatientById, lockPatient, type Patient } from './patients.repo.ts';
import type { PatientSignIn } from './sign-in.ts';

/**
 * Merging two records of one person (issue 17): record `from` (usually a self-registration that
 * was flagged as a possible duplicate) merges into record `to` (the one on file). Everything that
 * points at `from` moves — each area moves its own rows, through the step it gives
 * (`patientMerge` in its index.ts; this area's own is `patientsMergeStep`) — then `from` is
 * archived and marked `merged_into` `to`: it cannot be booked or signed into, and nothing points
 * at it any more but its own audit rows (which stay, as `to`'s do). All of it in one
 * transaction, with one audit row naming both records and the counts moved.
 *
 * Refused (nothing changes): the same record twice (422 merge_same_record), a record already
 * merged on either side (409 already_merged), an archived `to` (409 merge_target_archived —
 * unarchive it first), two records linked as guardian and dependant (409 merge_family_link: one
 * would become their own guardian).
 */

export interface MergeDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  signIn: Pick<PatientSignIn, 'attach'>;
}

/** What a merge moved (or would move): the counts per kind, and both records. */
export interface MergeResult {
  to: Patient;
  from: Patient;
  counts: MergeCounts;
}

/** The patients area's own step: its tables, sessions moved with the session cache. */
export function patientsMergeStep(deps: Pick<MergeDeps, 'signIn'>): PatientMergeStep {
  return definePatientMergeStep({
    area: 'patients',
    columns: patientColumns,
    async check(ctx, fromId, toId) {
      if (await linkedAsFamily(ctx, fromId, toId))
        throw conflict(
          'These records are linked as guardian and dependant: merged, one would be their own guardian. End the link first.',
          'merge_family_link',
        );
    },
    count: (ctx, fromId) => countPatientRows(ctx, fromId),
    async move(ctx, fromId, toId) {
      const sessions = await listSessionIds(ctx, fromId);
      for (const id of sessions) await deps.signIn.attach(ctx, id, toId);
      const moved = await movePatientRows(ctx, fromId, toId);
      return { ...moved, sessions: sessions.length };
    },
  });
}

export function patientMerge(deps: MergeDeps) {
  const steps: PatientMergeStep[] = [];

  /** Both records, checked: refusals before anything is read further or moved. */
  async function checked(ctx: DbCtx, toId: string, fromId: string): Promise<{ to: Patient; from: Patient }> {
    if (toId === fromId)
      throw new AppError('merge_same_record', 'A record cannot be merged into itself.', { status: 422 });
    const [to, from] = [await findPatientById(ctx, toId), await findPatientById(ctx, fromId)];
    if (!to || !from) throw notFound('that_patient');
    if (from.mergedInto || to.mergedInto)
      throw conflict('One of these records was already merged into another.', 'already_merged');
    if (to.status === 'archived')
      throw conflict(
        'The record to keep is archived: unarchive it first, or merge the other way.',
        'merge_target_archived',
      );
    for (const step of steps) await step.check?.(ctx, fromId, toId);
    return { to, from };
  }

  async function countAll(ctx: DbCtx, fromId: string, toId: string, how: 'count' | 'move') {
    const counts: MergeCounts = {};
    for (const step of steps) Object.assign(counts, await step[how](ctx, fromId, toId));
    return counts;
  }

  return {
    /** Another area's step (added once, when the areas are built). */
    add(step: PatientMergeStep): void {
      steps.push(step);
    },

    /** The steps, in the order they run (the coverage test reads their columns). */
    steps: (): readonly PatientMergeStep[] => [...steps],

    /**
     * What merging `input.fromPatientId` into `toId` would move now (the confirmation screen):
     * refused as the merge would be; audited as a read of both records.
     */
    async preview(actor: Actor, toId: string, input: unknown): Promise<MergeResult> {
      const { fromPatientId: fromId } = validated(mergeInput, input);
      const ctx = deps.db.reader;
      const records = await checked(ctx, toId, fromId);
      const result = { ...records, counts: await countAll(ctx, fromId, toId, 'count') };
      await recordPatientRead(deps.audit, actor, 'patient.merge-preview', toId, { fromPatientId: fromId });
      return result;
    },

    /** Merges `input.fromPatientId` into `toId`, in one transaction; answers what moved. */
    async merge(actor: Actor, toId: string, input: unknown): Promise<MergeResult> {
      const { fromPatientId: fromId } = validated(mergeInput, input);
      return deps.db.tx(async (ctx) => {
        // Always in the same order, so two merges of the same pair cannot deadlock.
        for (const id of [toId, fromId].sort()) await lockPatient(ctx, id);
        const { to } = await checked(ctx, toId, fromId);
        const counts = await countAll(ctx, fromId, toId, 'move');
        const from = await markMerged(ctx, fromId, toId, deps.clock.now());
        if (!from) throw notFound('that_patient');
        await recordChange(
          deps.audit,
          ctx,
          actor,
          'patient.merge',
          { id: toId, patientId: toId },
          {
            fromPatientId: fromId,
            toPatientId: toId,
            ...counts,
          },
        );
        return { to, from, counts };
      });
    },
  };
}

export type PatientMerge = ReturnType<typeof patientMerge>;
