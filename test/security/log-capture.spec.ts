// Secret hygiene at debug level: a representative run — a person calls the bot, chat messages (help, a call placed
// from chat and answered), tab requests with a user token, calling webhooks with valid and forged tokens, refused
// requests carrying credentials — and then every captured log line is scanned: no JWT, no client secret, no
// Authorization value, no bearer token, and none of the tokens actually used.
import assert from 'node:assert/strict';
import { request } from 'undici';
import { LOCAL_APP } from '../../server/config.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { act, behave, dial, truth } from '../e2e/people.js';
import { tabJson, tabToken } from '../tab/tab-helpers.js';

describe('log capture at debug level: no secrets, tokens or Authorization values', function () {
  this.timeout(90_000);
  let app: LocalSwitchboard;
  let connector: FakeConnector;
  const used: string[] = [];

  before(async () => {
    app = await startLocalSwitchboard({ env: { LOG_LEVEL: 'debug' } });
    connector = await startFakeConnector();
  });
  after(async () => {
    await app?.stop();
    await connector?.close();
  });

  const chat = async (text: string, id: string) => {
    const before = connector.sent.length;
    const activity = {
      type: 'message', id, text, channelId: 'msteams', serviceUrl: connector.serviceUrl,
      from: { id: 'user-1', name: 'Test User', aadObjectId: undefined }, recipient: { id: 'bot', name: 'Switchboard' },
      conversation: { id: 'conversation-logs', conversationType: 'personal' },
    };
    const res = await request(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    await res.body.text();
    assert.ok(res.statusCode < 300, `chat "${text}": ${res.statusCode}`);
    await connector.waitFor(before + 1);
  };

  it('runs a person calling the bot', async () => {
    const callId = await dial(app, 'hana');
    await eventually(async () => {
      const t = await truth(app, callId);
      return t.state === 'established' || t.state === 'terminated';
    }, 'the bot to take the call', 20_000);
    if ((await truth(app, callId)).state !== 'terminated') await act(app, callId, 'hangup', { person: 'hana.sato@switchboard.test' }).catch(() => undefined);
    await eventually(async () => (await app.calls.getCall(callId))?.state === 'terminated', 'the call to end', 20_000);
  });

  it('runs chat: help, and a call placed from chat that is answered and ends', async () => {
    await chat('help', 'log-1');
    await behave(app, 'priya', 'answer');
    await chat('call Priya Raman', 'log-2');
    const call = await eventually(async () => (await app.calls.listCalls({ live: true })).find((c) => c.purpose === 'chat-call'), 'the chat call');
    await eventually(async () => (await truth(app, call.id)).state === 'established', 'Priya to answer', 20_000);
    await app.calls.hangUp(call.id);
    await eventually(async () => (await app.calls.getCall(call.id))?.state === 'terminated', 'the call to end', 20_000);
  });

  it('runs tab requests with a user token, and refused ones', async () => {
    const token = await tabToken(app, 'amara');
    used.push(token);
    assert.equal((await tabJson(app, token, 'GET', '/api/tab/me')).status, 200);
    assert.equal((await tabJson(app, token, 'GET', '/api/tab/calls')).status, 200);
    const tampered = `${token.slice(0, -4)}AAAA`;
    used.push(tampered);
    assert.equal((await tabJson(app, tampered, 'GET', '/api/tab/me')).status, 401);
  });

  it('runs calling webhooks with a valid and a forged token', async () => {
    const valid = await app.emulator!.signCallingToken({ audience: LOCAL_APP.id });
    const forged = await app.emulator!.signCallingToken({ audience: '00000000-0000-0000-0000-000000000001' });
    used.push(valid, forged);
    for (const [token, status] of [[valid, 202], [forged, 403]] as const) {
      const res = await request(`${app.url}/api/calling`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ value: [] }) });
      await res.body.text();
      assert.equal(res.statusCode, status);
    }
    const refused = await request(`${app.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${valid}` }, body: 'x' });
    await refused.body.text();
    assert.equal(refused.statusCode, 415);
  });

  it('logged plenty at debug level, and not one secret', () => {
    const all = app.logs.join('');
    assert.ok(app.logs.length > 30, `a representative amount was logged (${app.logs.length} lines)`);
    assert.ok(all.includes('"level":20'), 'debug lines are in the capture');
    assert.doesNotMatch(all, /eyJ[\w-]+\.eyJ[\w-]+\./, 'no JWT');
    assert.ok(!all.includes(LOCAL_APP.secret), 'no client secret');
    assert.doesNotMatch(all, /bearer\s+[\w-]/i, 'no bearer token');
    assert.doesNotMatch(all, /"authorization"\s*:\s*"(?!\[redacted\])/i, 'no Authorization value');
    assert.doesNotMatch(all, /client_secret=|client_assertion=/i, 'no form-encoded credential');
    for (const token of used) {
      for (const part of token.split('.').filter((p) => p.length > 16)) assert.ok(!all.includes(part), 'no piece of a token that was used');
    }
  });
});
