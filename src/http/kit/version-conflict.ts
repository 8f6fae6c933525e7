import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../types.ts';
import { answer } from './api.ts';

/** A change refused because it named a stale version: it carries the version the thing is at now. */
interface VersionConflict extends Error {
  code: string;
  currentVersion: number;
}

/**
 * The 409 answer of a version-checked change, `{"error":{"code","message","currentVersion"}}`:
 * `codes`, the codes it may carry; `currentVersion`, how the document describes the version now.
 */
export const versionConflictAnswer = (codes: string, currentVersion: z.ZodType, description: string) =>
  answer(
    z.object({ error: z.object({ code: z.string().describe(codes), message: z.string(), currentVersion }) }),
    description,
  );

/**
 * Runs a version-checked change and answers what it answers; refused with a `Conflict` (nothing
 * was changed), it answers 409 with the version now beside the code. Any other error goes on to
 * the one error handler.
 */
export async function orVersionConflict<T>(
  c: Context<AppEnv>,
  Conflict: abstract new (...args: never[]) => VersionConflict,
  change: () => Promise<T>,
) {
  try {
    return await change();
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
    const { code, message, currentVersion } = error;
    return c.json({ error: { code, message, currentVersion } }, 409);
  }
}
