import { useState } from 'preact/hooks';
import { fieldErrors, useErrorText } from './ui.tsx';

/**
 * The last failure of an action: `submit(action)` clears it, runs the action and keeps what it
 * threw. `issues` are the failure's field errors (a 422 answer); `message` is the failure in
 * words when it named no field (then the fields show it).
 */
export function useAttempt() {
  const errorText = useErrorText();
  const [error, setError] = useState<unknown>(null);
  const issues = fieldErrors(error);
  return {
    error,
    setError,
    issues,
    message: error && Object.keys(issues).length === 0 ? errorText(error) : null,
    submit: (action: () => Promise<unknown>) => async () => {
      setError(null);
      try {
        await action();
      } catch (e) {
        setError(e);
      }
    },
  };
}

/**
 * A form's values, and its action's last failure (`useAttempt`). `field(key)` binds an input
 * (named after its key: its value, its error, `onInput`); `set(key)` changes one value (a
 * select's `onChange`).
 */
export function useForm<V extends Record<string, string>>(initial: V) {
  const attempt = useAttempt();
  const [values, setValues] = useState(initial);
  const set = (key: keyof V) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  return {
    ...attempt,
    values,
    setValues,
    set,
    field: (key: keyof V & string) => ({
      name: key,
      value: values[key],
      error: attempt.issues[key],
      onInput: (e: Event) => set(key)((e.currentTarget as HTMLInputElement).value),
    }),
  };
}
