// Content sharing end to end: the bot joins a meeting asking for content-sharing notifications; when an attendee
// starts and stops sharing in the emulator, Graph's contentSharingSession notifications reach the app, which keeps the
// open session on the call and publishes call.sharing with who is presenting.
import assert from 'node:assert/strict';
import type { CommsEvent } from '../../comms/store/index.js';
import { startLocalSwitchboard, type LocalSwitchboard } from '../support/local-switchboard.js';
import { UPN } from './people.js';
import { meetingWithBot, personJoins } from '../tab/tab-helpers.js';

describe('content sharing in a meeting (end to end)', function () {
  this.timeout(60_000);
  let app: LocalSwitchboard;
  before(async () => {
    app = await startLocalSwitchboard({ emulatorOptions: { rosterBatchMs: 20 } });
  });
  after(async () => app?.stop());

  it('an attendee starting and stopping sharing reaches the app as call.sharing, and the call keeps the open session', async () => {
    const meeting = await meetingWithBot(app, 'Design review');
    await personJoins(app, meeting.meetingKey, 'priya');
    const record = await app.meetings.getRecord(meeting.meetingKey);
    const callId = record!.callId!;
    const share = async (sharing: boolean) => {
      const res = await app.emulatorJson('POST', `/emulator/meetings/${encodeURIComponent(meeting.meetingKey)}/people/${UPN.priya}/share`, { sharing });
      assert.ok(res.status < 300, `share ${sharing}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    const sharingEvents = () => app.events.filter((e: CommsEvent) => e.type === 'call.sharing' && e.callId === callId) as Array<CommsEvent & { sharing?: boolean; change?: string }>;

    await share(true);
    const started = await app.waitForEvent<CommsEvent & { sharing: boolean; sessionId: string }>((e) => e.type === 'call.sharing' && e.callId === callId && e.sharing === true, 'call.sharing (started)');
    assert.ok(started.sessionId, 'the session id');
    const session = await app.calls.getCall(callId);
    assert.match(JSON.stringify(session?.context ?? {}), new RegExp(started.sessionId), 'the open session is kept on the call');

    await share(false);
    await app.waitForEvent((e) => e.type === 'call.sharing' && e.callId === callId && (e as { sharing?: boolean }).sharing === false, 'call.sharing (stopped)');
    assert.doesNotMatch(JSON.stringify((await app.calls.getCall(callId))?.context ?? {}), new RegExp(started.sessionId), 'no open session once it stopped');
    assert.ok(sharingEvents().length >= 2);
  });
});
