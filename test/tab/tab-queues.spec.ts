// The queue dashboard's API against a real local Switchboard, its call queues and the emulator: no valid user token,
// no answer (401, and no stream opens); each person sees the queues they are an agent of (and how many there are);
// the stream sends the snapshot, then a queue's new status when an emulated caller joins or an agent signs out — only
// to the dashboards that may see that queue; a reconnect gets a fresh snapshot; the front desk reloading re-sends who
// sees what; streams are capped per person; without call queues the routes say so (503).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import restify from 'restify';
import { request } from 'undici';
import { registerQueueRoutes } from '../../tab/server/queue-routes.js';
import { TabAuthError } from '../../tab/server/user-token.js';
import { dial, directoryIds, UPN, type PersonName } from '../e2e/people.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { loadWebModule } from './load-web-module.js';
import { openSse, tabJson, tabToken, type OpenSse, type SseMessage } from './tab-helpers.js';

function writeDesk(path: string, extraBillingAgents: string[] = []): void {
  writeFileSync(path, JSON.stringify({
    timezone: 'UTC',
    rules: [],
    default: { action: 'enqueue', queue: 'support' },
    menus: {},
    queues: {
      support: { agents: [UPN.priya, UPN.jonas], alertSeconds: 60, greeting: { text: 'Thank you for calling support.' } },
      billing: { agents: [UPN.jonas, ...extraBillingAgents] },
    },
  }, null, 2));
}

