// Calls end to end in local mode, over real HTTP between the app and the emulator: incoming and outbound calls,
// tones, group calls, participant control, the webhook's authentication, faulty notification streams, restarts.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import type { CallSession, CallToneEvent } from '../../comms/calls/index.js';
import { LOCAL_APP } from '../../server/config.js';
import { eventually, startLocalSwitchboard, startRestartableEmulator, type LocalSwitchboard } from '../support/local-switchboard.js';
import { act, behave, dial, directoryIds, truth, type PersonName } from './people.js';

describe('calls end to end (local mode)', function () {
  this.timeout(60_000);
  let app: LocalSwitchboard;
  let ids: Record<PersonName, string>;

  before(async () => {
    app = await startLocalSwitchboard();
    ids = await directoryIds(app);
  });
  after(async () => app?.stop());

  const session = (callId: string) => app.calls.getCall(callId);
  const stateIs = (callId: string, state: string) => eventually(async () => (await session(callId))?.state === state && (await session(callId))!, `call ${callId} to be ${state}`);

  it('answers an emulated caller and plays the menu prompt, which the emulator fetched and accepted', async () => {
    const callId = await dial(app, 'hana');
    await stateIs(callId, 'established');
    const played = await eventually(async () => (await truth(app, callId)).prompts.find((p: any) => p.status === 'played'), 'a prompt to be played');
    assert.match(played.uri, new RegExp(`^${app.url}/prompts/[0-9a-f]{64}\\.wav$`));
    const call = await truth(app, callId);
    assert.equal(call.state, 'established');
    assert.equal(call.toneSubscribed, true);
    await act(app, callId, 'hangup', { person: 'hana.sato@switchboard.test' });
    await stateIs(callId, 'terminated');
  });

  it('hears the keys the caller presses, in order', async () => {
    const callId = await dial(app, 'mateo');
    await stateIs(callId, 'established');
    await eventually(async () => (await truth(app, callId)).toneSubscribed, 'tone subscription');
    await act(app, callId, 'tones', { tones: '3*' });
    const tones = await eventually(() => {
      const heard = app.events.filter((e) => e.type === 'call.tone' && e.callId === callId) as unknown as CallToneEvent[];
      return heard.length >= 2 && heard;
    }, 'two tones');
    assert.deepEqual(tones.map((t) => t.tone), ['tone3', 'star']);
    assert.deepEqual((await session(callId))!.toneHistory.map((t) => t.tone), ['tone3', 'star']);
    await app.calls.hangUp(callId);
    await stateIs(callId, 'terminated');
  });

  it('places a peer-to-peer call the person answers, then hangs up', async () => {
    await behave(app, 'jonas', 'manual');
    const call = await app.calls.placeCall({ target: { kind: 'user', id: ids.jonas } });
    await eventually(async () => (await truth(app, call.id)).ringing?.length > 0, 'Jonas to be ringing');
    await act(app, call.id, 'answer', { person: 'jonas.lindqvist@switchboard.test' });
    await stateIs(call.id, 'established');
    const ended = await app.calls.hangUp(call.id);
    assert.ok(['terminating', 'terminated'].includes(ended.state));
    await stateIs(call.id, 'terminated');
    assert.equal((await truth(app, call.id)).state, 'terminated');
  });

  it('records a declined call as ended with the emulator\'s result', async () => {
    await behave(app, 'elif', 'decline');
    const call = await app.calls.placeCall({ target: { kind: 'user', id: ids.elif } });
    const ended = await stateIs(call.id, 'terminated');
    const emulated = await truth(app, call.id);
    assert.equal(Number(ended.resultInfo?.code), Number(emulated.resultInfo.code));
  });

  it('runs a group call: invite a second person, mute them, see the roster, hang up', async () => {
    await behave(app, 'jonas', 'answer');
    await behave(app, 'priya', 'answer');
    await behave(app, 'mateo', 'answer');
    const call = await app.calls.placeGroupCall({ targets: [{ kind: 'user', id: ids.jonas }, { kind: 'user', id: ids.mateo }] });
    await stateIs(call.id, 'established');
    await app.calls.invite(call.id, [{ target: { kind: 'user', id: ids.priya } }]);
    const priya = await eventually(async () => (await session(call.id))!.participants.find((p) => p.id && JSON.stringify(p.info).includes(ids.priya)), 'Priya in the roster with her id (the first roster after the invite prints id: null)');
    await app.calls.muteParticipant(call.id, priya.id!);
    await eventually(async () => (await truth(app, call.id)).participants.find((p: any) => p.personId === ids.priya)?.isMuted, 'Priya muted in the emulator');
    await eventually(async () => (await session(call.id))!.participants.find((p) => p.id === priya.id)?.isMuted, 'Priya muted in the app roster');
    const joined = app.events.filter((e) => e.type === 'call.participants' && e.callId === call.id);
    assert.ok(joined.length > 0, 'roster diffs were published');
    // The rosters came through the webhook into the roster log beside the store, as the bytes Graph sent.
    const logDir = join(app.dataDir, 'inbox-log');
    const logged = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8')).join('');
    assert.ok(logged.includes(`/communications/calls/${call.id}/participants`), 'the call\'s rosters are in DATA_DIR/inbox-log');
    await app.calls.hangUp(call.id);
    await stateIs(call.id, 'terminated');
  });

  describe('the calling webhook refuses what Microsoft did not sign', () => {
    const batch = JSON.stringify({ value: [{ changeType: 'created', resourceUrl: '/communications/calls/forged-1', resourceData: { state: 'incoming' } }] });
    const post = async (authorization?: string) => {
      const res = await request(`${app.url}/api/calling`, { method: 'POST', body: batch, headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) } });
      await res.body.text();
      return res.statusCode;
    };
    const sign = (claims: Parameters<NonNullable<LocalSwitchboard['emulator']>['signCallingToken']>[0]) => app.emulator!.signCallingToken(claims);

    const cases: Array<[string, () => Promise<string | undefined>, number]> = [
      ['no Authorization header', async () => undefined, 401],
      ['a non-Bearer scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`, 401],
      ['a token for another app', async () => `Bearer ${await sign({ audience: '00000000-0000-0000-0000-000000000001' })}`, 403],
      ['a token from an unknown issuer', async () => `Bearer ${await sign({ audience: LOCAL_APP.id, issuer: 'https://evil.example' })}`, 403],
      ['an expired token', async () => `Bearer ${await sign({ audience: LOCAL_APP.id, expiresInSeconds: -3600 })}`, 403],
      ['an unsigned token (alg none)', async () => `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ aud: LOCAL_APP.id, iss: 'https://api.botframework.com', tid: LOCAL_APP.tenantId, exp: 9999999999 })).toString('base64url')}.`, 403],
    ];
    for (const [name, token, status] of cases) {
      it(`answers ${status} to ${name} and records nothing`, async () => {
        assert.equal(await post(await token()), status);
        assert.equal(await session('forged-1'), undefined);
      });
    }

    it('accepts a correctly signed batch with 202, and a malformed one with 400', async () => {
      const auth = `Bearer ${await sign({ audience: LOCAL_APP.id })}`;
      const ok = await request(`${app.url}/api/calling`, { method: 'POST', body: JSON.stringify({ value: [] }), headers: { 'content-type': 'application/json', authorization: auth } });
      assert.equal(ok.statusCode, 202);
      await ok.body.text();
      const bad = await request(`${app.url}/api/calling`, { method: 'POST', body: JSON.stringify({ value: 'nope' }), headers: { 'content-type': 'application/json', authorization: auth } });
      assert.equal(bad.statusCode, 400);
      assert.equal((await bad.body.json() as any).error.code, 'calls/invalid-notification');
    });
  });
});

