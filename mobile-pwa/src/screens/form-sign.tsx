/** @jsxImportSource preact */
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { useApp } from '../context.ts';
import { Segmented } from '../fields.tsx';
import type { FormSignature } from '../forms-api.ts';
import { ActionButton, Alert, useErrorText } from '../ui.tsx';
import { SignaturePad } from './signature-pad.tsx';

/** A required question still unanswered, and the step that asks it. */
export interface Missing {
  fieldId: string;
  label: string;
  step: number;
  section: string;
}

/**
 * The last step: the required questions still unanswered (each a way back to its section), the
 * signature — drawn in the box, or a typed name with "I agree" (for keyboards and screen
 * readers) — and Sign and send, which needs the clinic: offline it is off and the step says
 * that the answers wait on the phone. A refusal naming questions (422) lists them like the
 * missing ones.
 */
export function SignStep(props: {
  /** The template has a signature field: signed as it is sent (else sent as it is). */
  sign: boolean;
  missing: Missing[];
  goTo(step: number): void;
  /** Server-named fields refused at submission, as Missing. */
  refused(issues: { path: string; message: string }[]): Missing[];
  submit(signature: FormSignature | null): Promise<unknown>;
}) {
  const app = useApp();
  const { t } = app.i18n;
  const errorText = useErrorText();
  const [mode, setMode] = useState<'drawn' | 'typed'>('drawn');
  const [image, setImage] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [agreed, setAgreed] = useState(false);
  const [problems, setProblems] = useState<{ image?: string; name?: string; agreed?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [refused, setRefused] = useState<Missing[]>([]);
  const missingList = useRef<HTMLDivElement>(null);
  const missing = props.missing.length ? props.missing : refused;

  const send = async () => {
    setError(null);
    if (props.missing.length) {
      missingList.current?.focus();
      return;
    }
    const found: typeof problems = {};
    if (!props.sign) return attempt(null);
    if (mode === 'drawn' && !image) found.image = t('signDrawFirst');
    if (mode === 'typed' && !name.trim()) found.name = t('signNameMissing');
    if (mode === 'typed' && !agreed) found.agreed = t('signAgreeMissing');
    setProblems(found);
    if (Object.keys(found).length) {
      // The pad's problem is read out (role=alert); a typed one's box takes the focus.
      if (!found.image) document.getElementById(found.name ? 'sign-name' : 'sign-agree')?.focus();
      return;
    }
    return attempt(
      mode === 'drawn'
        ? { kind: 'drawn', image: image! }
        : { kind: 'typed', name: name.trim(), agreed: true },
    );
  };

  const attempt = async (signature: FormSignature | null) => {
    try {
      await props.submit(signature);
    } catch (e) {
      const named = e instanceof ApiError ? props.refused(e.issues) : [];
      setRefused(named);
      if (named.length) setTimeout(() => missingList.current?.focus());
      else setError(e);
    }
  };

  return (
    <div class="sign-step">
      <p>{props.sign ? t('signIntro') : t('sendIntro')}</p>
      {missing.length > 0 && (
        <div class="alert missing" ref={missingList} tabIndex={-1} role="alert">
          <p>{t('signMissing')}</p>
          <ul>
            {missing.map((m) => (
              <li key={m.fieldId}>
                {m.label}{' '}
                <button type="button" class="link" onClick={() => props.goTo(m.step)}>
                  {t('signGoTo', { section: m.section })}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {props.sign && (
        <SignatureChoice
          mode={mode}
          setMode={(m) => {
            setMode(m);
            setProblems({});
          }}
          problems={problems}
          setImage={(png) => {
            setImage(png);
            setProblems({});
          }}
          name={name}
          setName={(v) => {
            setName(v);
            if (v.trim()) setProblems(({ name: _fixed, ...rest }) => rest);
          }}
          agreed={agreed}
          setAgreed={(v) => {
            setAgreed(v);
            if (v) setProblems(({ agreed: _fixed, ...rest }) => rest);
          }}
        />
      )}
      {!app.online && (
        <p class="alert offline-note" id="sign-offline">
          {t('signOffline')}
        </p>
      )}
      <Alert>{error ? errorText(error) : null}</Alert>
      <ActionButton busyLabel={t('signSending')} onClick={send}>
        {props.sign ? t('signSubmit') : t('sendSubmit')}
      </ActionButton>
    </div>
  );
}

/** Draw or type: the pad, or the name and "I agree", with their problems said beside them. */
function SignatureChoice(props: {
  mode: 'drawn' | 'typed';
  setMode(m: 'drawn' | 'typed'): void;
  problems: { image?: string; name?: string; agreed?: string };
  setImage(png: string | null): void;
  name: string;
  setName(name: string): void;
  agreed: boolean;
  setAgreed(agreed: boolean): void;
}) {
  const { t } = useApp().i18n;
  const { mode, problems } = props;
  return (
    <>
      <Segmented
        class="sign-how"
        name="sign-how"
        legend={t('signHow')}
        options={['drawn', 'typed'] as const}
        value={mode}
        label={(m) => (m === 'drawn' ? t('signDraw') : t('signType'))}
        onChange={props.setMode}
      />
      {mode === 'drawn' ? (
        <div class="field">
          <span id="sign-pad-label">{t('signPad')}</span>
          <p class="hint" id="sign-pad-hint">
            {t('signPadHint')}
          </p>
          <SignaturePad
            id="sign-pad"
            hintId={problems.image ? 'sign-pad-hint sign-pad-error' : 'sign-pad-hint'}
            onChange={props.setImage}
          />
          <SignError id="sign-pad-error" text={problems.image} />
        </div>
      ) : (
        <>
          <div class="field">
            <label for="sign-name">{t('signName')}</label>
            <input
              id="sign-name"
              type="text"
              autocomplete="name"
              maxLength={200}
              value={props.name}
              aria-invalid={problems.name ? 'true' : undefined}
              aria-describedby={problems.name ? 'sign-name-error' : undefined}
              onInput={(e) => props.setName((e.currentTarget as HTMLInputElement).value)}
            />
            <SignError id="sign-name-error" text={problems.name} />
          </div>
          <div class="check">
            <input
              id="sign-agree"
              type="checkbox"
              checked={props.agreed}
              aria-invalid={problems.agreed ? 'true' : undefined}
              aria-describedby={problems.agreed ? 'sign-agree-error' : undefined}
              onChange={(e) => props.setAgreed((e.currentTarget as HTMLInputElement).checked)}
            />
            <label for="sign-agree">{t('signAgree')}</label>
          </div>
          <SignError id="sign-agree-error" text={problems.agreed} />
        </>
      )}
    </>
  );
}

/** A signature part's error, read out at once; the part names it with aria-describedby. */
function SignError(props: { id: string; text: string | undefined }) {
  if (!props.text) return null;
  return (
    <p class="error" id={props.id} role="alert">
      {props.text}
    </p>
  );
}
