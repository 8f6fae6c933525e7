/** The answers' shapes, from the server's OpenAPI schemas (types only: nothing of src/ is bundled). */
export type {
  AppointmentJson,
  ClinicJson,
  MeJson,
  PatientAppointmentJson,
  PatientJson,
  PractitionerJson,
  ServiceJson,
  SlotJson,
  WaitlistEntryJson,
} from '../../src/http/api/schemas.ts';

/** Dispatched on window when an API call answers 401 outside sign-in. */
export const SESSION_LOST = 'clinicbox:session-lost';

/** An answer that is not 2xx, with the server's stable code; `offline` when nothing answered. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[] = [],
    /** A 429's Retry-After, in milliseconds: when asking again may work. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export interface Answer<T> {
  data: T;
  /** Served by the service worker from what was saved, because the network failed. */
  offline: boolean;
}

/** The app's language: the server answers its error messages in it (Accept-Language). */
let language = 'en';
export function setApiLanguage(lang: string): void {
  language = lang;
}
/** The language the server is asked to answer in (for calls made outside `request`: uploads). */
export function apiLanguage(): string {
  return language;
}

/**
 * The one way the app talks to `/api/v1`: JSON in and out, cookies for the session (the server
 * checks the Origin header for CSRF), errors as ApiError. A network failure becomes `offline`.
 */
export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Accept-Language': language,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'offline', 'offline');
  }
  const offline = response.headers.get('X-Clinicbox-Offline') === '1';
  if (response.status === 204) return { data: undefined as T, offline };
  const json = (await response.json().catch(() => null)) as
    | (T & { error?: { code: string; message: string; issues?: { path: string; message: string }[] } })
    | null;
  if (!response.ok) {
    // The session ended (expired, signed out elsewhere): the app returns to sign-in.
    if (response.status === 401 && path !== '/api/v1/me' && !path.startsWith('/api/v1/auth/')) {
      window.dispatchEvent(new Event(SESSION_LOST));
    }
    const error = json?.error;
    const retryAfter = Number(response.headers.get('Retry-After'));
    throw new ApiError(
      response.status,
      error?.code ?? 'error',
      error?.message ?? response.statusText,
      error?.issues,
      response.status === 429 && retryAfter > 0 ? retryAfter * 1000 : null,
    );
  }
  return { data: json as T, offline };
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}, headers?: Record<string, string>) =>
    request<T>('POST', path, body, headers),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string, body?: unknown) => request<T>('DELETE', path, body),
};
