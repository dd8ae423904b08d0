// Test support for the calling service: an emulator with fast timings, an app with every calling role, and a small
// receiver on 127.0.0.1 standing in for the app — it verifies each notification's JWT against the emulator's
// calling metadata/JWKS, records the bodies, answers 202 (or what a test scripts), and serves prompt WAVs.

import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { DEV_APP_ROLES, type EmulatedApp, type EmulatorOptions } from '../../emulator/index.js';
import { toneWav } from '../../emulator/calls/wav-audio.js';
import { DEV_SECRET, NO_ROLES_APP, startHarness, type Harness, type Reply } from './emulator-harness.js';

export const CALLS_APP: EmulatedApp = { clientId: '3f0c9a57-6b1e-4c2d-9e8f-7a6b5c4d3e21', clientSecret: DEV_SECRET, displayName: 'Switchboard (calls test)', roles: [...DEV_APP_ROLES] };
export const INITIATE_ONLY_APP: EmulatedApp = { clientId: '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', clientSecret: 'initiate-only-secret', displayName: 'P2P only', roles: ['Calls.Initiate.All'] };
export const AMARA = { id: 'bff4498d-477a-4f74-90d4-d940c6663180', upn: 'amara.okafor@switchboard.test', name: 'Amara Okafor' };
export const JONAS = { id: 'b6b18e27-b13c-4356-8d3b-e1b8e4ff07c2', upn: 'jonas.lindqvist@switchboard.test', name: 'Jonas Lindqvist' };
export const PRIYA = { id: '1040f954-ed84-4781-8ae8-c5be0cff9a25', upn: 'priya.raman@switchboard.test', name: 'Priya Raman' };
export const MATEO = { id: '457e9865-5f97-4d7f-b6f4-02eb8be04c66', upn: 'mateo.alvarez@switchboard.test', name: 'Mateo Alvarez' };

export interface ReceivedNotification {
  path: string;
  headers: IncomingHttpHeaders;
  claims?: JWTPayload;
  tokenError?: string;
  body: any;
  /** The single commsNotification inside `value` (the emulator sends one per POST). */
  item: any;
}