describe('tab queue dashboard API', function () {
  this.timeout(60_000);
  let app: LocalSwitchboard;
  let desk: string;
  let ids: Record<PersonName, string>;
  let Parser: new () => { push(text: string): SseMessage[] };
  const tokens: Partial<Record<PersonName, string>> = {};

  before(async () => {
    ({ SseParser: Parser } = await loadWebModule<{ SseParser: new () => { push(text: string): SseMessage[] } }>('tab/web/sse-parser.ts'));
    desk = join(mkdtempSync(join(tmpdir(), 'switchboard-queues-')), 'desk.json');
    writeDesk(desk);
    app = await startLocalSwitchboard({ env: { FRONT_DESK_FILE: desk }, queues: { presencePollMs: 500 } });
    ids = await directoryIds(app);
    for (const who of ['priya', 'jonas', 'elif'] as const) tokens[who] = await tabToken(app, who);
  });
  after(async () => {
    await app?.stop();
  });

  async function open(who: PersonName): Promise<OpenSse> {
    const stream = await openSse(app, '/api/tab/queues/stream', { authorization: `Bearer ${tokens[who]}` }, Parser);
    assert.equal(stream.status, 200, `${who}'s stream`);
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
    assert.equal(stream.headers['cache-control'], 'no-store');
    return stream;
  }

  const parsed = (m: SseMessage) => JSON.parse(m.data);
  const queueEvents = (messages: SseMessage[], name: string) => messages.filter((m) => m.event === 'queue' && parsed(m).name === name).map(parsed);

  it('both routes: 401 without a valid user token, and no stream opens', async () => {
    const expired = (await app.emulatorJson('POST', `/emulator/users/${UPN.priya}/token`, { audience: app.config.app.id, expiresInSeconds: -900 })).body.access_token as string;
    const graphToken = (await app.emulatorJson('POST', `/emulator/users/${UPN.priya}/token`, { audience: 'https://graph.microsoft.com' })).body.access_token as string;
    const cases: Array<[string, string | undefined, string]> = [
      ['no header', undefined, 'tab/unauthenticated'],
      ['garbage', 'not-a-jwt', 'tab/unauthenticated'],
      ['a token for Graph', graphToken, 'tab/invalid-token'],
      ['an expired token', expired, 'tab/invalid-token'],
    ];
    for (const path of ['/api/tab/queues', '/api/tab/queues/stream']) {
      for (const [name, token, code] of cases) {
        const res = await tabJson(app, token, 'GET', path);
        assert.equal(res.status, 401, `${path} with ${name}`);
        assert.equal(res.body.error.code, code, `${path} with ${name}`);
        assert.equal(res.body.queues, undefined, 'nothing about the queues');
      }
    }
    assert.equal(app.tab.queueFeeds?.openStreams, 0);
  });

  it('each person sees the queues they are an agent of; someone else sees none, and how many there are', async () => {
    const seen = async (who: PersonName) => {
      const res = await tabJson(app, tokens[who], 'GET', '/api/tab/queues');
      assert.equal(res.status, 200, who);
      assert.equal(res.headers['cache-control'], 'no-store');
      return res.body as { queues: Array<{ name: string; agents: Array<{ userId: string }> }>; total: number };
    };
    const jonas = await seen('jonas');
    assert.deepEqual(jonas.queues.map((q) => q.name).sort(), ['billing', 'support']);
    assert.equal(jonas.total, 2);
    const priya = await seen('priya');
    assert.deepEqual(priya.queues.map((q) => q.name), ['support']);
    assert.deepEqual(priya.queues[0]!.agents.map((a) => a.userId).sort(), [ids.jonas, ids.priya].sort());
    assert.deepEqual(await seen('elif'), { queues: [], total: 2 });
  });

  it('the stream: the snapshot, then the queue\'s new status as a caller joins and an agent signs out — only to those who may see it', async () => {
    const priya = await open('priya');
    const elif = await open('elif');
    await priya.waitFor((m) => m.some((x) => x.event === 'snapshot'), 'Priya\'s snapshot');
    await elif.waitFor((m) => m.some((x) => x.event === 'snapshot'), 'Elif\'s snapshot');
    assert.ok(priya.raw.join('').startsWith('retry: 1000\n\n: connected\n\n'), 'connected before anything else');
    const first = priya.messages.find((m) => m.event !== 'snapshot');
    assert.equal(first, undefined, 'the snapshot comes first');
    const snapshot = parsed(priya.messages[0]!);
    assert.deepEqual(snapshot.queues.map((q: { name: string }) => q.name), ['support']);
    assert.equal(snapshot.queues[0].waiting.length, 0);
    assert.deepEqual(parsed(elif.messages[0]!), { queues: [], total: 2 });

    const callId = await dial(app, 'amara');
    await priya.waitFor((m) => queueEvents(m, 'support').some((q) => q.waiting.some((w: { callId: string }) => w.callId === callId)), 'Amara waiting in support');
    const status = queueEvents(priya.messages, 'support').find((q) => q.waiting.length > 0);
    assert.equal(status.waiting[0].caller.displayName, 'Amara Okafor');
    assert.equal(status.waiting[0].position, 1);

    await app.queues.signOut('support', ids.priya);
    await priya.waitFor((m) => queueEvents(m, 'support').some((q) => q.agents.find((a: { userId: string }) => a.userId === ids.priya)?.signedIn === false), 'Priya signed out');
    await app.queues.signIn('support', ids.priya);
    await priya.waitFor((m) => queueEvents(m, 'support').at(-1)?.agents.find((a: { userId: string }) => a.userId === ids.priya)?.signedIn === true, 'Priya signed in again');
    assert.deepEqual(elif.messages.map((m) => m.event), ['snapshot'], 'nothing about support for someone who is not its agent');
    await priya.close();
    await elif.close();

    const again = await open('priya');
    await again.waitFor((m) => m.some((x) => x.event === 'snapshot'), 'the snapshot on reconnecting');
    assert.ok(parsed(again.messages[0]!).queues[0].waiting.some((w: { callId: string }) => w.callId === callId), 'the reconnect\'s snapshot has the caller');
    await again.close();
    await eventually(() => app.tab.queueFeeds?.openStreams === 0, 'the server closed its side');
  });

  it('the front desk reloading re-sends the snapshot: a new agent sees the queue', async () => {
    const elif = await open('elif');
    await elif.waitFor((m) => m.some((x) => x.event === 'snapshot'), 'Elif\'s snapshot');
    writeDesk(desk, [UPN.elif]);
    await elif.waitFor((m) => m.filter((x) => x.event === 'snapshot').some((x) => parsed(x).queues.some((q: { name: string }) => q.name === 'billing')), 'billing in a new snapshot');
    await elif.close();
  });

  it('at most 5 dashboards per person: the 6th is 429 tab/too-many-streams, and closing one frees its slot', async () => {
    const streams = [];
    for (let i = 0; i < 5; i++) streams.push(await open('jonas'));
    await eventually(() => app.tab.queueFeeds?.openStreams === 5, 'five streams');
    const refused = await tabJson(app, tokens.jonas, 'GET', '/api/tab/queues/stream');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'tab/too-many-streams');
    assert.match(refused.body.error.message, /queue dashboards/);
    await streams.pop()!.close();
    await eventually(() => app.tab.queueFeeds?.openStreams === 4, 'one closed');
    streams.push(await open('jonas'));
    for (const s of streams) await s.close();
  });

  it('without call queues: 503 tab/unavailable (after authentication)', async () => {
    const server = restify.createServer();
    const validator = {
      validate: async (header: string | undefined) => {
        if (header !== 'Bearer a.b.c') throw new TabAuthError('tab/unauthenticated', 'Sign in to see this.');
        return { userId: ids.priya, tenantId: 't' };
      },
    };
    registerQueueRoutes(server, { validator, feeds: undefined, log: () => ({ warn: () => undefined, error: () => undefined }) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address();
      for (const path of ['/api/tab/queues', '/api/tab/queues/stream']) {
        const anonymous = await request(`http://127.0.0.1:${port}${path}`);
        assert.equal(anonymous.statusCode, 401, path);
        await anonymous.body.dump();
        const res = await request(`http://127.0.0.1:${port}${path}`, { headers: { authorization: 'Bearer a.b.c' } });
        assert.equal(res.statusCode, 503, path);
        assert.equal(((await res.body.json()) as { error: { code: string } }).error.code, 'tab/unavailable');
      }
    } finally {
      server.close();
    }
  });
});
