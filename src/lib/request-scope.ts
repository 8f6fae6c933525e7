import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * The id of the HTTP request being handled, for whatever it causes further down without being
 * handed it: a job enqueued while handling it carries the id, so the job's log lines can be
 * matched with the request's (`requestId` in both).
 */
const scope = new AsyncLocalStorage<string>();

/** Runs `fn` as part of request `id`. */
export const inRequest = <T>(id: string, fn: () => T): T => scope.run(id, fn);

/** The id of the request being handled, if any. */
export const currentRequestId = (): string | undefined => scope.getStore();
