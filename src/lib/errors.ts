/**
 * Errors as typed values with a stable code, an HTTP status and a default message.
 * They are turned into responses in exactly one place (http/middleware/error.ts).
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

export interface FieldIssue {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode | (string & {}),
    message: string,
    options: { status?: number; issues?: FieldIssue[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.status = options.status ?? statusOf[code as ErrorCode] ?? 500;
    this.issues = options.issues;
  }
  readonly issues: FieldIssue[] | undefined;
}

export const notFound = (what = 'The requested resource') =>
  new AppError('not_found', `${what} was not found.`);
export const forbidden = (message = 'You are not allowed to do this.') => new AppError('forbidden', message);
export const unauthorized = (message = 'Please sign in.') => new AppError('unauthorized', message);
export const conflict = (message: string, code = 'conflict') => new AppError(code, message, { status: 409 });
export const unavailable = (message: string) => new AppError('unavailable', message);
export const validationFailed = (issues: FieldIssue[], message = 'Some fields are not valid.') =>
  new AppError('validation_failed', message, { issues });

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** The field issues of a zod error, as the API and the forms show them. */
export const issuesOf = (error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): FieldIssue[] => error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

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
