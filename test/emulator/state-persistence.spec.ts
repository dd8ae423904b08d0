// The emulator keeps what Microsoft's cloud keeps across a restart on the same data folder (issue 18, item 6): online
// meetings, subscriptions, call records, the access policy, app endpoints and people's on-call settings come back from
// state.json; persistState false starts fresh; an unreadable file is set aside; what is written is bounded and atomic.

import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConnectorStore } from '../../emulator/connector/connector-store.js';
import { PeopleBehavior } from '../../emulator/calls/people-behavior.js';
import { AppRegistry } from '../../emulator/identity/app-registry.js';
import { AccessPolicy } from '../../emulator/meetings/access-policy.js';
import { MeetingStore } from '../../emulator/meetings/meeting-store.js';
import { CallRecordStore } from '../../emulator/records/call-record-store.js';
import { emulatorStateParts, STATE_LIMITS } from '../../emulator/state/emulator-state.js';
import type { SubscriptionService } from '../../emulator/subscriptions/subscription-service.js';
import { startAppStandIn, type AppStandIn } from './app-stand-in.js';
import { AMARA, CALLS_APP, JONAS, MATEO, answeredIncomingCall, startCallsHarness, type CallsHarness } from './calls-harness.js';
import { newDataDir } from './emulator-harness.js';

const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

