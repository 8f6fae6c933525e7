import { z } from '@hono/zod-openapi';

/**
 * A query parameter that is one of `values` or left out; anything else reads as left out, so a
 * stale filter in a bookmarked URL never fails the request. Documented as a string enum.
 */
export function optionalChoice<const T extends readonly [string, ...string[]]>(
  values: T,
  description?: string,
) {
  return z
    .enum(values)
    .optional()
    .catch(undefined)
    .openapi({ type: 'string', enum: [...values], ...(description === undefined ? {} : { description }) });
}
