// A restart of `npm start` keeps meetings usable (issue 18, item 6): Amara creates a meeting from chat, the app and its
// embedded emulator stop and start again on the same data folder, and the meeting is still whole — the bot joins it,
// the side panel opens for her with controls and for the person she invited (whom only Graph's copy names).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { eventually, freePort, startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { meetingPath, tabJson, tabToken } from '../tab/tab-helpers.js';
import { directoryIds } from './people.js';

describe('meetings after a restart of npm start (app and embedded emulator, same data folder)', function () {
  this.timeout(90_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-meeting-restart-'));
  let app: LocalSwitchboard | undefined;
  let connector: FakeConnector;
  let seq = 0;
  before(async () => {
    connector = await startFakeConnector();
  });
  after(async () => {
    await app?.stop();
    await connector?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function say(running: LocalSwitchboard, text: string, aadObjectId: string): Promise<any> {
    const before = connector.sent.length;
    const activity = {
      type: 'message', id: `m-${++seq}`, text, channelId: 'msteams', serviceUrl: connector.serviceUrl,
      from: { id: 'user-1', name: 'Amara Okafor', aadObjectId }, recipient: { id: 'bot', name: 'Switchboard' },
      conversation: { id: 'chat-restart', conversationType: 'personal' },
    };
    const res = await request(`${running.url}/api/messages`, { method: 'POST', body: JSON.stringify(activity), headers: { 'content-type': 'application/json' } });
    await res.body.text();
    return eventually(() => connector.sent.slice(before).map((s) => s.activity).find((a) => a.type === 'message'), `a reply to "${text}"`);
  }

  it('a meeting made from chat: the bot joins it, its organizer controls it and its invited attendee sees it', async () => {
    const port = await freePort();
    app = await startLocalSwitchboard({ port, dataDir });
    const ids = await directoryIds(app);
    const card = (await say(app, 'meeting Design review in 5 minutes with Jonas Lindqvist', ids.amara)).attachments[0].content;
    const join = card.actions.find((a: any) => a.verb === 'meeting.join');
    assert.ok(join, 'the meeting card has Bot: join');
    const subscription = app.records.subscriptions!.subscription!.id;
    await app.stop();

    app = await startLocalSwitchboard({ port, dataDir });
    assert.equal(app.records.subscriptions!.subscription!.id, subscription, 'Graph still knows the call-records subscription: nothing to re-create');
    const amara = await tabToken(app, 'amara');
    const invoke = {
      type: 'invoke', name: 'adaptiveCard/action', id: `i-${++seq}`, channelId: 'msteams', serviceUrl: connector.serviceUrl,
      from: { id: 'user-1', name: 'Amara Okafor', aadObjectId: ids.amara }, recipient: { id: 'bot', name: 'Switchboard' },
      conversation: { id: 'chat-restart', conversationType: 'personal' },
      value: { action: { type: 'Action.Execute', verb: join.verb, data: join.data } },
    };
    const pressed = await request(`${app.url}/api/messages`, { method: 'POST', body: JSON.stringify(invoke), headers: { 'content-type': 'application/json' } });
    assert.equal(pressed.statusCode, 200);
    await pressed.body.text();
    const running = app;
    const meetingKey = await eventually(async () => (await running.meetings.list({ live: true })).find((m) => m.joinWebUrl === join.data.link && m.state === 'joined')?.meetingKey, 'the bot in the meeting after the restart', 20_000);
    const panel = await tabJson(app, amara, 'GET', meetingPath(meetingKey));
    assert.equal(panel.status, 200, `the side panel opens for the organizer (${JSON.stringify(panel.body)})`);
    assert.equal(panel.body.permissions.role, 'organizer');
    assert.equal(panel.body.permissions.canControl, true);
    // Jonas was invited: only Graph's copy of the meeting says so (he is not in the call yet).
    const jonas = await tabJson(app, await tabToken(app, 'jonas'), 'GET', meetingPath(meetingKey));
    assert.equal(jonas.status, 200, `the side panel opens for an invited attendee, not "You are not in this meeting" (${JSON.stringify(jonas.body)})`);
    assert.equal(jonas.body.permissions.role, 'attendee');
    assert.equal(panel.body.meeting.subject, 'Design review', 'Graph still answers with the meeting');
    const kept = (await app.emulatorJson('GET', '/emulator/meetings')).body.value.find((m: any) => m.joinWebUrl === join.data.link);
    assert.ok(kept, 'the restarted emulator still has the meeting');
  });
});
