// The cloud-mode edge on a bare HTTP host (no Microsoft to talk to): /api/messages refuses a request without a bearer
// token before reading its body, no source maps are served, no Server header is sent, and local mode's recording
// allowlist names the emulator's port, not the whole loopback interface.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import type { Server } from 'restify';
import { request } from 'undici';
import { createAdapter } from '../../bot/adapter.js';
import { registerMessagesRoute } from '../../bot/messages-route.js';
import type { TeamsBot } from '../../bot/teams-bot.js';
import { checkRecordingLocation } from '../../comms/calls/recording.js';
import { createHttpServer, jsonBody } from '../../server/http-server.js';
import { createLogger } from '../../server/logger.js';
import { LOCAL_ENDPOINTS } from '../../server/start.js';
import { registerPageRoutes } from '../../tab/server/page-routes.js';
import type { WebAssets } from '../../tab/server/web-assets.js';
import { zeroBomb } from './edge-harness.js';

const ASSETS: WebAssets = {
  page: () => undefined,
  file: (name) => (name === 'side-panel.ABC.js.map' || name === 'side-panel.ABC.js' ? { body: Buffer.from('{}'), contentType: 'application/json; charset=utf-8' } : undefined),
};

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the cloud-mode edge', () => {
  let server: Server;
  let url: string;
  let botRan = 0;

  before(async () => {
    server = createHttpServer(createLogger('silent'));
    const adapter = createAdapter(
      { mode: 'cloud', appId: '11111111-2222-3333-4444-555555555555', tenantId: '66666666-7777-8888-9999-000000000000', appType: 'SingleTenant', credential: { kind: 'secret', secret: 'not-used' } },
      createLogger('silent'),
    );
    const bot = { run: async () => void botRan++ } as unknown as TeamsBot;
    registerMessagesRoute(server, jsonBody(), adapter, bot, { requireBearer: true });
    registerPageRoutes(server, { assets: ASSETS, mode: 'cloud' });
    url = await listen(server);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const unauthenticated: Array<[string, Record<string, string>]> = [
    ['no Authorization header', {}],
    ['a Basic credential', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['a bearer value that is not a JWT', { authorization: 'Bearer not-a-token' }],
    ['a lowercase scheme', { authorization: 'bearer a.b.c' }],
  ];
  for (const [name, headers] of unauthenticated) {
    it(`/api/messages answers 401 to ${name}, before reading the body (a gzip bomb is never inflated)`, async () => {
      const bomb = await zeroBomb(50, 'gzip');
      const res = await request(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...headers }, body: bomb });
      assert.equal(res.statusCode, 401);
      assert.equal(((await res.body.json()) as any).error.code, 'bot/unauthenticated');
      assert.equal(botRan, 0);
    });
  }

  it('/api/messages with a bearer-shaped token still reads the body bounded: a gzip bomb is 413, the bot never runs', async () => {
    const bomb = await zeroBomb(600, 'gzip');
    const res = await request(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln' }, body: bomb });
    assert.equal(res.statusCode, 413);
    assert.equal(((await res.body.json()) as any).error.code, 'http/payload-too-large');
    assert.equal(botRan, 0);
  });

  it('/api/messages answers 401 while the body is still being sent (it was never waited for)', async () => {
    const body = new PassThrough();
    body.write('{"type":"message",');
    // The body never ends: only an answer that does not read it can arrive.
    const res = await request(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(res.statusCode, 401);
    await res.body.text();
    body.destroy();
  });

  it('serves no source maps in cloud mode (the bundle itself still loads)', async () => {
    const map = await request(`${url}/tab/assets/side-panel.ABC.js.map`);
    assert.equal(map.statusCode, 404);
    await map.body.text();
    const js = await request(`${url}/tab/assets/side-panel.ABC.js`);
    assert.equal(js.statusCode, 200);
    await js.body.text();
  });

  it('sends no Server header', async () => {
    const res = await request(`${url}/tab/assets/side-panel.ABC.js`);
    await res.body.text();
    assert.equal(res.headers.server, undefined);
  });

  it('local mode still serves source maps (debugging)', async () => {
    const local = createHttpServer(createLogger('silent'));
    registerPageRoutes(local, { assets: ASSETS, mode: 'local' });
    const localUrl = await listen(local);
    try {
      const map = await request(`${localUrl}/tab/assets/side-panel.ABC.js.map`);
      assert.equal(map.statusCode, 200);
      await map.body.text();
    } finally {
      await new Promise<void>((resolve) => local.close(() => resolve()));
    }
  });
});

describe('local mode recording allowlist', () => {
  const emulator = { url: 'https://127.0.0.1:43979', graphUrl: 'https://127.0.0.1:43979/v1.0', authorityUrl: 'https://127.0.0.1:43979/t', caCertPem: '', callingOpenIdMetadataUrl: 'https://127.0.0.1:43979/c' };
  const hosts = LOCAL_ENDPOINTS(emulator).recordingLoopbackHosts;

  it('allows the emulator\'s own port', () => {
    assert.ok(checkRecordingLocation('https://127.0.0.1:43979/media/recordings/r1', [], hosts));
  });

  for (const location of ['https://127.0.0.1:6379/media/recordings/r1', 'http://127.0.0.1:3978/api/tab/dev/token', 'https://127.0.0.1/media/recordings/r1', 'https://localhost:43979/media/recordings/r1']) {
    it(`refuses another loopback service: ${location}`, () => {
      assert.throws(() => checkRecordingLocation(location, [], hosts), (err: { code?: string }) => err.code === 'calls/recording-host-not-allowed');
    });
  }
});
