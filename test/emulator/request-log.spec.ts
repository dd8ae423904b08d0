// The request log records every non-control request with its bodies — and never a secret, assertion or token.

import assert from 'node:assert/strict';
import { RequestLog } from '../../emulator/control/request-log.js';
import { describeBody, redact } from '../../emulator/control/redaction.js';
import { DEV_APP, DEV_SECRET, GRAPH_SCOPE, startHarness, type Harness } from './emulator-harness.js';

describe('emulator request log', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });

  after(async () => {
    await h.close();
  });

  it('records token and Graph requests with app id, status and redacted bodies', async () => {
    await h.call('DELETE', '/emulator/requests');
    const tokenReply = await h.tokenRequest({ grant_type: 'client_credentials', client_id: DEV_APP.clientId, client_secret: DEV_SECRET, scope: GRAPH_SCOPE });
    const token = tokenReply.json.access_token as string;
    await h.call('GET', '/v1.0/users?$top=1', { token });
    await h.tokenRequest({ grant_type: 'client_credentials', client_id: DEV_APP.clientId, client_secret: 'a-wrong-secret-value', scope: GRAPH_SCOPE });

    const reply = await h.call('GET', '/emulator/requests');
    assert.equal(reply.status, 200);
    const [tokenEntry, graphEntry, failedEntry] = reply.json.value;
    assert.equal(reply.json.value.length, 3);

    assert.equal(tokenEntry.method, 'POST');
    assert.equal(tokenEntry.path, `/${h.emulator.tenantId}/oauth2/v2.0/token`);
    assert.equal(tokenEntry.status, 200);
    assert.equal(tokenEntry.appId, DEV_APP.clientId);
    assert.equal(tokenEntry.requestBody.client_secret, '[redacted]');
    assert.equal(tokenEntry.requestBody.client_id, DEV_APP.clientId);
    assert.equal(tokenEntry.responseBody.access_token, '[redacted]');
    assert.equal(typeof tokenEntry.durationMs, 'number');

    assert.equal(graphEntry.path, '/v1.0/users');
    assert.deepEqual(graphEntry.query, { $top: '1' });
    assert.equal(graphEntry.appId, DEV_APP.clientId);
    assert.equal(graphEntry.responseBody.value.length, 1);
    assert.ok(graphEntry.seq > tokenEntry.seq);

    assert.equal(failedEntry.status, 401);
    assert.deepEqual(failedEntry.responseBody.error_codes, [7000215]);

    const everything = reply.text;
    for (const secret of [DEV_SECRET, 'a-wrong-secret-value', token, token.split('.')[1]!]) {
      assert.ok(!everything.includes(secret), 'the log must not contain secrets or tokens');
    }
  });

  it('redacts a client assertion', async () => {
    await h.call('DELETE', '/emulator/requests');
    const assertion = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl';
    await h.tokenRequest({ grant_type: 'client_credentials', client_id: DEV_APP.clientId, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion, scope: GRAPH_SCOPE });
    const reply = await h.call('GET', '/emulator/requests');
    assert.equal(reply.json.value[0].requestBody.client_assertion, '[redacted]');
    assert.ok(!reply.text.includes('eyJpc3MiOiJ4In0'));
  });

  it('filters by since and path prefix, and does not record control requests', async () => {
    await h.call('DELETE', '/emulator/requests');
    const token = await h.appToken();
    const mark = (await h.call('GET', '/emulator/requests')).json.lastSeq as number;
    await h.call('GET', '/v1.0/users', { token });
    await h.call('GET', `/${h.emulator.tenantId}/discovery/v2.0/keys`);
    await h.call('GET', '/emulator/health');

    const since = (await h.call('GET', `/emulator/requests?since=${mark}`)).json.value;
    assert.deepEqual(since.map((e: { path: string }) => e.path), ['/v1.0/users', `/${h.emulator.tenantId}/discovery/v2.0/keys`]);
    const graphOnly = (await h.call('GET', '/emulator/requests?path=/v1.0')).json.value;
    assert.deepEqual(graphOnly.map((e: { path: string }) => e.path), ['/v1.0/users']);
    const bad = await h.call('GET', '/emulator/requests?since=yesterday');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'emulator/invalid-query');
  });

  it('clears on DELETE and keeps counting sequence numbers', async () => {
    await h.call('GET', '/skype/v1/keys');
    const before = (await h.call('GET', '/emulator/requests')).json.lastSeq as number;
    assert.equal((await h.call('DELETE', '/emulator/requests')).status, 200);
    assert.deepEqual((await h.call('GET', '/emulator/requests')).json.value, []);
    await h.call('GET', '/skype/v1/keys');
    const after = (await h.call('GET', '/emulator/requests')).json.value;
    assert.equal(after[0].seq, before + 1);
  });

  describe('ring and redaction units', () => {
    it('keeps only the newest entries when full', () => {
      const log = new RequestLog(3);
      for (let i = 0; i < 5; i++) log.record({ time: '', method: 'GET', path: `/${i}`, query: {}, status: 200, durationMs: 0 });
      assert.deepEqual(log.list().map((e) => e.path), ['/2', '/3', '/4']);
      assert.equal(log.lastSeq, 5);
    });

    const cases: Array<{ name: string; input: unknown; expected: unknown }> = [
      { name: 'top-level secret fields', input: { client_secret: 's', scope: 'x' }, expected: { client_secret: '[redacted]', scope: 'x' } },
      { name: 'nested fields in any case', input: { a: [{ Access_Token: 't', recordingAccessToken: 'r', clientState: 'c' }] }, expected: { a: [{ Access_Token: '[redacted]', recordingAccessToken: '[redacted]', clientState: '[redacted]' }] } },
      { name: 'JWTs inside strings', input: { note: 'Bearer eyJa.eyJb.sig here' }, expected: { note: 'Bearer [redacted] here' } },
      { name: 'plain values', input: [1, null, true, 'text'], expected: [1, null, true, 'text'] },
    ];
    for (const row of cases) {
      it(`redacts ${row.name}`, () => {
        assert.deepEqual(redact(row.input), row.expected);
      });
    }

    it('truncates huge bodies after redacting them', () => {
      const huge = JSON.stringify({ client_secret: 'SECRET', filler: 'x'.repeat(100_000) });
      const described = describeBody(Buffer.from(huge), 'application/json') as { '[truncated]': boolean; preview: string };
      assert.equal(described['[truncated]'], true);
      assert.ok(described.preview.length < 5000);
      assert.ok(!described.preview.includes('SECRET'));
    });

    it('describes a binary body by its size only', () => {
      assert.deepEqual(describeBody(Buffer.from([1, 2, 3]), 'audio/wav'), { '[binary]': true, bytes: 3 });
    });
  });
});
