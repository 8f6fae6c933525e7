/** @jsxImportSource preact */
import { ActionButton } from '../ui.tsx';

/**
 * A question asked before something that cannot be undone (cancel an appointment, delete a
 * document): a group named by the question, the action as a danger button (busy while it runs,
 * off while offline) and a plain button that backs out.
 */
export function ConfirmChoice(props: {
  question: string;
  yes: string;
  no: string;
  onYes: () => unknown;
  onNo: () => void;
}) {
  return (
    <fieldset class="confirm">
      <legend>{props.question}</legend>
      <ActionButton kind="danger" onClick={props.onYes}>
        {props.yes}
      </ActionButton>
      <button type="button" class="btn plain" onClick={props.onNo}>
        {props.no}
      </button>
    </fieldset>
  );
}
