// A tiny local stand-in for Graph endpoints outside calling (onlineMeetings, presence, callRecords, subscriptions) on
// 127.0.0.1:0: records every request with its raw query, answers from per-test routes, 404 itemNotFound otherwise.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpTransport, GraphClient, type HttpTransport } from '../../../../comms/graph/index.js';

export interface TinyRequest {
  method: string;
  /** Path as sent (still percent-encoded), without the query. */
  path: string;
  /** The query string as sent, without `?`. */
  rawQuery: string;
  /** The query decoded once, as a server reads it. */
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export interface TinyReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = (req: TinyRequest, match: RegExpMatchArray) => TinyReply | Promise<TinyReply>;

export class TinyGraph {
  readonly requests: TinyRequest[] = [];
  private routes: Array<{ method: string; pattern: RegExp; handler: Handler; times: number }> = [];
  private server!: Server;
  url = '';

  static async start(): Promise<TinyGraph> {
    const graph = new TinyGraph();
    graph.server = createServer((req, res) => void graph.handle(req, res));
    await new Promise<void>((resolve) => graph.server.listen(0, '127.0.0.1', resolve));
    graph.url = `http://127.0.0.1:${(graph.server.address() as AddressInfo).port}`;
    return graph;
  }

  get baseUrl(): string {
    return `${this.url}/v1.0`;
  }

  client(transport: HttpTransport = createHttpTransport()): GraphClient {
    return new GraphClient({ baseUrl: this.baseUrl, tokens: { getToken: async () => 'app-token' }, transport, sleep: async () => undefined });
  }

  /** Routes are matched against the path (without /v1.0); later routes win; `times` limits how often one answers. */
  on(method: string, pattern: RegExp, handler: Handler, times = Number.POSITIVE_INFINITY): void {
    this.routes.unshift({ method, pattern, handler, times });
  }

  reset(): void {
    this.requests.length = 0;
    this.routes = [];
  }

  find(method: string, path: string | RegExp): TinyRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === `/v1.0${path}` : path.test(r.path)));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const rawQuery = q < 0 ? '' : raw.slice(q + 1);
    const recorded: TinyRequest = {
      method: req.method ?? 'GET',
      path,
      rawQuery,
      query: new URLSearchParams(rawQuery.replace(/\+/g, '%2B')),
      headers: req.headers,
      body: text ? JSON.parse(text) : undefined,
    };
    this.requests.push(recorded);
    let reply: TinyReply = { status: 404, body: { error: { code: 'itemNotFound', message: `no route ${recorded.method} ${path}` } } };
    const local = path.replace(/^\/v1\.0/, '');
    for (const route of this.routes) {
      const m = local.match(route.pattern);
      if (route.method === recorded.method && m && route.times > 0) {
        route.times -= 1;
        try {
          reply = await route.handler(recorded, m);
        } catch (err) {
          reply = { status: 500, body: { error: { code: 'fake', message: String(err) } } };
        }
        break;
      }
    }
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    let payload: Buffer | undefined;
    if (reply.body !== undefined) {
      payload = Buffer.from(JSON.stringify(reply.body));
      headers['content-type'] ??= 'application/json';
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }
}
