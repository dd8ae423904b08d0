// A tiny stand-in for the Graph calling endpoints on 127.0.0.1:0: records every request and answers with the
// documented status codes, Location headers and operation bodies; tests override single routes when needed.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpTransport, GraphClient, type HttpTransport } from '../../../../comms/graph/index.js';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: Buffer;
}

type Handler = (req: RecordedRequest, match: RegExpMatchArray) => FakeReply | Promise<FakeReply>;

const CALL = '/v1.0/communications/calls/([^/]+)';

export class FakeGraph {
  readonly requests: RecordedRequest[] = [];
  /** Calls that have ended on "Graph's side": everything on them answers 404. */
  readonly gone = new Set<string>();
  /** Recordings served at /recordings/{id} to a request bearing the right token. */
  readonly recordings = new Map<string, { token: string; audio: Buffer }>();
  private overrides: Array<{ method: string; pattern: RegExp; handler: Handler; times: number }> = [];
  private server!: Server;
  private nextCall = 1;
  private nextOp = 1;
  url = '';

  static async start(): Promise<FakeGraph> {
    const graph = new FakeGraph();
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

  /** Answers the next `times` requests matching method + path regex (over the default routes). */
  on(method: string, pattern: RegExp, handler: Handler, times = Number.POSITIVE_INFINITY): void {
    this.overrides.unshift({ method, pattern, handler, times });
  }

  reset(): void {
    this.requests.length = 0;
    this.overrides = [];
    this.gone.clear();
  }

  find(method: string, pathEnd: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof pathEnd === 'string' ? r.path.endsWith(pathEnd) : pathEnd.test(r.path)));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0]!;
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body: text ? JSON.parse(text) : undefined };
    if (!path.startsWith('/recordings/')) this.requests.push(recorded);
    let reply: FakeReply;
    try {
      reply = await this.route(recorded);
    } catch (err) {
      reply = { status: 500, body: { error: { code: 'fake', message: String(err) } } };
    }
    const headers: Record<string, string> = { ...(reply.headers ?? {}) };
    let payload: Buffer | undefined = reply.raw;
    if (!payload && reply.body !== undefined) {
      payload = Buffer.from(JSON.stringify(reply.body));
      headers['content-type'] ??= 'application/json';
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  private async route(req: RecordedRequest): Promise<FakeReply> {
    for (const o of this.overrides) {
      const m = req.path.match(o.pattern);
      if (o.method === req.method && m && o.times > 0) {
        o.times -= 1;
        return o.handler(req, m);
      }
    }
    const rec = req.path.match(/^\/recordings\/([^/]+)$/);
    if (rec) {
      const item = this.recordings.get(rec[1]!);
      if (!item || req.headers.authorization !== `Bearer ${item.token}`) return { status: 401 };
      return { status: 200, raw: item.audio, headers: { 'content-type': 'application/octet-stream' } };
    }
    const callMatch = req.path.match(new RegExp(`^${CALL}`));
    if (callMatch && this.gone.has(decodeURIComponent(callMatch[1]!))) {
      return { status: 404, body: { error: { code: '8504', message: 'Call not found' } } };
    }
    return this.defaults(req);
  }

  private op(type: string, status: string, req: RecordedRequest, callId: string, extra: Record<string, unknown> = {}, httpStatus = 200): FakeReply {
    const id = `op-${this.nextOp++}`;
    return {
      status: httpStatus,
      headers: { location: `${this.baseUrl}/communications/calls/${callId}/operations/${id}` },
      body: { '@odata.type': `#microsoft.graph.${type}`, id, status, clientContext: req.body?.clientContext ?? null, resultInfo: null, ...extra },
    };
  }

  private defaults(req: RecordedRequest): FakeReply {
    const p = req.path;
    let m: RegExpMatchArray | null;
    if (req.method === 'POST' && p === '/v1.0/communications/calls') {
      const id = `call-${this.nextCall++}`;
      return {
        status: 201,
        headers: { location: `${this.baseUrl}/communications/calls/${id}` },
        body: {
          '@odata.type': '#microsoft.graph.call',
          id,
          state: 'establishing',
          direction: 'outgoing',
          callbackUri: req.body?.callbackUri,
          myParticipantId: `me-${id}`,
          callChainId: `chain-${id}`,
          targets: req.body?.targets,
          requestedModalities: req.body?.requestedModalities,
          mediaConfig: req.body?.mediaConfig,
          ...(req.body?.chatInfo ? { chatInfo: req.body.chatInfo } : {}),
          ...(req.body?.meetingInfo ? { meetingInfo: req.body.meetingInfo } : {}),
        },
      };
    }
    if ((m = p.match(new RegExp(`^${CALL}$`)))) {
      if (req.method === 'GET') return { status: 200, body: { '@odata.type': '#microsoft.graph.call', id: m[1], state: 'established', direction: 'outgoing' } };
      if (req.method === 'DELETE') return { status: 204 };
    }
    if ((m = p.match(new RegExp(`^${CALL}/(answer|reject|redirect|transfer|changeScreenSharingRole)$`))) && req.method === 'POST') return { status: 202 };
    if ((m = p.match(new RegExp(`^${CALL}/keepAlive$`))) && req.method === 'POST') return { status: 200 };
    if ((m = p.match(new RegExp(`^${CALL}/(\\w+)$`))) && req.method === 'POST') {
      const callId = m[1]!;
      switch (m[2]) {
        case 'playPrompt':
          return this.op('playPromptOperation', 'running', req, callId);
        case 'recordResponse':
          return this.op('recordOperation', 'running', req, callId, { recordingLocation: null });
        case 'subscribeToTone':
          return this.op('subscribeToToneOperation', 'completed', req, callId);
        case 'sendDtmfTones':
          return this.op('sendDtmfTonesOperation', 'running', req, callId);
        case 'cancelMediaProcessing':
          return this.op('cancelMediaProcessingOperation', 'completed', req, callId);
        case 'mute':
          return this.op('muteParticipantOperation', 'completed', req, callId);
        case 'unmute':
          return this.op('unmuteParticipantOperation', 'completed', req, callId);
        case 'updateRecordingStatus':
          return this.op('updateRecordingStatusOperation', 'completed', req, callId);
      }
    }
    if ((m = p.match(new RegExp(`^${CALL}/participants$`))) && req.method === 'GET') {
      return { status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#participants', value: [participant('p-1', 'u-1')] } };
    }
    if ((m = p.match(new RegExp(`^${CALL}/participants/invite$`))) && req.method === 'POST') {
      return this.op('inviteParticipantsOperation', 'Running', req, m[1]!, { participants: req.body?.participants });
    }
    if ((m = p.match(new RegExp(`^${CALL}/participants/([^/]+)$`)))) {
      if (req.method === 'GET') return { status: 200, body: participant(decodeURIComponent(m[2]!), 'u-1') };
      if (req.method === 'DELETE') return { status: 204 };
    }
    if ((m = p.match(new RegExp(`^${CALL}/participants/([^/]+)/mute$`))) && req.method === 'POST') {
      return this.op('muteParticipantOperation', 'completed', req, m[1]!);
    }
    if ((m = p.match(new RegExp(`^${CALL}/participants/([^/]+)/(startHoldMusic|stopHoldMusic)$`))) && req.method === 'POST') {
      return this.op(`${m[3]}Operation`, 'running', req, m[1]!, {}, 202);
    }
    return { status: 404, body: { error: { code: 'itemNotFound', message: `no route ${req.method} ${p}` } } };
  }
}

export function participant(id: string | null, userId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.participant',
    id,
    info: { '@odata.type': '#microsoft.graph.participantInfo', identity: { user: { id: userId, displayName: `User ${userId}` } } },
    isMuted: false,
    isInLobby: false,
    mediaStreams: [{ mediaType: 'audio', label: 'main-audio', sourceId: '1', direction: 'sendReceive', serverMuted: false }],
    ...extra,
  };
}
