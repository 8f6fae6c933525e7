import {
  isMessageKey,
  type MessageKey,
  type MessageParams,
  type PlainMessageKey,
  renderMessage,
  type Said,
} from './messages.ts';

/**
 * Errors as typed values with a stable code, an HTTP status and a default message.
 * They are turned into responses in exactly one place (http/middleware/error.ts).
 * What a patient can meet is worded by a key of lib/messages.ts, which the error carries so the
 * API can say it in the patient's language; its `message` is the English.
 */
export type ErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'unauthorized'
  | 'validation_failed'
  | 'conflict'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unavailable'
  | 'internal';

const statusOf: Record<ErrorCode, number> = {
  not_found: 404,
  forbidden: 403,
  unauthorized: 401,
  validation_failed: 422,
  conflict: 409,
  rate_limited: 429,
  payload_too_large: 413,
  unavailable: 503,
  internal: 500,
};

/**
 * How an error or a field issue is worded: a key of lib/messages.ts (with its parameters when it
 * takes some), or plain English for what only staff meet — a literal with a capital first (so a
 * mistyped key is a compile error rather than a message), or `{ text }` for words made at run time.
 */
export type Wording = PlainMessageKey | Said | Capitalize<string> | { text: string };

interface Worded {
  message: string;
  key?: MessageKey;
  params?: MessageParams;
}

/** The English of `wording`, with its key and parameters when it has some. */
function wordedAs(wording: Wording): Worded {
  if (typeof wording !== 'string') {
    if ('text' in wording) return { message: wording.text };
    const { key, params } = wording;
    return { message: renderMessage(key, 'en', params), key, ...(params ? { params } : {}) };
  }
  return isMessageKey(wording)
    ? { message: renderMessage(wording, 'en'), key: wording }
    : { message: wording };
}

/** A field that is not valid: its path, the English message, and the message's key when it has one. */
export interface FieldIssue {
  path: string;
  message: string;
  /** The message's key in lib/messages.ts (the API says it in the patient's language). */
  code?: MessageKey;
  params?: MessageParams;
}

/** A field issue worded by `wording` (`fieldIssue('patientId', 'choose_patient')`). */
export function fieldIssue(path: string, wording: Wording): FieldIssue {
  const { message, key, params } = wordedAs(wording);
  return { path, message, ...(key ? { code: key } : {}), ...(params ? { params } : {}) };
}

export class AppError extends Error {
  readonly status: number;
  readonly issues: FieldIssue[] | undefined;
  /** The message's key in lib/messages.ts, when a patient may meet it; `message` is its English. */
  readonly key: MessageKey | undefined;
  readonly params: MessageParams | undefined;
  constructor(
    readonly code: ErrorCode | (string & {}),
    wording: Wording,
    options: { status?: number; issues?: FieldIssue[]; cause?: unknown } = {},
  ) {
    const { message, key, params } = wordedAs(wording);
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.status = options.status ?? statusOf[code as ErrorCode] ?? 500;
    this.issues = options.issues;
    this.key = key;
    this.params = params;
  }
}

/** What was not found: a key naming it (`'that_appointment'`), or plain English for staff. */
export type Subject = MessageKey | Capitalize<string>;

export const notFound = (what: Subject = 'The requested resource') =>
  isMessageKey(what)
    ? new AppError('not_found', { key: 'not_found', params: { subject: what } })
    : new AppError('not_found', `${what} was not found.`);
export const forbidden = (wording: Wording = 'not_allowed') => new AppError('forbidden', wording);
export const unauthorized = (wording: Wording = 'sign_in_required') => new AppError('unauthorized', wording);
export const conflict = (wording: Wording, code = 'conflict') => new AppError(code, wording, { status: 409 });
export const unavailable = (wording: Wording) => new AppError('unavailable', wording);
export const validationFailed = (issues: FieldIssue[], wording: Wording = 'fields_invalid') =>
  new AppError('validation_failed', wording, { issues });

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/**
 * The field issues of a zod error, as the API and the forms show them: a message that is a key
 * of lib/messages.ts (`issueKey`) becomes the issue's code, and its English the message.
 */
export const issuesOf = (error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): FieldIssue[] =>
  error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    return isMessageKey(i.message)
      ? { path, code: i.message, message: renderMessage(i.message, 'en') }
      : { path, message: i.message };
  });

/** `schema`'s reading of `input`, or a validation_failed error naming each wrong field. */
export function validated<T>(
  schema: {
    safeParse(
      input: unknown,
    ): { success: true; data: T } | { success: false; error: Parameters<typeof issuesOf>[0] };
  },
  input: unknown,
): T {
  const result = schema.safeParse(input);
  if (!result.success) throw validationFailed(issuesOf(result.error));
  return result.data;
}
