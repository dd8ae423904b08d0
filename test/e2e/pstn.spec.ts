// Phone calls (PSTN) end to end in local mode, through the emulator's application instance (the bot's resource
// account, +1 425 555 0100): "call +E.164" from chat rings an emulated phone that answers and hangs up, and calls
// from phones to the instance's number are handled by the front desk — answered into a menu whose key transfers to
// another phone, or redirected to a phone by a rule. A Teams caller's rule that names a phone cannot be redirected
// there (Graph redirects to phones only calls to the instance): the phone is skipped.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { isEventOf } from '../../comms/store/index.js';
import { LOCAL_APP } from '../../server/config.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { act, dial, directoryIds, truth, UPN } from './people.js';

const DIALLED = '+14255550143';
const CALLER = '+442079460958';
const KNOWN_CALLER = '+14255550142';
const INSTANCE_NUMBER = '+14255550100';

function deskFile(dir: string): string {
  const desk = {
    timezone: 'UTC',
    people: { reception: UPN.amara, oncall: DIALLED },
    groups: { known: [KNOWN_CALLER], vip: [UPN.grace] },
    rules: [
      { name: 'Known phone to on-call', when: { callerIn: 'known' }, then: { action: 'redirect', to: 'oncall', timeoutSeconds: 20 } },
      { name: 'VIP to on-call', when: { callerIn: 'vip' }, then: { action: 'redirect', to: 'oncall', timeoutSeconds: 20 } },
    ],
    default: { action: 'answer', menu: 'main' },
    menus: {
      main: { prompt: { text: 'Press 1 for the on-call engineer.' }, options: { '1': { action: 'transfer', to: 'oncall' } }, timeoutSeconds: 10 },
    },
  };
  const path = join(dir, 'desk.json');
  writeFileSync(path, JSON.stringify(desk, null, 2));
  return path;
}

