/** The dashboard's only way to the server: the public HTTP API with the user's Bearer token. */

import type { FieldProblem } from './problem-fields.js';

export type { FieldProblem };

/** An RFC 9457 problem+json answer, kept whole so that pages can show the server's own words. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly errors: readonly FieldProblem[],
    /** Extension members some problems carry (e.g. `rule` and `nextAllowedAt` of a refused contact). */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Query = Record<string, string | number | boolean | undefined>;

/** Random bytes in an idempotency key: 128 bits, written as hex. */
const IDEMPOTENCY_KEY_BYTES = 16;

/** A fresh key for one intended write (crypto.getRandomValues works on plain http too). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(IDEMPOTENCY_KEY_BYTES));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Keys for one form's writes: the same request sent again (after an answer was lost, or a click twice) keeps
 * its key, so the server answers with the first result instead of acting twice; another request gets a fresh
 * key. A refused request stores nothing under its key (its transaction rolls back), so re-sending it after
 * the cause is fixed is decided anew.
 */
export class WriteKeys {
  private last: { request: string; key: string } | undefined;

  keyFor(path: string, body: unknown): string {
    const request = `${path} ${JSON.stringify(body)}`;
    if (this.last?.request !== request) this.last = { request, key: newIdempotencyKey() };
    return this.last.key;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function toProblem(status: number, body: unknown): ApiProblem {
  if (!isRecord(body))
    return new ApiProblem(status, 'unexpected_response', `HTTP ${status}`, `HTTP ${status}`, []);
  const errors = Array.isArray(body.errors)
    ? body.errors
        .filter(isRecord)
        .map((e) => ({ path: String(e.path ?? ''), message: String(e.message ?? '') }))
    : [];
  return new ApiProblem(
    status,
    String(body.code ?? 'unexpected_response'),
    String(body.title ?? `HTTP ${status}`),
    String(body.detail ?? body.title ?? `HTTP ${status}`),
    errors,
    body,
  );
}

export class ApiClient {
  /**
   * @param language the UI's language at the time of each request, sent as `Accept-Language` so that the
   *   server's messages (problem titles, details, field errors) come in the language the user reads.
   */
  constructor(
    private readonly token: string,
    private readonly onUnauthenticated: () => void = () => {},
    private readonly language: () => string = () => 'zh-CN',
  ) {}

  async request<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    path: string,
    options: { query?: Query; body?: unknown; idempotencyKey?: string } = {},
  ): Promise<T> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== '') params.set(name, String(value));
    }
    const url = params.size > 0 ? `${path}?${params.toString()}` : path;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: 'application/json',
      'accept-language': this.language(),
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    const response = await fetch(url, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      body = null;
    }
    if (!response.ok) {
      const problem = toProblem(response.status, body);
      if (response.status === 401) this.onUnauthenticated();
      throw problem;
    }
    return body as T;
  }

  /** A file the API renders (an Excel export, a ZIP, a PDF), as a blob; a refusal is thrown as a problem. */
  async download(path: string, query: Query = {}): Promise<Blob> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(name, String(value));
    }
    const response = await fetch(params.size > 0 ? `${path}?${params.toString()}` : path, {
      headers: { authorization: `Bearer ${this.token}`, 'accept-language': this.language() },
    });
    if (!response.ok) {
      let body: unknown = null;
      try {
        body = await response.json();
      } catch {
        body = null;
      }
      if (response.status === 401) this.onUnauthenticated();
      throw toProblem(response.status, body);
    }
    return response.blob();
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, query === undefined ? {} : { query });
  }

  /** A write, with a fresh idempotency key unless the caller retries with its own. */
  post<T>(path: string, body: unknown, idempotencyKey: string = newIdempotencyKey()): Promise<T> {
    return this.request<T>('POST', path, { body, idempotencyKey });
  }

  /** A partial update, with a fresh idempotency key unless the caller retries with its own. */
  patch<T>(path: string, body: unknown, idempotencyKey: string = newIdempotencyKey()): Promise<T> {
    return this.request<T>('PATCH', path, { body, idempotencyKey });
  }
}