describe('calls under faulty notification streams', function () {
  this.timeout(60_000);

  /** One scripted call (dial, answer, tones, the caller hangs up) and the app's final view of it. */
  async function scriptedCall(faults: Array<Record<string, unknown>>): Promise<Pick<CallSession, 'state' | 'direction'> & { tones: string[]; endCode: number }> {
    const app = await startLocalSwitchboard();
    try {
      for (const fault of faults) assert.equal((await app.emulatorJson('POST', '/emulator/notification-faults', fault)).status, 201);
      const callId = await dial(app, 'hana');
      await eventually(async () => (await app.calls.getCall(callId))?.state === 'established', 'established');
      await eventually(async () => (await truth(app, callId)).toneSubscribed, 'tone subscription');
      await act(app, callId, 'tones', { tones: '56' });
      await eventually(async () => (await app.calls.getCall(callId))!.toneHistory.length === 2, 'two tones');
      await act(app, callId, 'hangup', { person: 'hana.sato@switchboard.test' });
      await eventually(async () => (await app.calls.getCall(callId))?.state === 'terminated', 'terminated');
      // Final means final: every notification of the call delivered (none queued or held by a fault) and processed.
      await eventually(async () => (await truth(app, callId)).notifications.every((n: any) => n.status !== 'queued' && n.status !== 'held'), 'all notifications delivered');
      await app.calls.idle();
      const ended = (await app.calls.getCall(callId))!;
      return { state: ended.state, direction: ended.direction, tones: ended.toneHistory.map((t) => t.tone), endCode: Number(ended.resultInfo?.code) };
    } finally {
      await app.stop();
    }
  }

  it('reaches the same final state with duplicated and reordered notifications as with a clean stream', async () => {
    const clean = await scriptedCall([]);
    const duplicated = await scriptedCall([{ action: 'duplicate', count: 50 }]);
    const reordered = await scriptedCall([{ action: 'reorder', count: 3 }]);
    assert.equal(clean.state, 'terminated');
    assert.deepEqual(duplicated, clean);
    assert.deepEqual(reordered, clean);
  });
});

