// The one Graph client every comms/ module uses: base URL from config, app token from the TokenProvider,
// per-request retry rules (never a blind repeat of a non-idempotent POST), timeouts, typed GraphError.
import { randomUUID } from 'node:crypto';
import { codeForStatus, GraphError } from './graph-error.js';
import { TransportError, type HttpTransport } from './http-transport.js';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelayMs, type RetryPolicy } from './retry-policy.js';
import type { TokenProvider } from './token-provider.js';
import type { Logger } from '../runtime/logger.js';

export interface GraphRequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Whether repeating the request is harmless. GET defaults to true; everything else defaults to false, so creating a
   * call, answer, playPrompt or invite is never repeated behind the caller's back.
   */
  repeatable?: boolean;
  timeoutMs?: number;
}

export interface GraphResponse<T> {
  status: number;
  body: T;
  location?: string;
  requestId?: string;
}

/** One attempt of a Graph request, as an observer sees it (metrics); never the body, the token or the query. */
export interface GraphAttempt {
  method: string;
  /** The path as requested, without the query (it may carry ids: never use it as a metric label as it is). */
  path: string;
  /** The HTTP status; undefined when the request failed on the network or timed out (see `code`). */
  status?: number;
  code?: 'graph/network' | 'graph/timeout';
  durationMs: number;
  /** 0 for the first attempt, 1 for the first repeat… */
  attempt: number;
  /** Seconds Graph asked to wait (Retry-After), when it did. */
  retryAfterSeconds?: number;
  /** The `id` of the resource a 2xx JSON answer describes (a created call, an operation), when it has one. */
  resourceId?: string;
  /** Graph's `request-id` (for support) and, on an error answer, Graph's error code. */
  requestId?: string;
  graphCode?: string;
}

/** What the client waits before repeating a request: Graph's Retry-After, or its own backoff. */
export interface GraphRetryWait {
  method: string;
  path: string;
  delayMs: number;
  retryAfter: boolean;
}

/**
 * Optional hooks for measuring Graph traffic (server/metrics implements them with prom-client, so comms needs no
 * metrics library). An observer that throws is ignored: it never fails a request.
 */
export interface GraphObserver {
  attempt(observation: GraphAttempt): void;
  retryWait?(wait: GraphRetryWait): void;
}

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com/v1.0 — paths are appended to it. */
  baseUrl: string;
  tokens: TokenProvider;
  transport: HttpTransport;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  observer?: GraphObserver;
}

export class GraphClient {
  readonly baseUrl: string;
  private readonly tokens: TokenProvider;
  private readonly transport: HttpTransport;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly logger?: Logger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly observer?: GraphObserver;

  constructor(options: GraphClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.tokens = options.tokens;
    this.transport = options.transport;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.logger = options.logger;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.observer = options.observer;
  }

  async get<T>(path: string, options: GraphRequestOptions = {}): Promise<T> {
    return (await this.request<T>('GET', path, options)).body;
  }

  async post<T>(path: string, body: unknown, options: GraphRequestOptions = {}): Promise<GraphResponse<T>> {
    return this.request<T>('POST', path, { ...options, body });
  }

  async patch<T>(path: string, body: unknown, options: GraphRequestOptions = {}): Promise<GraphResponse<T>> {
    return this.request<T>('PATCH', path, { ...options, body });
  }

  async delete(path: string, options: GraphRequestOptions = {}): Promise<GraphResponse<undefined>> {
    return this.request<undefined>('DELETE', path, options);
  }

