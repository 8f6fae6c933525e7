import { describe, expect, it } from 'vitest';
import { silentLogger } from '../lib/log.ts';
import { testJob } from '../testing/jobs.ts';
import { defineJob, type JobContext } from './types.ts';
import { areaJobs, upkeepJob, upkeepJobType } from './upkeep.ts';

const ctx = { attempt: 1, log: silentLogger } as JobContext;

describe('upkeep jobs', () => {
  const PRUNE = upkeepJobType('test.prune', '17 3 * * *');

  it('take no payload: a tick’s {} (and anything an older tick left) passes, nothing else does', () => {
    expect(PRUNE.payload.safeParse({}).success).toBe(true);
    expect(PRUNE.payload.safeParse({ left: 1 }).success).toBe(true);
    expect(PRUNE.payload.safeParse('x').success).toBe(false);
  });

  it('give a handler that runs the job, and a schedule under the job’s name at its cron (UTC)', async () => {
    const runs: JobContext[] = [];
    const { definitions, schedules } = upkeepJob(PRUNE, async (c) => {
      runs.push(c);
      return 42;
    });
    expect(definitions).toHaveLength(1);
    const [definition] = definitions;
    expect(Object.keys(definition!).sort()).toEqual(['handle', 'name', 'payload']);
    expect(definition!.name).toBe('test.prune');
    expect(await definition!.handle({}, ctx)).toBeUndefined();
    expect(runs).toEqual([ctx]);
    expect(schedules).toEqual([{ id: 'test.prune', cron: '17 3 * * *', job: PRUNE }]);
  });

  it('keep the retry policy they are given', () => {
    const [definition] = upkeepJob(PRUNE, async () => {}, { maxAttempts: 3, timeoutMs: 1_000 }).definitions;
    expect(definition).toMatchObject({ maxAttempts: 3, timeoutMs: 1_000 });
  });

  it('join an area’s other jobs in order', () => {
    const send = defineJob(testJob('test.send'), { handle: async () => {} });
    const other = upkeepJobType('test.sweep', '23 * * * *');
    const jobs = areaJobs(
      send,
      upkeepJob(PRUNE, async () => {}),
      upkeepJob(other, async () => {}),
    );
    expect(jobs.definitions.map((d) => d.name)).toEqual(['test.send', 'test.prune', 'test.sweep']);
    expect(jobs.schedules.map((s) => [s.id, s.cron])).toEqual([
      ['test.prune', '17 3 * * *'],
      ['test.sweep', '23 * * * *'],
    ]);
  });
});
