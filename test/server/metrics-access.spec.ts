// Who may read /metrics: local mode on loopback, open; cloud mode only with METRICS_TOKEN as a bearer token (401
// without it or with a wrong one), and not at all without it (404); METRICS_PORT serves it alone on 127.0.0.1.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'restify';
import { request } from 'undici';
import { ConfigError } from '../../server/config-error.js';
import { loadConfig } from '../../server/config.js';
import { createHttpServer } from '../../server/http-server.js';
import { createLogger } from '../../server/logger.js';
import { registerMetricsRoute, startMetricsServer, type MetricsAccess } from '../../server/metrics/index.js';

const TOKEN = 'a'.repeat(24) + '0123456789abcdef';
const CLOUD = {
  MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
  MicrosoftAppPassword: 'not-a-real-secret',
  MicrosoftAppTenantId: '66666666-7777-8888-9999-000000000000',
  PUBLIC_BASE_URL: 'https://switchboard.example.com',
};
const silent = createLogger('silent');
const fakeMetrics = { contentType: 'text/plain; version=0.0.4; charset=utf-8', text: async () => 'switchboard_calls_live 0\n' };

async function serve(access: MetricsAccess): Promise<{ url: string; server: Server }> {
  const server = createHttpServer(silent, {});
  registerMetricsRoute(server, fakeMetrics, access);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, server };
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const res = await request(url, { headers });
  return { status: res.statusCode, body: await res.body.text(), headers: res.headers };
}

describe('server/metrics: access to /metrics', () => {
  const servers: Server[] = [];
  after(() => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))));

  it('cloud mode with METRICS_TOKEN: no token → 401, a wrong one → 401, the right one → 200', async () => {
    const config = loadConfig({ ...CLOUD, METRICS_TOKEN: TOKEN }, '/tmp');
    assert.equal(config.mode, 'cloud');
    const { url, server } = await serve({ mode: config.mode, token: config.metrics.token });
    servers.push(server);
    const none = await get(url);
    assert.equal(none.status, 401);
    assert.match(String(none.headers['www-authenticate']), /^Bearer/);
    assert.doesNotMatch(none.body, /switchboard_calls_live/);
    assert.equal((await get(url, { authorization: `Bearer ${TOKEN.slice(0, -1)}x` })).status, 401, 'same length, one character off');
    assert.equal((await get(url, { authorization: 'Bearer short' })).status, 401);
    assert.equal((await get(url, { authorization: `Basic ${TOKEN}` })).status, 401, 'only a bearer token');
    const ok = await get(url, { authorization: `Bearer ${TOKEN}` });
    assert.equal(ok.status, 200);
    assert.equal(ok.body, 'switchboard_calls_live 0\n');
    assert.match(String(ok.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  });

  it('cloud mode without METRICS_TOKEN: /metrics is not exposed (404)', async () => {
    const config = loadConfig(CLOUD, '/tmp');
    const { url, server } = await serve({ mode: config.mode, token: config.metrics.token });
    servers.push(server);
    const res = await get(url, { authorization: `Bearer ${TOKEN}` });
    assert.equal(res.status, 404);
    assert.doesNotMatch(res.body, /switchboard_/);
  });

  it('local mode: open on loopback', async () => {
    const { url, server } = await serve({ mode: 'local' });
    servers.push(server);
    assert.equal((await get(url)).status, 200);
  });

  it('METRICS_PORT serves only /metrics, on 127.0.0.1, to its own Host only', async () => {
    const config = loadConfig({ ...CLOUD, METRICS_PORT: '0' }, '/tmp');
    assert.equal(config.metrics.port, 0);
    const running = await startMetricsServer(fakeMetrics, config.metrics.port!, silent);
    try {
      assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const ok = await get(running.url);
      assert.equal(ok.status, 200);
      assert.equal(ok.body, 'switchboard_calls_live 0\n');
      assert.equal((await get(running.url.replace('/metrics', '/readyz'))).status, 404);
      assert.equal((await get(running.url, { host: 'metrics.attacker.example' })).status, 421, 'DNS rebinding is refused');
    } finally {
      await running.close();
    }
  });

  it('METRICS_TOKEN must be long enough, and a rejected token is never echoed', () => {
    for (const bad of ['short-token', 'has spaces in it but is long enough to pass the length']) {
      assert.throws(() => loadConfig({ ...CLOUD, METRICS_TOKEN: bad }, '/tmp'), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.ok(err.problems.some((p) => p.variable === 'METRICS_TOKEN'));
        assert.doesNotMatch(err.message + JSON.stringify(err.problems), new RegExp(bad));
        return true;
      });
    }
    assert.throws(() => loadConfig({ ...CLOUD, METRICS_PORT: '70000' }, '/tmp'), ConfigError);
  });
});
