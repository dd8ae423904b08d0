// Content sharing on the app side: contentSharingSession notifications (application-post-calls Example 1) parsed at
// the edge in their documented shape and variations, the open sessions kept on the stored call, `call.sharing`
// published with the presenter when the roster (or beta's presenterParticipantId) tells, and the meeting join asking
// Graph for these notifications (outgoingCallOptions.isContentSharingNotificationEnabled).
import assert from 'node:assert/strict';
import { CallError, callActions, parseNotificationBatch, parseResourceUrl, type CallNotification } from '../../../comms/calls/index.js';
import type { CallEvent } from '../../../comms/calls/call-events.js';
import { newCallSession, type CallSession } from '../../../comms/calls/call-session.js';
import {
  applyContentSharing, findPresenter, openSharingSessions, trackContentSharing, type ContentSharingNotification,
} from '../../../comms/calls/content-sharing.js';
import type { Participant } from '../../../comms/calls/graph-shapes.js';
import { FakeGraph } from './support/fake-graph.js';
import { batch } from './support/notifications.js';

const CALL = '421f4c00-4436-4c3a-9d9a-c4924cf98e67';
const SESSION = 'F7D9EF30FF0A9BD3F64B274387FB8FF8E96B6CFBA8F87F8305A74DE99AF007BC';
const AT = '2026-12-01T10:00:00.000Z';

function sharingNote(changeType: string, resourceData: unknown, resourceUrl = `/communications/calls/${CALL}/contentsharingsessions`): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.commsNotification', changeType, resourceUrl, ...(resourceData === undefined ? {} : { resourceData }) };
}
const documented = (changeType: string) => sharingNote(changeType, [{ '@odata.type': '#microsoft.graph.contentSharingSession', id: SESSION }]);

function parseOne(note: Record<string, unknown>): CallNotification {
  const [parsed] = parseNotificationBatch(batch(note));
  assert.ok(parsed);
  return parsed;
}

function asSharing(n: CallNotification): ContentSharingNotification {
  assert.equal(n.kind, 'contentSharing');
  return n as ContentSharingNotification;
}

function person(id: string, userId: string, displayName: string, sharing = false): Participant {
  return {
    id,
    info: { identity: { user: { id: userId, displayName } } },
    mediaStreams: [
      { mediaType: 'audio', direction: 'sendReceive' },
      ...(sharing ? [{ mediaType: 'videoBasedScreenSharing', direction: 'sendOnly', label: 'applicationsharing-video' }] : []),
    ],
  };
}