export interface Receiver {
  url: string;
  received: ReceivedNotification[];
  /** The paths of the prompt media the emulator fetched (GETs), in order. */
  promptGets: string[];
  /** Answers for the next POSTs (status codes), before falling back to 202. */
  script: number[];
  /** Notifications whose resourceUrl contains `part` (and match the optional filter). */
  about(callId: string, filter?: (n: ReceivedNotification) => boolean): ReceivedNotification[];
  waitFor(predicate: (all: ReceivedNotification[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface CallsHarness extends Harness {
  receiver: Receiver;
  token: string;
  graph(method: string, path: string, json?: unknown, token?: string): Promise<Reply>;
  control(method: string, path: string, json?: unknown): Promise<Reply>;
  /** The emulator's truth for a call. */
  view(callId: string): Promise<any>;
  waitForCall(callId: string, predicate: (call: any) => boolean, what: string, timeoutMs?: number): Promise<any>;
  callbackUri: string;
  promptUrl(name: 'beep' | 'long' | 'stereo' | 'text' | 'missing' | '8khz'): string;
}

export async function startCallsHarness(options: Partial<EmulatorOptions> = {}): Promise<CallsHarness> {
  const h = await startHarness({
    apps: [CALLS_APP, NO_ROLES_APP, INITIATE_ONLY_APP],
    notificationDelayMs: 5,
    mediaSpeed: 20,
    answerWindowMs: 2_000,
    ringTimeoutMs: 2_000,
    ...options,
  });
  const metadata = (await h.call('GET', '/skype/v1/.well-known/OpenIdConfiguration')).json;
  const jwksPath = new URL(metadata.jwks_uri as string).pathname;
  const keys = createLocalJWKSet((await h.call('GET', jwksPath)).json);
  const receiver = await startReceiver(keys, metadata.issuer as string);
  const token = await h.appToken(CALLS_APP.clientId, DEV_SECRET);
  await h.call('PUT', `/emulator/apps/${CALLS_APP.clientId}/calling-webhook`, { json: { url: `${receiver.url}/api/calling` } });

  const harness: CallsHarness = {
    ...h,
    receiver,
    token,
    callbackUri: `${receiver.url}/api/calls/callback`,
    graph: (method, path, json, t = token) => h.call(method, `/v1.0${path}`, { token: t, ...(json !== undefined ? { json } : {}) }),
    control: (method, path, json) => h.call(method, `/emulator${path}`, json !== undefined ? { json } : {}),
    async view(callId) {
      const reply = await h.call('GET', `/emulator/calls/${callId}`);
      if (reply.status !== 200) throw new Error(`GET /emulator/calls/${callId}: ${reply.status} ${reply.text}`);
      return reply.json;
    },
    async waitForCall(callId, predicate, what, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const call = await harness.view(callId);
        if (predicate(call)) return call;
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify({ state: call.state, ringing: call.ringing, operations: call.operations })}`);
        await sleep(10);
      }
    },
    promptUrl: (name) => `${receiver.url}/prompts/${name}.wav`,
    async close() {
      await h.close();
      await receiver.close();
    },
  };
  return harness;
}

async function startReceiver(keys: ReturnType<typeof createLocalJWKSet>, issuer: string): Promise<Receiver> {
  const received: ReceivedNotification[] = [];
  const script: number[] = [];
  const promptGets: string[] = [];
  const prompts: Record<string, { type: string; body: Buffer }> = {
    '/prompts/beep.wav': { type: 'audio/wav', body: toneWav(0.4) },
    '/prompts/long.wav': { type: 'audio/wav', body: toneWav(20) },
    '/prompts/stereo.wav': { type: 'audio/wav', body: toneWav(0.4, 16_000, 2) },
    '/prompts/8khz.wav': { type: 'audio/wav', body: toneWav(0.4, 8_000) },
    '/prompts/text.wav': { type: 'text/plain', body: Buffer.from('not audio at all') },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const path = req.url ?? '/';
        if (req.method === 'GET') {
          promptGets.push(path);
          const prompt = prompts[path];
          // No chaining on writeHead: restify (loaded by the app in the same test run) patches it to return nothing.
          if (!prompt) {
            res.writeHead(404);
            return void res.end();
          }
          res.writeHead(200, { 'content-type': prompt.type });
          return void res.end(prompt.body);
        }
        const text = Buffer.concat(chunks).toString('utf8');
        const entry: ReceivedNotification = { path, headers: req.headers, body: undefined, item: undefined };
        try {
          entry.body = JSON.parse(text);
          entry.item = entry.body?.value?.[0];
        } catch {
          entry.body = text;
        }
        const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        try {
          if (!auth) throw new Error('no bearer token');
          entry.claims = (await jwtVerify(auth, keys, { issuer, algorithms: ['RS256'] })).payload;
        } catch (err) {
          entry.tokenError = (err as Error).message;
        }
        received.push(entry);
        res.writeHead(script.shift() ?? 202);
        res.end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    promptGets,
    script,
    about: (callId, filter) => received.filter((n) => String(n.item?.resourceUrl ?? '').includes(callId) && (!filter || filter(n))),
    async waitFor(predicate, what, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > until) {
          throw new Error(`timed out waiting for ${what}; received: ${JSON.stringify(received.map((n) => [n.item?.changeType, n.item?.resourceUrl, n.item?.resourceData?.state ?? n.item?.resourceData?.status]))}`);
        }
        await sleep(10);
      }
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A short description of a notification, for sequence assertions: "updated established", "deleted operations completed". */
export function summarise(n: ReceivedNotification): string {
  const item = n.item;
  const data = item.resourceData;
  const where = /\/operations\//.test(item.resourceUrl) ? 'operation' : /\/participants$/.test(item.resourceUrl) ? 'roster' : 'call';
  const what = Array.isArray(data) ? `${data.length}` : (data.state ?? data.status ?? '');
  return `${String(item.changeType).toLowerCase()} ${where} ${what}`.trim();
}

export const SERVICE_MEDIA = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };

export function userTarget(user: { id: string; name: string }): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.invitationParticipantInfo',
    identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: user.id, displayName: user.name } },
  };
}

/**
 * A prompt of the given media. Its resourceId is the media service's cache key (a prompt played again under the same
 * id is not fetched again), so each uri gets its own, made from the uri; pass one to share it on purpose.
 */
export function prompt(uri: string, resourceId = resourceIdOf(uri)): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri, resourceId } };
}

function resourceIdOf(uri: string): string {
  const hex = createHash('sha256').update(uri).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`.toUpperCase();
}

/** A person dials the app, the test answers as the app would; resolves once `established` has been received. */
export async function answeredIncomingCall(h: CallsHarness, person = AMARA): Promise<string> {
  const dial = await h.control('POST', `/people/${person.id}/dial`, {});
  if (dial.status !== 201) throw new Error(`dial: ${dial.status} ${dial.text}`);
  const callId = dial.json.callId as string;
  await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.changeType === 'created'), 'incoming call');
  const answer = await h.graph('POST', `/communications/calls/${callId}/answer`, { callbackUri: h.callbackUri, acceptedModalities: ['audio'], mediaConfig: SERVICE_MEDIA });
  if (answer.status !== 202) throw new Error(`answer: ${answer.status} ${answer.text}`);
  await h.receiver.waitFor(() => h.receiver.about(callId).some((n) => n.item.resourceData?.state === 'established'), 'established');
  return callId;
}

/** The bot calls people (P2P for one, group for several) who answer at once; resolves once all are in the call. */
export async function answeredOutboundCall(h: CallsHarness, people: Array<{ id: string; name: string }>): Promise<string> {
  for (const p of people) await h.control('PUT', `/people/${p.id}/behavior`, { onCall: 'answer', answerDelayMs: 0 });
  const created = await h.graph('POST', '/communications/calls', {
    '@odata.type': '#microsoft.graph.call',
    callbackUri: h.callbackUri,
    targets: people.map(userTarget),
    requestedModalities: ['audio'],
    mediaConfig: SERVICE_MEDIA,
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
  const callId = created.json.id as string;
  await h.waitForCall(callId, (c) => c.state === 'established' && c.participants.filter((p: any) => p.kind === 'person').length === people.length, 'everyone in the call');
  for (const p of people) await h.control('PUT', `/people/${p.id}/behavior`, { onCall: 'manual' });
  return callId;
}

export async function joinedMeeting(h: CallsHarness, threadId: string): Promise<string> {
  const created = await h.graph('POST', '/communications/calls', {
    '@odata.type': '#microsoft.graph.call',
    callbackUri: h.callbackUri,
    requestedModalities: ['audio'],
    mediaConfig: SERVICE_MEDIA,
    chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId, messageId: '0' },
    meetingInfo: {
      '@odata.type': '#microsoft.graph.organizerMeetingInfo',
      organizer: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: MATEO.id, displayName: MATEO.name } },
      allowConversationWithoutHost: true,
    },
  });
  if (created.status !== 201) throw new Error(`join: ${created.status} ${created.text}`);
  const callId = created.json.id as string;
  await h.waitForCall(callId, (c) => c.state === 'established', 'meeting joined');
  return callId;
}
