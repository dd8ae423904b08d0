// Emulated people answer by themselves under npm start (issue 18, item 7): "call Priya" connects and a reminder is
// confirmed with nobody at the console; a person the console switched to manual rings until answered there, and only
// then does the ringing card say "answer in the emulator console".
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { act, truth, UPN } from './people.js';

describe('emulated people on auto, as under npm start (end to end)', function () {
  this.timeout(60_000);
  let app: LocalSwitchboard;
  let connector: FakeConnector;
  let seq = 0;
  before(async () => {
    // What npm start does (its people answer after a couple of rings; here a short one).
    app = await startLocalSwitchboard({ emulatorOptions: { peopleAnswer: 'auto', peopleAnswerDelayMs: 50 } });
    connector = await startFakeConnector();
  });
  after(async () => {
    await app?.stop();
    await connector?.close();
  });

  async function say(text: string): Promise<{ reply: any; activityId: string }> {
    const before = connector.sent.length;
    const activity = {
      type: 'message', id: `m-${++seq}`, text, channelId: 'msteams', serviceUrl: connector.serviceUrl,
      from: { id: 'user-1', name: 'Test User', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000001' }, recipient: { id: 'bot', name: 'Switchboard' },
      conversation: { id: 'chat-auto', conversationType: 'personal' },
    };
    const res = await request(`${app.url}/api/messages`, { method: 'POST', body: JSON.stringify(activity), headers: { 'content-type': 'application/json' } });
    await res.body.text();
    const index = await eventually(() => {
      const i = connector.sent.findIndex((s, n) => n >= before && s.activity.type === 'message');
      return i >= 0 ? i + 1 : undefined;
    }, `a reply to "${text}"`);
    return { reply: connector.sent[index - 1]!.activity, activityId: `reply-${index}` };
  }
  const cardText = (activity: any) => JSON.stringify(activity.attachments?.[0]?.content ?? {});
  const updatesOf = (activityId: string) => connector.updates.filter((u) => u.activityId === activityId).map((u) => cardText(u.activity));

  it('"call Priya Raman" connects with nobody at the console, and the card does not send anyone there', async () => {
    const { reply } = await say('call Priya Raman');
    assert.match(cardText(reply), /Ringing/);
    assert.doesNotMatch(cardText(reply), /emulator console/);
    const call = await eventually(async () => (await app.calls.listCalls({ live: true })).find((c) => c.purpose === 'chat-call' && c.state === 'established'), 'Priya answering by herself');
    await act(app, call.id, 'hangup', { person: UPN.priya });
  });

  it('a reminder is answered and confirmed (1) by the person on auto', async () => {
    const { reply } = await say('remind Priya Raman in 1 second to send the report');
    assert.match(cardText(reply), /Reminder call for Priya Raman/);
    await eventually(() => connector.updates.some((u) => /Confirmed/.test(cardText(u.activity))), 'the reminder card to say Confirmed', 30_000);
    const reminder = (await app.reminders.list()).find((r) => r.message === 'send the report')!;
    assert.equal(reminder.status, 'confirmed');
    assert.equal(reminder.attempts, 1, 'answered at the first attempt, no retries');
    assert.deepEqual((await truth(app, reminder.callId!)).tones.map((t: any) => t.tone), ['tone1']);
  });

  it('switched to manual in the console, a person rings until answered there, and the card says where', async () => {
    const set = await app.emulatorJson('PUT', `/emulator/people/${UPN.jonas}/behavior`, { onCall: 'manual' });
    assert.equal(set.status, 200);
    const { reply, activityId } = await say('call Jonas Lindqvist');
    assert.match(cardText(reply), /Jonas Lindqvist answers by hand in this local setup: answer in the emulator console, https:\/\/127\.0\.0\.1:\d+\/emulator\/console\?person=jonas\.lindqvist%40switchboard\.test/);
    const call = (await app.calls.listCalls({ live: true })).find((c) => c.purpose === 'chat-call')!;
    await eventually(async () => (await truth(app, call.id)).ringing?.length > 0, 'Jonas ringing');
    await act(app, call.id, 'answer', { person: UPN.jonas });
    await eventually(() => updatesOf(activityId).some((t) => /Connected/.test(t)), 'the card to say Connected');
    assert.doesNotMatch(updatesOf(activityId).find((t) => /Connected/.test(t))!, /emulator console/, 'the hint goes once the call is answered');
    await act(app, call.id, 'hangup', { person: UPN.jonas });
  });
});