describe('comms/calls content sharing', () => {
  describe('parsing contentSharingSession notifications', () => {
    for (const [changeType, expected] of [['created', 'created'], ['updated', 'updated'], ['deleted', 'deleted'], ['Created', 'created']] as const) {
      it(`the documented ${changeType} notification: the call, the change and the session id`, () => {
        const n = asSharing(parseOne(documented(changeType)));
        assert.deepEqual(n, { kind: 'contentSharing', callId: CALL, changeType: expected, sessions: [{ id: SESSION }] });
      });
    }

    it('resourceUrl variations: camelCase, no leading slash, the session id in the URL with no resourceData', () => {
      assert.deepEqual(parseResourceUrl(`communications/calls/${CALL}/contentSharingSessions`), { kind: 'contentSharing', callId: CALL });
      const n = asSharing(parseOne(sharingNote('deleted', undefined, `/communications/calls/${CALL}/contentSharingSessions/${SESSION}`)));
      assert.deepEqual(n.sessions, [{ id: SESSION }]);
    });

    it('an object resourceData and beta\'s presenterParticipantId are accepted', () => {
      const n = asSharing(parseOne(sharingNote('created', { '@odata.type': '#microsoft.graph.contentSharingSession', id: SESSION, presenterParticipantId: 'p-7', pngOfCurrentSlide: 'iVBOR' })));
      assert.deepEqual(n.sessions, [{ id: SESSION, presenterParticipantId: 'p-7' }]);
    });

    it('app-hosted media may send no resourceData: no sessions', () => {
      assert.deepEqual(asSharing(parseOne(sharingNote('created', undefined))).sessions, []);
    });

    it('a session without an id is refused as an invalid notification', () => {
      assert.throws(() => parseOne(sharingNote('created', [{ '@odata.type': '#microsoft.graph.contentSharingSession' }])), (err: unknown) => err instanceof CallError && err.code === 'calls/invalid-notification');
    });
  });

  describe('tracking who shares', () => {
    const roster = [person('p-1', 'u-1', 'Amara Okafor'), person('p-2', 'u-2', 'Priya Raman', true)];
    let stored: CallSession;
    let events: CallEvent[];
    const deps = {
      update: async (callId: string, change: (s: CallSession) => CallSession) => {
        if (callId !== stored.id) return undefined;
        stored = change(stored);
        return stored;
      },
      participants: async () => stored.participants,
      publish: (e: CallEvent) => void events.push(e),
      now: () => AT,
    };
    beforeEach(() => {
      stored = { ...newCallSession({ id: CALL, state: 'established', createdAt: AT }), participants: roster };
      events = [];
    });

    it('created: the session is open on the call and call.sharing names the roster\'s screen sharer', async () => {
      await trackContentSharing(asSharing(parseOne(documented('created'))), deps);
      assert.deepEqual(openSharingSessions(stored), [SESSION]);
      assert.deepEqual(events, [{ type: 'call.sharing', callId: CALL, change: 'started', sessionId: SESSION, sharing: true, presenter: { participantId: 'p-2', userId: 'u-2', displayName: 'Priya Raman' } }]);
    });

    it('a repeated created is not published twice; updated is; deleted closes the session and says nobody shares', async () => {
      await trackContentSharing(asSharing(parseOne(documented('created'))), deps);
      await trackContentSharing(asSharing(parseOne(documented('created'))), deps);
      await trackContentSharing(asSharing(parseOne(documented('updated'))), deps);
      await trackContentSharing(asSharing(parseOne(documented('deleted'))), deps);
      assert.deepEqual(events.map((e) => e.type === 'call.sharing' && [e.change, e.sharing]), [['started', true], ['updated', true], ['ended', false]]);
      assert.deepEqual(openSharingSessions(stored), []);
      assert.equal(stored.context.contentSharing, undefined);
      assert.equal((events[2] as { presenter?: unknown }).presenter, undefined);
    });

    it('a call that is not stored: nothing is published', async () => {
      stored = { ...stored, id: 'another-call' };
      assert.deepEqual(await trackContentSharing(asSharing(parseOne(documented('created'))), deps), []);
      assert.deepEqual(events, []);
    });

    it('applyContentSharing is pure: the stored call is not changed in place', () => {
      const before = stored;
      const after = applyContentSharing(before, asSharing(parseOne(documented('created'))), AT);
      assert.notEqual(after, before);
      assert.deepEqual(before.context, {});
      assert.deepEqual(after.context.contentSharing, { sessions: [{ id: SESSION, since: AT }] });
    });

    it('the presenter: presenterParticipantId first; none when the roster shows no one or several sharing', () => {
      assert.deepEqual(findPresenter(roster, 'p-1'), { participantId: 'p-1', userId: 'u-1', displayName: 'Amara Okafor' });
      assert.deepEqual(findPresenter(roster, 'p-9'), { participantId: 'p-9' });
      assert.equal(findPresenter([person('p-1', 'u-1', 'A')]), undefined);
      assert.equal(findPresenter([person('p-1', 'u-1', 'A', true), person('p-2', 'u-2', 'B', true)]), undefined);
      assert.equal(findPresenter([{ id: 'p-3', mediaStreams: [{ mediaType: 'videoBasedScreenSharing', direction: 'receiveOnly' }] }]), undefined);
    });
  });

  describe('joining a meeting asks for content sharing notifications', () => {
    let fake: FakeGraph;
    before(async () => {
      fake = await FakeGraph.start();
    });
    after(() => fake.close());

    it('the join body carries outgoingCallOptions.isContentSharingNotificationEnabled: true', async () => {
      await callActions.joinMeeting(fake.client(), {
        callbackUri: 'https://bot.contoso.com/api/calling',
        meeting: { kind: 'joinMeetingId', joinMeetingId: '1234567', passcode: 'psw123', tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a' },
      });
      assert.deepEqual(fake.requests.at(-1)?.body.callOptions, { '@odata.type': '#microsoft.graph.outgoingCallOptions', isContentSharingNotificationEnabled: true });
    });
  });
});
