// Chat end to end in local mode: activities POSTed to /api/messages as Teams would, the bot's answers and in-place
// card updates captured at a stand-in Bot Connector, the calls happening for real against the emulator.
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { eventually, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { act, behave, truth } from './people.js';

describe('chat end to end (local mode)', function () {
  this.timeout(60_000);
  let app: LocalSwitchboard;
  let connector: FakeConnector;
  let seq = 0;

  before(async () => {
    app = await startLocalSwitchboard();
    connector = await startFakeConnector();
  });
  after(async () => {
    await app?.stop();
    await connector?.close();
  });

  /** Sends a chat message as a person in a personal chat; resolves with the bot's new messages. */
  async function say(text: string, conversation = 'chat-1', aadObjectId = 'aaaaaaaa-0000-0000-0000-000000000001'): Promise<any[]> {
    const before = connector.sent.length;
    const activity = {
      type: 'message',
      id: `m-${++seq}`,
      text,
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      from: { id: 'user-1', name: 'Test User', aadObjectId },
      recipient: { id: 'bot', name: 'Switchboard' },
      conversation: { id: conversation, conversationType: 'personal' },
    };
    const res = await request(`${app.url}/api/messages`, { method: 'POST', body: JSON.stringify(activity), headers: { 'content-type': 'application/json' } });
    assert.ok(res.statusCode < 300, `status ${res.statusCode}`);
    await res.body.text();
    await eventually(() => connector.sent.slice(before).some((s) => s.activity.type === 'message'), `a reply to "${text}"`);
    return connector.sent.slice(before).map((s) => s.activity).filter((a) => a.type === 'message');
  }

  const cardText = (activity: any) => JSON.stringify(activity.attachments?.[0]?.content ?? {});

  it('"call <name>" rings the person and the call card updates in place as they answer and hang up', async () => {
    await behave(app, 'jonas', 'manual');
    const [reply] = await say('call Jonas Lindqvist');
    assert.match(cardText(reply), /Call with Jonas Lindqvist/);
    assert.match(cardText(reply), /Ringing/);
    const cardId = connector.sent.find((s) => s.activity === reply)!;
    const call = (await app.calls.listCalls({ live: true })).find((c) => c.purpose === 'chat-call')!;
    await eventually(async () => (await truth(app, call.id)).ringing?.length > 0, 'Jonas ringing');
    await act(app, call.id, 'answer', { person: 'jonas.lindqvist@switchboard.test' });
    await eventually(() => connector.updates.some((u) => /Connected/.test(cardText(u.activity))), 'the card to say Connected');
    await act(app, call.id, 'hangup', { person: 'jonas.lindqvist@switchboard.test' });
    const ended = await eventually(() => connector.updates.find((u) => /Ended/.test(cardText(u.activity))), 'the card to say Ended');
    assert.match(cardText(ended.activity), /They hung up|The call ended/);
    assert.doesNotMatch(cardText(ended.activity), /Hang up/, 'no hang-up button on an ended call');
    const ids = new Set(connector.updates.map((u) => u.activityId));
    assert.equal(ids.size, 1, 'every update replaced the same message');
    assert.ok(cardId.path.includes('/activities'), 'the first card was a reply');
  });

  it('"remind <name> in 2 seconds to …" calls them, and the reminder card ends up confirmed', async () => {
    await behave(app, 'priya', 'answer');
    const [reply] = await say('remind Priya Raman in 2 seconds to send the report');
    assert.match(cardText(reply), /Reminder call for Priya Raman/);
    assert.match(cardText(reply), /send the report/);
    const reminder = (await app.reminders.list({ pendingOnly: true }))[0]!;
    const callId = await eventually(async () => (await app.reminders.get(reminder.id))?.callId, 'the reminder call', 15_000);
    await eventually(async () => (await truth(app, callId)).prompts[0]?.status === 'played', 'the spoken reminder');
    await act(app, callId, 'tones', { tones: '1' });
    await eventually(() => connector.updates.some((u) => /Confirmed/.test(cardText(u.activity))), 'the card to say Confirmed', 15_000);
  });

  it('"meeting" creates a meeting, its "Bot: join" button brings the bot in, and "roster" lists the attendees', async () => {
    const users = (await app.emulatorJson('GET', '/emulator/users')).body.value as Array<{ id: string; userPrincipalName: string }>;
    const amara = users.find((u) => u.userPrincipalName === 'amara.okafor@switchboard.test')!.id;
    const [reply] = await say('meeting Design review in 5 minutes with Jonas Lindqvist', 'chat-3', amara);
    const card = reply.attachments[0].content;
    assert.equal(card.body[0].text, 'Design review');
    const join = card.actions.find((a: any) => a.verb === 'meeting.join');
    assert.ok(join, 'the card has a Bot: join button');
    // Pressing the button: Teams sends an adaptiveCard/action invoke with the button's verb and data.
    const invoke = {
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: `i-${++seq}`,
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      from: { id: 'user-1', name: 'Amara Okafor', aadObjectId: amara },
      recipient: { id: 'bot', name: 'Switchboard' },
      conversation: { id: 'chat-3', conversationType: 'personal' },
      value: { action: { type: 'Action.Execute', verb: join.verb, data: join.data } },
    };
    const res = await request(`${app.url}/api/messages`, { method: 'POST', body: JSON.stringify(invoke), headers: { 'content-type': 'application/json' } });
    assert.equal(res.statusCode, 200);
    await res.body.text();
    const meetingKey = await eventually(async () => (await app.meetings.list({ live: true })).find((m) => m.joinWebUrl === join.data.link && m.state === 'joined')?.meetingKey, 'the bot to join the meeting');
    for (const person of ['jonas.lindqvist@switchboard.test', 'priya.raman@switchboard.test']) {
      await app.emulatorJson('POST', `/emulator/meetings/${encodeURIComponent(meetingKey)}/people`, { person });
    }
    await eventually(async () => (await app.meetings.roster(meetingKey)).entries.filter((e) => !e.isBot).length === 2, 'two attendees in the roster');
    const [roster] = await say('roster', 'chat-3', amara);
    const text = JSON.stringify(roster.attachments[0].content);
    assert.match(text, /Jonas Lindqvist/);
    assert.match(text, /Priya Raman/);
    assert.match(text, /2 people/);
    const [left] = await say('leave', 'chat-3', amara);
    assert.match(left.text, /Leaving the meeting/);
  });

  it('the emulator\'s own chat route works out of the box: no endpoint to register, and the reply crosses its TLS', async () => {
    // With no messaging endpoint registered the emulator's chat goes to /api/messages beside the calling webhook local
    // mode registered, and the bot trusts the emulator's certificate for its replies to the emulator's Bot Connector,
    // as it does for Graph: no PUT, no NODE_EXTRA_CA_CERTS.
    const since = (await app.emulatorJson('GET', '/emulator/connector/activities')).body.lastSeq as number;
    const sent = await app.emulatorJson('POST', '/emulator/chat/personal/messages', { person: 'amara.okafor@switchboard.test', text: 'help' });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const reply = await eventually(async () => {
      const value = (await app.emulatorJson('GET', `/emulator/connector/activities?since=${since}&direction=from-bot`)).body.value as Array<{ activity: any }>;
      return value.find((r) => r.activity?.type === 'message' && /Switchboard/.test(JSON.stringify(r.activity.attachments ?? [])));
    }, 'the help card at the emulator\'s connector', 20_000);
    assert.match(JSON.stringify(reply.activity.attachments), /call ‹person›/);
    const delivered = (await app.emulatorJson('GET', `/emulator/connector/activities?since=${since}&direction=to-bot`)).body.value as Array<{ outcome: string }>;
    assert.equal(delivered[0]?.outcome, 'delivered');
    assert.ok(!app.logs.some((l) => /self-signed certificate|activity not delivered/.test(l)), 'no TLS failure in the log');
  });

  it('answers a typo with suggestions and help, never silence', async () => {
    const [reply] = await say('remnd me');
    assert.match(reply.text, /I don't know "remnd"/);
    assert.match(reply.text, /remind/);
  });

  it('answers a command without its arguments with usage and an example', async () => {
    const [reply] = await say('remind');
    assert.match(reply.text, /Usage: \*\*remind/);
    assert.match(reply.text, /For example/);
  });

  it('says so when nobody matches a name', async () => {
    const [reply] = await say('call Nobody Atall');
    assert.match(reply.text, /can't find "Nobody Atall"/);
  });

  it('"front desk" shows the rules in force and today\'s calls', async () => {
    const [reply] = await say('front desk');
    const text = cardText(reply);
    assert.match(text, /Front desk/);
    assert.match(text, /Blocked callers/);
    assert.match(text, /Everyone else/);
  });

  it('"status" and "reminders" report what is going on', async () => {
    const [status] = await say('status');
    assert.match(status.text, /\*\*Calls:\*\*/);
    assert.match(status.text, /\*\*Front desk:\*\*/);
    const [reminders] = await say('reminders', 'chat-2');
    assert.match(reminders.text, /No reminders are scheduled from this chat/);
  });
});
