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

  // The failures that end the job: the last attempt's, and a permanent one on any attempt.
  it.each([
    { ending: 'the last attempt’s failure', attempt: 3, error: new Error('down') },
    {
      ending: 'a permanent failure on an earlier attempt',
      attempt: 1,
      error: new PermanentJobError('refused'),
    },
  ])('marks $ending with its error, then fails the run with it', async ({ attempt, error }) => {
    const marked: unknown[] = [];
    await expect(
      markFailedOnLastAttempt(
        run(attempt),
        () => Promise.reject(error),
        async (e) => void marked.push(e),
      ),
    ).rejects.toBe(error);
    expect(marked).toEqual([error]);
  });
});
