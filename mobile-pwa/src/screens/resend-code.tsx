/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api.ts';
import { useApp } from '../context.ts';
import { ActionButton, Alert, useErrorText } from '../ui.tsx';

/**
 * The server sends an address at most 5 sign-in codes an hour and, so as not to tell whether an
 * address is known, answers alike when it sends none (src/domain/patients/sign-in-codes.ts;
 * the app imports no values from src/). The app keeps the same count for the addresses it asked
 * for in this tab, and waits a minute between codes (an email may take that long), so the button
 * says when it will work instead of sending nothing.
 */
const SENDS_PER_HOUR = 5;
const HOUR = 3_600_000;
const WAIT_BETWEEN_MS = 60_000;
const STORE = 'cb.codeSends';

/** A short stand-in for the address (FNV-1a), so the address itself is not written to storage. */
function keyOf(address: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < address.length; i++) h = Math.imul(h ^ address.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** When codes were asked for each address in this tab (sessionStorage: gone when the tab closes). */
function sendsTo(address: string): number[] {
  try {
    const all = JSON.parse(sessionStorage.getItem(STORE) ?? '{}') as Record<string, number[]>;
    return (all[keyOf(address)] ?? []).filter((at) => at > Date.now() - HOUR);
  } catch {
    return [];
  }
}

function recordSend(address: string, at: number): void {
  try {
    const all = JSON.parse(sessionStorage.getItem(STORE) ?? '{}') as Record<string, number[]>;
    all[keyOf(address)] = [...sendsTo(address), at];
    sessionStorage.setItem(STORE, JSON.stringify(all));
  } catch {
    // No storage (private mode): the limits still hold on the server.
  }
}

/** The first moment a new code may be asked for: a minute after the last, an hour after the 5th last. */
function nextAllowed(sends: number[], blockedUntil: number): number {
  const last = sends.at(-1) ?? 0;
  const full = sends.length >= SENDS_PER_HOUR ? sends[sends.length - SENDS_PER_HOUR]! + HOUR : 0;
  return Math.max(last + WAIT_BETWEEN_MS, full, blockedUntil);
}

const isRetryLater = (e: unknown) => e instanceof ApiError && e.retryAfterMs !== null;

/**
 * "Resend code" under the code field. It opens right after a code was sent, which it counts;
 * while a new code may not be asked for, the button is off and says from when it will be.
 */
export function ResendCode(props: { channel: 'email' | 'phone'; to: string }) {
  const { t, clock } = useApp().i18n;
  const errorText = useErrorText();
  const address = `${props.channel}:${props.to}`;
  const [sends, setSends] = useState<number[]>(() => {
    recordSend(address, Date.now());
    return sendsTo(address);
  });
  const [blockedUntil, setBlockedUntil] = useState(0);
  const [state, setState] = useState<{ sent: boolean; error: unknown }>({ sent: false, error: null });
  const [, setTick] = useState(0);
  const allowedAt = nextAllowed(sends, blockedUntil);
  const waiting = allowedAt > Date.now();
  // Turn the button back on when the wait is over.
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => setTick((n) => n + 1), allowedAt - Date.now() + 50);
    return () => clearTimeout(timer);
  }, [allowedAt, waiting]);

  const resend = async () => {
    setState({ sent: false, error: null });
    try {
      await api.post(
        '/api/v1/auth/start',
        props.channel === 'email' ? { email: props.to } : { phone: props.to },
      );
      recordSend(address, Date.now());
      setSends(sendsTo(address));
      setState({ sent: true, error: null });
    } catch (error) {
      if (error instanceof ApiError && error.retryAfterMs) setBlockedUntil(Date.now() + error.retryAfterMs);
      setState({ sent: false, error });
    }
  };
  // Shown to the minute, rounded up: a tap at the time shown works.
  const shownAt = Math.ceil(allowedAt / 60_000) * 60_000;
  return (
    <div class="resend">
      <ActionButton
        kind="plain"
        onClick={resend}
        disabled={waiting}
        {...(waiting ? { 'aria-describedby': 'resend-wait' } : {})}
      >
        {t('resendCode')}
      </ActionButton>
      {waiting && (
        <p class="hint" id="resend-wait">
          {t('resendAt', { time: clock(shownAt) })}
        </p>
      )}
      {state.sent && <Alert kind="ok">{t('codeResent')}</Alert>}
      {/* A refusal that says when to ask again is the hint above. */}
      <Alert>{state.error && !isRetryLater(state.error) ? errorText(state.error) : null}</Alert>
    </div>
  );
}
