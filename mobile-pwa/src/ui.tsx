/** @jsxImportSource preact */
import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type Answer, ApiError } from './api.ts';
import { useApp } from './context.ts';

/**
 * A screen: its heading takes the focus when it opens, so a screen reader announces the new
 * screen and the keyboard starts from the top (a hash change alone would leave focus behind).
 */
export function Screen(props: { title: string; children: ComponentChildren; back?: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const { t } = useApp().i18n;
  useEffect(() => {
    heading.current?.focus();
    document.title = props.title;
  }, [props.title]);
  return (
    <section class="screen" aria-labelledby="screen-title">
      {props.back && (
        <button type="button" class="link back" onClick={props.back}>
          ← {t('back')}
        </button>
      )}
      <h1 id="screen-title" tabIndex={-1} ref={heading}>
        {props.title}
      </h1>
      {props.children}
    </section>
  );
}

/** A list of cards (`<ul class="list">`): one item each, keyed by its id. */
export function CardList<T extends { id: string }>(props: {
  items: readonly T[];
  card: (item: T) => ComponentChildren;
}) {
  return (
    <ul class="list">
      {props.items.map((item) => (
        <li key={item.id}>{props.card(item)}</li>
      ))}
    </ul>
  );
}

/** A message read out at once (role=alert) — errors after an action. */
export function Alert(props: { children: ComponentChildren; kind?: 'error' | 'ok' }) {
  if (!props.children) return null;
  return (
    <p class={`alert ${props.kind ?? 'error'}`} role={props.kind === 'ok' ? 'status' : 'alert'}>
      {props.children}
    </p>
  );
}

/** The words to show for a failed call: the server's message, or a network explanation. */
export function useErrorText() {
  const { t } = useApp().i18n;
  return (error: unknown): string => {
    if (error instanceof ApiError) return error.code === 'offline' ? t('networkError') : error.message;
    return t('networkError');
  };
}

/** Field errors from a 422 answer, by field path. */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) for (const i of error.issues) out[i.path] ??= i.message;
  return out;
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** The data came from the phone's saved copy. */
  offline: boolean;
  reload(): void;
}

/** Loads once per key (and on reload); keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<Answer<T>>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean; offline: boolean }>({
    loading: true,
    offline: false,
  });
  const [tick, setTick] = useState(0);
  const { refreshTick, reportServed } = useApp();
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    // Only the newest load speaks: an older one (say, read from the saved copy while offline)
    // answering after the app came back must not put the offline banner back up.
    load().then(
      (a) => {
        if (!live) return;
        reportServed(a.offline);
        setState({ data: a.data, loading: false, offline: a.offline });
      },
      (error) => {
        if (!live) return;
        if (error instanceof ApiError && error.code === 'offline') reportServed(true);
        setState((s) => ({ ...s, error, loading: false }));
      },
    );
    return () => {
      live = false;
    };
  }, [key, tick, refreshTick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, offline: state.offline, reload };
}

/** While loading, a polite "Loading…"; on failure, the reason and a retry. */
export function LoadState(props: { loaded: Loaded<unknown> }) {
  const { t } = useApp().i18n;
  const errorText = useErrorText();
  const { loaded } = props;
  if (loaded.data !== undefined) return null;
  if (loaded.loading)
    return (
      <p class="muted" role="status">
        {t('loading')}
      </p>
    );
  return (
    <div>
      <Alert>{errorText(loaded.error)}</Alert>
      <button type="button" class="btn" onClick={loaded.reload}>
        {t('retry')}
      </button>
    </div>
  );
}

/** Runs an action at most once at a time (a double tap books once) and says when it is running. */
export function useAction(action: () => unknown) {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const run = async (event?: Event) => {
    event?.preventDefault();
    if (running.current) return;
    running.current = true;
    setBusy(true);
    try {
      await action();
    } finally {
      running.current = false;
      setBusy(false);
    }
  };
  return { run, busy };
}

/** The offline banner's id: disabled network actions point at its explanation (aria-describedby). */
export const OFFLINE_REASON_ID = 'offline-reason';

/**
 * A link to a file the server makes (a PDF, a document), named `label` plus `name` for screen
 * readers only ("Open Blood test" among several). It opens in a new tab, or with `download` is
 * saved under that name; offline it is a disabled button (the banner says why).
 */
export function ServerFileLink(props: {
  href: string;
  label: string;
  name: string;
  class: string;
  download?: string | undefined;
}) {
  const { online } = useApp();
  const label = (
    <>
      {props.label}
      <span class="visually-hidden"> {props.name}</span>
    </>
  );
  if (!online)
    return (
      <button type="button" class={props.class} disabled aria-describedby={OFFLINE_REASON_ID}>
        {label}
      </button>
    );
  return props.download === undefined ? (
    <a class={props.class} href={props.href} target="_blank" rel="noopener">
      {label}
    </a>
  ) : (
    <a class={props.class} href={props.href} download={props.download}>
      {label}
    </a>
  );
}

/** A button for an action that needs the network: disabled offline (the banner says why) and while it runs. */
export function ActionButton(
  props: Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'onClick' | 'type'> & {
    onClick: () => unknown;
    busyLabel?: string;
    kind?: 'primary' | 'danger' | 'plain';
  },
) {
  const { online } = useApp();
  const { onClick, busyLabel, kind = 'primary', children, disabled, ...rest } = props;
  const { run, busy } = useAction(onClick);
  return (
    <button
      type="button"
      class={`btn ${kind}`}
      disabled={!online || busy || Boolean(disabled)}
      aria-describedby={online ? undefined : OFFLINE_REASON_ID}
      aria-busy={busy ? 'true' : undefined}
      onClick={() => run()}
      {...rest}
    >
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
}

/** A form whose submit (button or Enter) runs the action once, needing the network. */
export function ActionForm(props: {
  onSubmit: () => unknown;
  submit: string;
  busyLabel?: string;
  children: ComponentChildren;
  class?: string;
}) {
  const { online } = useApp();
  const { run, busy } = useAction(props.onSubmit);
  return (
    <form class={props.class} onSubmit={(e) => run(e)} noValidate>
      {props.children}
      <button
        type="submit"
        class="btn primary"
        disabled={!online || busy}
        aria-describedby={online ? undefined : OFFLINE_REASON_ID}
        aria-busy={busy ? 'true' : undefined}
      >
        {busy && props.busyLabel ? props.busyLabel : props.submit}
      </button>
    </form>
  );
}
