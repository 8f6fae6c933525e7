/**
 * The options of a single- or multiple-choice template field, `{ value: label }` in order, as the
 * template keeps them (`[{ value, label }]`): for tests that make a template or read one back.
 */
export const choices = (labels: Record<string, string>): { value: string; label: string }[] =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));