describe('calls across an app restart', function () {
  this.timeout(60_000);

  it('still knows a live call after a restart, re-reads it from Graph and keeps it alive', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-restart-'));
    const { emulator, port } = await startRestartableEmulator(dataDir);
    let first: LocalSwitchboard | undefined;
    let second: LocalSwitchboard | undefined;
    try {
      first = await startLocalSwitchboard({ emulator, dataDir, port });
      const ids = await directoryIds(first);
      await behave(first, 'jonas', 'answer');
      const call = await first.calls.placeCall({ target: { kind: 'user', id: ids.jonas } });
      await eventually(async () => (await first!.calls.getCall(call.id))?.state === 'established', 'established before the restart');
      await first.stop();
      first = undefined;

      second = await startLocalSwitchboard({ emulator, dataDir, port, keepAliveIntervalMs: 1000 });
      const known = await second!.calls.getCall(call.id);
      assert.equal(known?.state, 'established', 'the restarted app remembers the call');
      await second!.calls.reconcile();
      const ready = (await (await request(`${second!.url}/readyz`)).body.json()) as { reconciled?: boolean; checks: { calls?: string } };
      assert.equal(ready.reconciled, true, '/readyz says the calls were re-read');
      assert.match(ready.checks.calls ?? '', /^reconciled: 1 live calls re-read/);
      const log = await second!.emulatorJson('GET', `/emulator/requests?path=${encodeURIComponent(`/v1.0/communications/calls/${call.id}`)}`);
      assert.ok(log.body.value.some((r: any) => r.method === 'GET'), 'it re-read the call from Graph on start');
      await eventually(async () => {
        const again = await second!.emulatorJson('GET', `/emulator/requests?path=${encodeURIComponent(`/v1.0/communications/calls/${call.id}/keepAlive`)}`);
        return again.body.value.filter((r: any) => r.status === 200).length >= 2;
      }, 'keepAlive after the restart');
      await second!.calls.hangUp(call.id);
    } finally {
      await first?.stop();
      await second?.stop();
      await emulator.close();
    }
  });

  it('marks a call that ended while the app was down as ended', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-restart-'));
    const { emulator, port } = await startRestartableEmulator(dataDir);
    try {
      const first = await startLocalSwitchboard({ emulator, dataDir, port });
      const ids = await directoryIds(first);
      await behave(first, 'priya', 'answer');
      const call = await first.calls.placeCall({ target: { kind: 'user', id: ids.priya } });
      await eventually(async () => (await first.calls.getCall(call.id))?.state === 'established', 'established');
      await first.stop();
      // Priya hangs up while the app is down: its notifications go nowhere.
      const agent = new Agent({ connect: { ca: emulator.caCertPem } });
      const control = async (method: string, path: string, body?: unknown) => {
        const res = await request(`${emulator.url}${path}`, { method: method as 'GET', dispatcher: agent, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        return (await res.body.json()) as any;
      };
      await control('POST', `/emulator/calls/${call.id}/hangup`, { person: 'priya.raman@switchboard.test' });
      await eventually(async () => (await control('GET', `/emulator/calls/${call.id}`)).state === 'terminated', 'the emulator to end the call');
      await agent.close();
      const second = await startLocalSwitchboard({ emulator, dataDir, port });
      try {
        await eventually(async () => (await second.calls.getCall(call.id))?.state === 'terminated', 'the app to notice on reconciliation');
      } finally {
        await second.stop();
      }
    } finally {
      await emulator.close();
    }
  });
});