async function until<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('emulator state across restarts (state.json in the data folder)', function () {
  this.timeout(60_000);
  let dataDir: string;
  let app: AppStandIn;
  let h: CallsHarness | undefined;
  const start = (options: Record<string, unknown> = {}) => startCallsHarness({ dataDir, callRecordDelayMs: 10, rosterBatchMs: 10, ...options });

  before(async () => {
    dataDir = await newDataDir();
    app = await startAppStandIn();
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  after(async () => {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A call ends; resolves with its call record id once Graph has the record. */
  async function endACall(harness: CallsHarness): Promise<string> {
    const callId = await answeredIncomingCall(harness, AMARA);
    const chainId = (await harness.view(callId)).callChainId as string;
    await harness.control('POST', `/calls/${callId}/hangup`, { person: AMARA.id });
    await until(async () => (await harness.graph('GET', `/communications/callRecords/${chainId}`)).status === 200, 'the call record');
    return chainId;
  }

  it('a restart keeps meetings, subscriptions, call records, the access policy, app endpoints and people\'s settings', async () => {
    h = await start();
    const meeting = (await h.graph('POST', `/users/${MATEO.id}/onlineMeetings`, { subject: 'Design review', participants: { attendees: [{ identity: { user: { id: AMARA.id } } }] } })).json;
    assert.ok(meeting.id, 'the meeting was created');
    const subscription = (await h.graph('POST', '/subscriptions', {
      changeType: 'created',
      notificationUrl: `${app.url}/notify`,
      lifecycleNotificationUrl: `${app.url}/lifecycle`,
      resource: '/communications/callRecords',
      expirationDateTime: inMinutes(60),
      clientState: 'kept-client-state',
    })).json;
    assert.ok(subscription.id, 'subscribed');
    const recordId = await endACall(h);
    assert.equal((await h.control('PUT', '/access-policy', { global: false, userIds: [MATEO.id, AMARA.id] })).status, 200);
    assert.equal((await h.control('PUT', `/people/${JONAS.id}/behavior`, { onCall: 'decline', answerDelayMs: 25 })).status, 200);
    assert.equal((await h.control('PUT', `/apps/${CALLS_APP.clientId}/messaging-endpoint`, { url: `${app.url}/api/messages` })).status, 200);
    assert.equal((await h.control('POST', '/chat/personal/messages', { person: AMARA.upn, text: 'hello', appId: CALLS_APP.clientId })).status, 202);
    await app.waitFor(() => app.on('/api/messages').some((r) => r.body?.text === 'hello'), 'the chat message');
    await h.close();
    h = undefined;
    assert.ok(existsSync(join(dataDir, 'state.json')), 'the state is in the data folder');
    assert.deepEqual(readdirSync(dataDir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file is left behind');

    h = await start();
    const again = await h.graph('GET', `/users/${MATEO.id}/onlineMeetings/${meeting.id}`);
    assert.equal(again.status, 200, 'the organizer still has the meeting');
    assert.equal(again.json.joinWebUrl, meeting.joinWebUrl);
    assert.equal(again.json.subject, 'Design review');
    const byLink = await h.graph('GET', `/users/${MATEO.id}/onlineMeetings?$filter=${encodeURIComponent(`JoinWebUrl eq '${meeting.joinWebUrl}'`)}`);
    assert.equal(byLink.json.value.length, 1, 'found by its join link');
    assert.equal((await h.graph('GET', `/subscriptions/${subscription.id}`)).status, 200, 'the subscription is still there');
    assert.equal((await h.graph('GET', `/communications/callRecords/${recordId}`)).status, 200, 'the earlier call record is still there');
    assert.deepEqual((await h.control('GET', '/access-policy')).json, { global: false, userIds: [MATEO.id, AMARA.id] });
    const jonas = (await h.control('GET', '/people')).json.value.find((p: any) => p.id === JONAS.id);
    assert.deepEqual(jonas.behavior, { onCall: 'decline', answerDelayMs: 25 });
    // The messaging endpoint registered before the restart still receives chat.
    const messages = app.on('/api/messages').length;
    assert.equal((await h.control('POST', '/chat/personal/messages', { person: AMARA.upn, text: 'still there?', appId: CALLS_APP.clientId })).status, 202);
    await app.waitFor(() => app.on('/api/messages').slice(messages).some((r) => r.body?.text === 'still there?'), 'the chat message at the kept endpoint');
    const chats = (await h.control('GET', '/connector/conversations')).json.value as Array<{ kind: string }>;
    assert.equal(chats.filter((c) => c.kind === 'personal').length, 1, 'the personal chat from before the restart, not a second one');
    const history = (await h.control('GET', '/connector/activities?direction=to-bot')).json.value as Array<{ text?: string }>;
    assert.deepEqual(history.map((a) => a.text), ['hello', 'still there?'], 'the chat\'s activities before and after the restart');

    // The kept subscription hears of the next call's record.
    const seen = app.on('/notify').length;
    const next = await endACall(h);
    await app.waitFor(() => app.on('/notify').slice(seen).some((r) => r.body?.value?.[0]?.resource === `communications/callRecords/${next}`), 'the new record notified');
    const item = app.on('/notify').slice(seen).find((r) => r.body?.value?.[0]?.resource === `communications/callRecords/${next}`)!.body.value[0];
    assert.equal(item.subscriptionId, subscription.id);
    assert.equal(item.clientState, 'kept-client-state');
  });

  it('persistState false starts from scratch (and leaves the saved state alone)', async () => {
    const before = readFileSync(join(dataDir, 'state.json'), 'utf8');
    h = await start({ persistState: false });
    assert.deepEqual((await h.control('GET', '/access-policy')).json, { global: true, userIds: [] });
    assert.equal((await h.control('GET', '/subscriptions')).json.value.length, 0);
    await h.close();
    h = undefined;
    assert.equal(readFileSync(join(dataDir, 'state.json'), 'utf8'), before);
  });

  it('an unreadable state file is set aside and the emulator starts with fresh state', async () => {
    writeFileSync(join(dataDir, 'state.json'), '{"version":1,"parts":{"meetings":[{"id":');
    h = await start();
    assert.deepEqual((await h.control('GET', '/access-policy')).json, { global: true, userIds: [] });
    assert.ok(existsSync(join(dataDir, 'state.json.unreadable')), 'the bad file is kept aside for a look');
  });

  it('what is written is bounded (the newest meetings), and junk is left out when it is read back', () => {
    const meetings = new MeetingStore();
    for (let i = 0; i < STATE_LIMITS.meetings + 5; i++) {
      const m = meetings.create({ organizerId: MATEO.id, organizerUpn: MATEO.upn, tenantId: 't', subject: `m${i}`, startDateTime: '2026-01-01T00:00:00Z', endDateTime: '2026-01-01T01:00:00Z', isPasscodeRequired: false, attendees: [], settings: {} });
      m.creationDateTime = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
    }
    const records = new CallRecordStore();
    const parts = emulatorStateParts({
      meetings,
      policy: new AccessPolicy(),
      subscriptions: { snapshot: () => [], restore: () => 0 } as unknown as SubscriptionService,
      records,
      apps: new AppRegistry([CALLS_APP], 't'),
      behaviors: new PeopleBehavior(),
      connector: new ConnectorStore(),
    });
    const saved = parts.meetings!.snapshot() as Array<{ subject: string }>;
    assert.equal(saved.length, STATE_LIMITS.meetings);
    assert.equal(saved.at(-1)!.subject, `m${STATE_LIMITS.meetings + 4}`, 'the newest is kept');
    assert.equal(saved[0]!.subject, 'm5', 'the oldest go first');
    // Restoring checks every entry: junk is left out, the rest is kept.
    const fresh = new MeetingStore();
    const restoredParts = emulatorStateParts({
      meetings: fresh, policy: new AccessPolicy(), subscriptions: { snapshot: () => [], restore: () => 0 } as unknown as SubscriptionService,
      records, apps: new AppRegistry([CALLS_APP], 't'), behaviors: new PeopleBehavior(), connector: new ConnectorStore(),
    });
    assert.equal(restoredParts.meetings!.restore([...saved.slice(-3), { id: 'x' }, 'junk', null]), 3);
    assert.equal(fresh.list().length, 3);
  });
});
