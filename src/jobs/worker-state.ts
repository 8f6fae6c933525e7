import type { Job } from './types.ts';

/** A job this worker is running. */
export interface Active {
  job: Job;
  abort: AbortController;
  done: Promise<void>;
  /** Handed back at shutdown (grace over): its outcome is not recorded, release() is. */
  released: boolean;
  /** Its lease could not be renewed (another process has the job now): aborted, outcome dropped. */
  lost: boolean;
}

/**
 * What one worker holds between its parts (the claim loop, the runner, lease renewal, shutdown):
 * the jobs it runs, the claimed ones waiting for a slot, and the successes not yet recorded.
 */
export interface WorkerState {
  /** The id its claims carry (final once started). */
  instanceId: string;
  readonly active: Map<number, Active>;
  /** Claimed and leased, not started yet: started as slots free, handed back uncounted at shutdown. */
  readonly ready: Job[];
  /**
   * Successes not recorded yet: written by the loop's next claim, in its transaction (one commit
   * for both: a finished job frees a slot, so a claim follows); flushed at shutdown.
   */
  completed: number[];
  /** The shutdown's recording of `completed`, while it runs. */
  flushing: Promise<void> | null;
  stopping: boolean;
  /** Moving average of how long a job runs; unknown (no prefetch) until one has run. */
  meanRunMs: number | undefined;
}

/** A worker's state before it starts: nothing in hand. */
export const newWorkerState = (instanceId: string): WorkerState => ({
  instanceId,
  active: new Map(),
  ready: [],
  completed: [],
  flushing: null,
  stopping: false,
  meanRunMs: undefined,
});

/** Adds one run's duration to the moving average that turns the prefetch on and off. */
export const noteRunTime = (state: WorkerState, ms: number): void => {
  state.meanRunMs = state.meanRunMs === undefined ? ms : 0.9 * state.meanRunMs + 0.1 * ms;
};

/**
 * Wakes a sleeping loop early: `signal()` before or during `sleep()` ends it at once (an enqueue
 * here, a slot freed, stop()).
 */
export function createWaker() {
  let wake: (() => void) | null = null;
  let woken = false;
  return {
    signal(): void {
      woken = true;
      wake?.();
    },
    sleep(ms: number): Promise<void> {
      return new Promise<void>((resolve) => {
        if (woken) {
          woken = false;
          resolve();
          return;
        }
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = null;
          woken = false;
          resolve();
        }
        wake = done;
      });
    },
  };
}

export type Waker = ReturnType<typeof createWaker>;
