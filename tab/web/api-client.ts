// Calls to the tab's own API with the user's token. A 401 gets one fresh token and one more try; every failure is an
// ApiError carrying the server's stable code.
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const AUTH_CODES = new Set(['tab/unauthenticated', 'tab/invalid-token', 'tab/forbidden-tenant', 'tab/missing-scope']);

export function isAuthError(err: unknown): boolean {
  return err instanceof ApiError && (AUTH_CODES.has(err.code) || (err.status === 401 && err.code.startsWith('tab/')));
}

export type TokenSource = (refresh?: boolean) => Promise<string>;

export async function errorFrom(res: Response): Promise<ApiError> {
  let code = `http/${res.status}`;
  let message = `The server answered ${res.status}.`;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    // not JSON
  }
  return new ApiError(code, message, res.status);
}

export class ApiClient {
  constructor(private readonly token: TokenSource) {}

  get<T>(path: string, init: { signal?: AbortSignal } = {}): Promise<T> {
    return this.request<T>('GET', path, undefined, init.signal);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  private async request<T>(method: string, path: string, body: unknown, signal?: AbortSignal, retried = false): Promise<T> {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: {
          authorization: `Bearer ${await this.token(retried)}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError('tab/offline', 'Switchboard could not be reached: check the connection and try again.', 0);
    }
    if (res.status === 401 && !retried) return this.request<T>(method, path, body, signal, true);
    if (!res.ok) throw await errorFrom(res);
    return (await res.json()) as T;
  }
}
