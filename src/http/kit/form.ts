import type { Context } from 'hono';

/** A posted form's fields as the staff pages read them. */
export interface FormFields {
  /** The field's text ('' when absent or a file); the last one when sent more than once. */
  text(name: string): string;
  /** The field's text, or undefined when it was not sent. */
  optional(name: string): string | undefined;
  /** Whether a checkbox was ticked (browsers send `on`). */
  checked(name: string): boolean;
  /** Every text value of a field sent more than once (a multi-select, a group of checkboxes). */
  list(name: string): string[];
  /** Every text field (the non-empty ones with `nonEmpty`), by name. */
  fields(options?: { nonEmpty?: boolean }): Record<string, string>;
}

/**
 * Reads the posted form (url-encoded or multipart). The body is read once per request: the CSRF
 * check has usually parsed it already, and this reads the same parse.
 */
export async function readForm(c: Context): Promise<FormFields> {
  const body = await c.req.parseBody({ all: true });
  const values = (name: string): string[] => {
    const value = body[name];
    return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
      (v): v is string => typeof v === 'string',
    );
  };
  const optional = (name: string) => values(name).at(-1);
  return {
    text: (name) => optional(name) ?? '',
    optional,
    checked: (name) => optional(name) === 'on',
    list: values,
    fields: ({ nonEmpty = false } = {}) =>
      Object.fromEntries(
        Object.keys(body).flatMap((name) => {
          const value = optional(name);
          return value === undefined || (nonEmpty && value === '') ? [] : [[name, value]];
        }),
      ),
  };
}
