/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import { ActionButton } from '../ui.tsx';
import { useAttempt } from '../use-form.ts';

/**
 * An action that cannot be undone, asked about first: `ask` shows the question (ConfirmChoice),
 * `back` hides it, `act` runs `action` — done, the question closes and `done` follows; failed,
 * what it threw is `error` (cleared by the next try).
 */
export function useConfirmed(action: () => Promise<unknown>, done: () => void) {
  const [confirming, setConfirming] = useState(false);
  const attempt = useAttempt();
  return {
    confirming,
    error: attempt.error,
    ask: () => setConfirming(true),
    back: () => setConfirming(false),
    act: attempt.submit(async () => {
      await action();
      setConfirming(false);
      done();
    }),
  };
}

/**
 * A question asked before something that cannot be undone (cancel an appointment, delete a
 * document), while `confirm` is asking: a group named by the question, the action as a danger
 * button (busy while it runs, off while offline) and a plain button that backs out.
 */
export function ConfirmChoice(props: {
  confirm: ReturnType<typeof useConfirmed>;
  question: string;
  yes: string;
  no: string;
}) {
  if (!props.confirm.confirming) return null;
  return (
    <fieldset class="confirm">
      <legend>{props.question}</legend>
      <ActionButton kind="danger" onClick={props.confirm.act}>
        {props.yes}
      </ActionButton>
      <button type="button" class="btn plain" onClick={props.confirm.back}>
        {props.no}
      </button>
    </fieldset>
  );
}
