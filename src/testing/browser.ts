import type { Hono } from 'hono';

/**
 * A minimal browser over `app.request()`: keeps cookies, sends a same-origin Origin header on
 * POSTs, follows nothing by itself, and reads the CSRF token from the last page's forms.
 */
export interface TestBrowser {
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** Posts a form; adds `_csrf` from the last page unless given. */
  /** Posts a form (with the page's CSRF token); a list is sent as the field repeated (checkboxes). */
  post(
    path: string,
    fields?: Record<string, string | string[]>,
    headers?: Record<string, string>,
  ): Promise<Response>;
  /** Sends JSON to the API the way a same-site script does (Origin and Content-Type set). */
  json(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /**
   * Opens the sign-in page and posts the form (the staff session and CSRF cookies follow), both
   * with `headers` (a proxy's forwarding headers).
   */
  signIn(email: string, password: string, headers?: Record<string, string>): Promise<Response>;
  /** The last HTML page read through `text()`. */
  page(): string;
  text(res: Response): Promise<string>;
  cookies: Map<string, string>;
  /** Sends the next requests from this network address (rate limits count per address). */
  from(ip: string): void;
}

/** Where a test browser is: the site's origin, its network address, what it says it is. */
export interface TestBrowserOptions {
  origin?: string;
  ip?: string;
  userAgent?: string;
}

export function testBrowser(app: Hono<any>, options: TestBrowserOptions = {}): TestBrowser {
  const origin = options.origin ?? 'http://localhost';
  const cookies = new Map<string, string>();
  let last = '';
  // A new object per address: a request keeps the address it was sent from.
  let env = { ip: options.ip ?? '127.0.0.1' };

  const send = async (path: string, init: RequestInit) => {
    const headers = new Headers(init.headers);
    if (cookies.size) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    headers.set('user-agent', options.userAgent ?? 'TestBrowser/1.0');
    const res = await app.request(`${origin}${path}`, { ...init, headers }, env);
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, ...value] = pair!.split('=');
      const expired = attrs.some((a) => /max-age=0/i.test(a) || /expires=thu, 01 jan 1970/i.test(a));
      if (expired) cookies.delete(name!.trim());
      else cookies.set(name!.trim(), value.join('='));
    }
    return res;
  };
  const csrfOfPage = () => /name="_csrf" value="([^"]*)"/.exec(last)?.[1] ?? '';

  const browser: TestBrowser = {
    cookies,
    get: (path, headers = {}) => send(path, { method: 'GET', headers }),
    post: (path, fields = {}, headers = {}) =>
      send(path, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(
          [['_csrf', csrfOfPage()], ...Object.entries(fields)].flatMap(([k, v]) =>
            (Array.isArray(v) ? v : [v]).map((one) => [k, one] as [string, string]),
          ),
        ).toString(),
      }),
    json: (method, path, body, headers = {}) =>
      send(path, {
        method,
        headers: { origin, 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    page: () => last,
    from(ip) {
      env = { ip };
    },
    async text(res) {
      last = await res.text();
      return last;
    },
    async signIn(email, password, headers = {}) {
      await browser.text(await browser.get('/staff/login', headers));
      return browser.post('/staff/login', { email, password }, headers);
    },
  };
  return browser;
}
