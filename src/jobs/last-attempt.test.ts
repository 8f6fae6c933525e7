import { describe, expect, it } from 'vitest';
import { type Job, markFailedOnLastAttempt, PermanentJobError } from './types.ts';

const run = (attempt: number) => ({ attempt, job: { maxAttempts: 3 } as Job });

describe('markFailedOnLastAttempt', () => {
  it('leaves a run that works alone', async () => {
    const marked: unknown[] = [];
    await markFailedOnLastAttempt(
      run(3),
      async () => {},
      async (e) => void marked.push(e),
    );
    expect(marked).toEqual([]);
  });

  it('lets an earlier attempt fail for a retry, unmarked', async () => {
    const marked: unknown[] = [];
    const broken = markFailedOnLastAttempt(
      run(2),
      () => Promise.reject(new Error('down')),
      async (e) => void marked.push(e),
    );
    await expect(broken).rejects.toThrow('down');
    expect(marked).toEqual([]);
  });

  it('marks the last attempt’s failure with its error, then fails the run with it', async () => {
    const marked: unknown[] = [];
    const error = new Error('down');
    await expect(
      markFailedOnLastAttempt(
        run(3),
        () => Promise.reject(error),
        async (e) => void marked.push(e),
      ),
    ).rejects.toBe(error);
    expect(marked).toEqual([error]);
  });

  it('marks a permanent failure on an earlier attempt too: the job is dead at once', async () => {
    const marked: unknown[] = [];
    const error = new PermanentJobError('refused for good');
    await expect(
      markFailedOnLastAttempt(
        run(1),
        () => Promise.reject(error),
        async (e) => void marked.push(e),
      ),
    ).rejects.toBe(error);
    expect(marked).toEqual([error]);
  });
});
