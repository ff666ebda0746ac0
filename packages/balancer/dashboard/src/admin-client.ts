import type { AdminErrorBody } from '../../src/admin/admin-types.js';

const TOKEN_KEY = 'koa-fleet-admin-token';

/** The admin API says the token is missing or wrong: the page asks for it. */
export class UnauthorizedError extends Error {
  constructor() {
    super('the admin API wants a token');
  }
}

/** A non-2xx answer of the admin API, with its JSON error body. */
export class AdminApiError extends Error {
  readonly body: AdminErrorBody | undefined;
  constructor(status: number, body: AdminErrorBody | undefined) {
    super(body ? `${status}: ${body.message}` : `HTTP ${status}`);
    this.body = body;
  }
}

/**
 * The admin API from the page: same origin, the token (when the listener has one) kept for the
 * tab in sessionStorage and sent as a Bearer header — never in a URL, where logs would keep it.
 */
export class AdminClient {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  set token(value: string | null) {
    if (value === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, value);
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const { token } = this;
    return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
  }

  async get<T>(path: string): Promise<T> {
    return this.#send<T>('GET', path);
  }

  async post<T>(path: string, body?: unknown): Promise<T> {
    return this.#send<T>('POST', path, body);
  }

  async put<T>(path: string, body: unknown): Promise<T> {
    return this.#send<T>('PUT', path, body);
  }

  async #send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, headers: this.headers() };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = this.headers({ 'content-type': 'application/json' });
    }
    const response = await fetch(path, init);
    if (response.status === 401) throw new UnauthorizedError();
    const text = await response.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) throw new AdminApiError(response.status, json as AdminErrorBody);
    return json as T;
  }
}