describe('phone calls (PSTN) end to end (local mode)', function () {
  this.timeout(60_000);
  let app: LocalSwitchboard;
  let connector: FakeConnector;
  let seq = 0;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-pstn-'));
    app = await startLocalSwitchboard({ env: { FRONT_DESK_FILE: deskFile(dir) } });
    connector = await startFakeConnector();
  });
  after(async () => {
    await app?.stop();
    await connector?.close();
  });

  const behave = async (number: string, onCall: string) => {
    const res = await app.emulatorJson('PUT', `/emulator/phones/${number}/behavior`, { onCall, answerDelayMs: 50 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  const phoneDials = async (number: string) => {
    const res = await app.emulatorJson('POST', `/emulator/phones/${number}/dial`, { to: INSTANCE_NUMBER });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.callId as string;
  };
  const handled = (callId: string) => eventually(() => app.events.filter(isEventOf('frontdesk.handled')).find((e) => e.callId === callId), `the front desk to handle ${callId}`);

  async function say(text: string): Promise<any[]> {
    const before = connector.sent.length;
    const activity = {
      type: 'message',
      id: `m-${++seq}`,
      text,
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      from: { id: 'user-1', name: 'Test User', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000001' },
      recipient: { id: 'bot', name: 'Switchboard' },
      conversation: { id: 'chat-pstn', conversationType: 'personal' },
    };
    const res = await request(`${app.url}/api/messages`, { method: 'POST', body: JSON.stringify(activity), headers: { 'content-type': 'application/json' } });
    assert.ok(res.statusCode < 300, `status ${res.statusCode}`);
    await res.body.text();
    await eventually(() => connector.sent.slice(before).some((s) => s.activity.type === 'message'), `a reply to "${text}"`);
    return connector.sent.slice(before).map((s) => s.activity).filter((a) => a.type === 'message');
  }
  const cardText = (activity: any) => JSON.stringify(activity.attachments?.[0]?.content ?? {});

  it('"call +1 425 555 0143" places a PSTN call from the application instance; the phone answers, the card follows, the phone hangs up', async () => {
    await behave(DIALLED, 'manual');
    const [reply] = await say('call +1 425 555 0143');
    assert.match(cardText(reply), /Call with \+14255550143/);
    assert.match(cardText(reply), /Ringing/);
    const call = (await app.calls.listCalls({ live: true })).find((c) => c.purpose === 'chat-call' && JSON.stringify(c.targets).includes(DIALLED))!;
    assert.ok(call, 'the chat call is stored');
    const emulated = await eventually(async () => { const t = await truth(app, call.id); return t.ringing?.length > 0 && t; }, 'the phone to ring');
    // The create named the instance as its source (the emulator echoes it, and refuses PSTN calls without one).
    assert.equal((call.source?.identity?.applicationInstance as { id?: string } | undefined)?.id, LOCAL_APP.applicationInstanceId);
    assert.deepEqual(emulated.ringing.map((r: any) => r.person), [DIALLED]);
    await act(app, call.id, 'answer', { person: DIALLED });
    await eventually(() => connector.updates.some((u) => /Connected/.test(cardText(u.activity))), 'the card to say Connected');
    assert.equal((await app.calls.getCall(call.id))?.state, 'established');
    await act(app, call.id, 'tones', { person: DIALLED, tones: '5' });
    await act(app, call.id, 'hangup', { person: DIALLED });
    await eventually(() => connector.updates.some((u) => /Ended/.test(cardText(u.activity))), 'the card to say Ended');
  });

  it('"call +12" is not a number it can dial: usage, and no call is placed', async () => {
    const before = (await app.calls.listCalls()).length;
    const [reply] = await say('call +12');
    assert.match(String(reply.text), /international format/);
    assert.equal((await app.calls.listCalls()).length, before);
  });

  it('a phone calling the instance\'s number is answered into the menu; pressing 1 transfers it to the on-call phone', async () => {
    await behave(DIALLED, 'answer');
    const callId = await phoneDials(CALLER);
    const entry = await handled(callId);
    assert.equal(entry.action, 'answer');
    assert.equal(entry.caller.phone, CALLER);
    await eventually(async () => (await truth(app, callId)).prompts[0]?.status === 'played', 'the menu prompt');
    await act(app, callId, 'tones', { person: CALLER, tones: '1' });
    const done = await eventually(async () => { const s = await app.calls.getCall(callId); return s?.state === 'terminated' && s; }, 'the transfer to complete');
    assert.equal(Number(done.resultInfo?.subcode), 7015);
    assert.equal((await truth(app, callId)).transfer.target, DIALLED);
    const sent = await app.emulatorJson('GET', `/emulator/requests?path=${encodeURIComponent(`/v1.0/communications/calls/${callId}/transfer`)}`);
    assert.deepEqual(sent.body.value.map((r: { status: number }) => r.status), [202], 'one transfer request, accepted');
  });

  it('a Teams caller pressing 1 (a transfer to a phone): not sent, as Graph transfers to phones only from the instance\'s calls; the call ends politely', async () => {
    const callId = await dial(app, 'mateo');
    await handled(callId);
    await eventually(async () => (await truth(app, callId)).prompts[0]?.status === 'played', 'the menu prompt');
    await act(app, callId, 'tones', { tones: '1' });
    await eventually(() => app.events.find((e) => e.type === 'ivr.step' && e.callId === callId && e.step === 'ended-politely'), 'the polite ending');
    await eventually(async () => (await truth(app, callId)).state === 'terminated', 'the call to end');
    assert.equal((await truth(app, callId)).transfer ?? undefined, undefined, 'no transfer happened');
    const sent = await app.emulatorJson('GET', `/emulator/requests?path=${encodeURIComponent(`/v1.0/communications/calls/${callId}/transfer`)}`);
    assert.equal(sent.status, 200);
    assert.deepEqual(sent.body.value, [], 'the app did not even ask Graph (it would refuse with 400)');
  });

  it('a known phone calling the instance is redirected by its rule to the on-call phone, which rings', async () => {
    await behave(DIALLED, 'manual');
    const callId = await phoneDials(KNOWN_CALLER);
    const entry = await handled(callId);
    assert.equal(entry.rule, 'Known phone to on-call');
    assert.equal(entry.action, 'redirect');
    const redirect = await eventually(async () => (await truth(app, callId)).redirect, 'the emulator to record the redirect');
    assert.deepEqual(redirect.targets, [DIALLED]);
    await eventually(async () => (await truth(app, callId)).ringing?.some((r: any) => r.person === DIALLED), 'the on-call phone to ring');
    await act(app, callId, 'answer', { person: DIALLED });
    assert.equal((await truth(app, callId)).redirect.answeredBy, DIALLED);
  });

  it('a phone dialling into a meeting shows in the app\'s roster as "Phone ending 0143", by phone, never its whole number', async () => {
    const ids = await directoryIds(app);
    const meeting = await app.meetings!.create({ organizerId: ids.amara, subject: 'Dial-in' });
    const { meetingKey } = await app.meetings!.join({ link: meeting.joinWebUrl! });
    const joined = await app.emulatorJson('POST', `/emulator/meetings/${meeting.id}/people`, { person: DIALLED });
    assert.equal(joined.status, 201, JSON.stringify(joined.body));
    const entry = await eventually(async () => (await app.meetings!.roster(meetingKey)).entries.find((e) => e.viaPhone), 'the phone in the roster', 20_000);
    assert.equal(entry.displayName, 'Phone ending 0143');
    assert.equal(entry.isBot, false);
    assert.doesNotMatch(JSON.stringify((await app.meetings!.roster(meetingKey)).entries), /4255550143/);
    await app.meetings!.leave(meetingKey);
  });

  it('a Teams caller whose rule redirects to a phone: the phone is skipped (not a call to the instance) and the call is declined', async () => {
    const callId = await dial(app, 'grace');
    const entry = await handled(callId);
    assert.equal(entry.rule, 'VIP to on-call');
    assert.match(String(entry.detail), /phone numbers skipped/);
    assert.equal(entry.error, undefined);
    await eventually(async () => (await truth(app, callId)).state === 'terminated', 'the call to end');
    assert.equal((await truth(app, callId)).rejectReason, 'busy');
    assert.equal((await truth(app, callId)).redirect ?? undefined, undefined);
  });
});
