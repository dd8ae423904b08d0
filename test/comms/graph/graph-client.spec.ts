// The Graph client against the emulator over real HTTPS: MSAL tokens from the emulator issuer, GETs, retries that
// honour Retry-After for repeatable requests only, and typed errors.
import assert from 'node:assert/strict';
import { createHttpTransport, createMsalTokenProvider, GraphClient, GraphError, type HttpTransport } from '../../../comms/graph/index.js';
import { LOCAL_APP } from '../../../server/config.js';
import { startLocalSwitchboard, type LocalSwitchboard } from '../../support/local-switchboard.js';

describe('comms/graph client (against the emulator)', () => {
  let app: LocalSwitchboard;
  let transport: HttpTransport;
  let slept: number[];
  let graph: GraphClient;

  before(async () => {
    app = await startLocalSwitchboard();
    transport = createHttpTransport({ extraCaPem: app.emulator!.caCertPem });
  });
  after(async () => {
    await transport?.close();
    await app?.stop();
  });
  beforeEach(async () => {
    slept = [];
    graph = client(LOCAL_APP.secret);
    await app.emulatorJson('DELETE', '/emulator/faults');
    await app.emulatorJson('DELETE', '/emulator/requests');
  });

  function client(secret: string): GraphClient {
    const emulator = app.emulator!;
    const tokens = createMsalTokenProvider({
      clientId: LOCAL_APP.id,
      authorityUrl: emulator.authorityUrl,
      credential: { kind: 'secret', secret },
      knownAuthorities: [new URL(emulator.url).host],
      transport,
    });
    return new GraphClient({
      baseUrl: emulator.graphUrl,
      tokens,
      transport,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
  }

  async function graphRequests(path: string): Promise<Array<{ method: string; status: number }>> {
    const log = await app.emulatorJson('GET', `/emulator/requests?path=${encodeURIComponent(path)}`);
    return log.body.value;
  }

  it('acquires an app token from the emulator issuer through MSAL and reads users', async () => {
    const users = await graph.get<{ value: Array<{ id: string; userPrincipalName: string }> }>('/users');
    assert.ok(users.value.length > 0);
    assert.ok(users.value.every((u) => u.id && u.userPrincipalName));
    const tokenRequests = await graphRequests(`/${LOCAL_APP.tenantId}/oauth2/v2.0/token`);
    assert.equal(tokenRequests.length, 1, 'one real token round trip');
    await graph.get('/users');
    assert.equal((await graphRequests(`/${LOCAL_APP.tenantId}/oauth2/v2.0/token`)).length, 1, 'the second call uses the cached token');
  });

  it('waits out a 429 with Retry-After and retries a GET', async () => {
    await app.emulatorJson('POST', '/emulator/faults', { match: { method: 'GET', path: '/v1.0/users' }, count: 1, status: 429, retryAfterSeconds: 2 });
    const users = await graph.get<{ value: unknown[] }>('/users');
    assert.ok(users.value.length > 0);
    assert.deepEqual(slept, [2000], 'slept exactly the Retry-After');
    assert.deepEqual((await graphRequests('/v1.0/users')).map((r) => r.status), [429, 200]);
  });

  it('retries 503 and 504 with backoff and gives up after the retry limit with graph/unavailable', async () => {
    await app.emulatorJson('POST', '/emulator/faults', { match: { method: 'GET', path: '/v1.0/users' }, count: 10, status: 503 });
    await assert.rejects(graph.get('/users'), (err: GraphError) => {
      assert.equal(err.code, 'graph/unavailable');
      assert.equal(err.status, 503);
      return true;
    });
    assert.equal(slept.length, 3, 'three retries, then the error');
    assert.equal((await graphRequests('/v1.0/users')).length, 4);
  });

  it('never repeats a non-idempotent POST on 429 and surfaces GraphError graph/throttled', async () => {
    await app.emulatorJson('POST', '/emulator/faults', { match: { method: 'POST', path: '/v1.0/communications/calls' }, count: 1, status: 429, retryAfterSeconds: 1 });
    await assert.rejects(graph.post('/communications/calls', { callbackUri: 'https://example.invalid/cb' }), (err: GraphError) => {
      assert.ok(err instanceof GraphError);
      assert.equal(err.code, 'graph/throttled');
      assert.equal(err.status, 429);
      assert.equal(err.retryAfterSeconds, 1);
      assert.ok(err.requestId, 'carries the request-id for support');
      return true;
    });
    assert.deepEqual(slept, []);
    assert.equal((await graphRequests('/v1.0/communications/calls')).length, 1, 'sent exactly once');
  });

  it('retries a POST explicitly marked repeatable', async () => {
    await app.emulatorJson('POST', '/emulator/faults', { match: { method: 'GET', path: '/v1.0/users/*' }, count: 1, status: 504 });
    const user = await graph.request<{ id: string }>('GET', '/users/' + (await graph.get<{ value: Array<{ id: string }> }>('/users')).value[0]!.id, { repeatable: true });
    assert.ok(user.body.id);
    assert.equal(slept.length, 1);
  });

  it('maps 404 to graph/not-found with Graph\'s error code', async () => {
    await assert.rejects(graph.get('/users/00000000-0000-0000-0000-000000000000'), (err: GraphError) => {
      assert.equal(err.code, 'graph/not-found');
      assert.equal(err.graphCode, 'Request_ResourceNotFound');
      return true;
    });
  });

  it('turns a rejected client secret into graph/token-failed naming the AADSTS code, without the secret', async () => {
    const wrong = client('not-the-secret-at-all');
    await assert.rejects(wrong.get('/users'), (err: GraphError) => {
      assert.equal(err.code, 'graph/token-failed');
      assert.match(err.message, /7000215/);
      assert.ok(!err.message.includes('not-the-secret-at-all'));
      return true;
    });
  });

  it('reports an unreachable Graph as graph/network after retrying a GET', async () => {
    const tokens = { getToken: async () => 'token' };
    const dead = new GraphClient({ baseUrl: 'http://127.0.0.1:9/v1.0', tokens, transport, sleep: async (ms) => void slept.push(ms) });
    await assert.rejects(dead.get('/users'), (err: GraphError) => err.code === 'graph/network');
    assert.equal(slept.length, 3);
  });

  it('times out a slow answer as graph/timeout', async () => {
    await app.emulatorJson('POST', '/emulator/faults', { match: { method: 'POST', path: '/v1.0/communications/calls' }, count: 1, delayMs: 1500 });
    const tokens = createMsalTokenProvider({
      clientId: LOCAL_APP.id,
      authorityUrl: app.emulator!.authorityUrl,
      credential: { kind: 'secret', secret: LOCAL_APP.secret },
      knownAuthorities: [new URL(app.emulator!.url).host],
      transport,
    });
    const impatient = new GraphClient({ baseUrl: app.emulator!.graphUrl, tokens, transport, timeoutMs: 300 });
    await assert.rejects(impatient.post('/communications/calls', {}), (err: GraphError) => err.code === 'graph/timeout');
  });
});