  async request<T>(method: string, path: string, options: GraphRequestOptions = {}): Promise<GraphResponse<T>> {
    const repeatable = options.repeatable ?? method === 'GET';
    const url = this.url(path, options.query);
    const clientRequestId = randomUUID();
    for (let attempt = 0; ; attempt += 1) {
      const startedAt = performance.now();
      const outcome = await this.attempt<T>(method, url, path, options, clientRequestId);
      this.observe(method, path, attempt, performance.now() - startedAt, outcome);
      if (outcome.ok) return outcome.response;
      const err = outcome.error;
      const retryable = err.code === 'graph/network' || (err.status !== undefined && isRetryableStatus(err.status));
      if (!repeatable || !retryable || attempt >= this.retry.maxRetries) throw err;
      const delay = retryDelayMs(this.retry, attempt + 1, err.retryAfterSeconds);
      this.logger?.warn(
        { err: err.toJSON(), attempt: attempt + 1, delayMs: Math.round(delay) },
        `Graph ${method} ${path} answered ${err.status ?? err.code}; retrying`,
      );
      this.notify(() => this.observer?.retryWait?.({ method, path: stripQuery(path), delayMs: delay, retryAfter: err.retryAfterSeconds !== undefined }));
      await this.sleep(delay);
    }
  }

  private observe(method: string, path: string, attempt: number, durationMs: number, outcome: { ok: true; response: GraphResponse<unknown> } | { ok: false; error: GraphError }): void {
    if (!this.observer) return;
    const observation: GraphAttempt = { method, path: stripQuery(path), durationMs, attempt };
    if (outcome.ok) {
      observation.status = outcome.response.status;
      if (outcome.response.requestId) observation.requestId = outcome.response.requestId;
      const id = (outcome.response.body as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string') observation.resourceId = id;
    } else {
      const err = outcome.error;
      if (err.status !== undefined) observation.status = err.status;
      else if (err.code === 'graph/network' || err.code === 'graph/timeout') observation.code = err.code;
      if (err.retryAfterSeconds !== undefined) observation.retryAfterSeconds = err.retryAfterSeconds;
      if (err.requestId) observation.requestId = err.requestId;
      if (err.graphCode) observation.graphCode = err.graphCode;
    }
    this.notify(() => this.observer!.attempt(observation));
  }

  private notify(call: () => void): void {
    try {
      call();
    } catch (err) {
      this.logger?.warn({ message: (err as Error)?.message }, 'a Graph observer threw; ignored');
    }
  }

  private url(path: string, query?: GraphRequestOptions['query']): string {
    const url = new URL(this.baseUrl + (path.startsWith('/') ? path : `/${path}`));
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  private async attempt<T>(
    method: string,
    url: string,
    path: string,
    options: GraphRequestOptions,
    clientRequestId: string,
  ): Promise<{ ok: true; response: GraphResponse<T> } | { ok: false; error: GraphError }> {
    const token = await this.tokens.getToken();
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      'client-request-id': clientRequestId,
      ...options.headers,
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    let res;
    try {
      res = await this.transport.send({ method, url, headers, body, timeoutMs: options.timeoutMs ?? this.timeoutMs });
    } catch (err) {
      if (err instanceof TransportError) {
        const code = err.code === 'http/timeout' ? 'graph/timeout' : 'graph/network';
        return { ok: false, error: new GraphError(code, `Graph ${method} ${path}: ${err.message}`, { method, path, cause: err }) };
      }
      throw err;
    }
    const requestId = res.headers['request-id'];
    const text = res.body.toString('utf8');
    if (res.status >= 200 && res.status < 300) {
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch (cause) {
        return {
          ok: false,
          error: new GraphError('graph/invalid-response', `Graph ${method} ${path} answered non-JSON`, { status: res.status, requestId, method, path, cause }),
        };
      }
      return { ok: true, response: { status: res.status, body: parsed as T, location: res.headers.location, requestId } };
    }
    const { graphCode, message } = readGraphErrorBody(text);
    const code = codeForStatus(res.status, graphCode, message);
    return {
      ok: false,
      error: new GraphError(code, `Graph ${method} ${path} failed with ${res.status}${graphCode ? ` ${graphCode}` : ''}: ${message}`, {
        status: res.status,
        graphCode,
        requestId,
        retryAfterSeconds: parseRetryAfter(res.headers['retry-after']),
        method,
        path,
      }),
    };
  }
}

function stripQuery(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

function readGraphErrorBody(text: string): { graphCode?: string; message: string } {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (parsed?.error) return { graphCode: parsed.error.code, message: parsed.error.message ?? 'no message' };
  } catch {
    // not JSON: fall through
  }
  return { message: text.slice(0, 200) || 'no body' };
}
