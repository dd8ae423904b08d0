// Chat never goes silent on long work (issue 18): "invite" and "mute all" answer at once with a card that says what
// is under way, then replace it in place with the outcome in words ("Priya Raman didn't answer"), not Graph's codes.
import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import { CHAT_MEETINGS } from '../../bot/meeting-context.js';
import { CallError, type CommsOperation } from '../../comms/calls/index.js';
import { botHarness, PEOPLE, repliesTo, type Harness } from './bot-harness.js';
import { visibleTexts } from './visible-text.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const cardText = (a: Partial<Activity> | undefined) => visibleTexts(a?.attachments?.[0]?.content).join('\n');

describe('bot: long chat commands reply at once and update in place', () => {
  let harness: Harness;
  const updates: Array<{ key: string; activityId: string; activity: Partial<Activity> }> = [];
  let invite: Deferred<CommsOperation[]>;
  let muteAll: Deferred<Array<{ id: string; displayName: string; outcome: string; code?: string }>>;

  beforeEach(async () => {
    updates.length = 0;
    invite = deferred();
    muteAll = deferred();
    const meetings = {
      getRecord: async () => ({ meetingKey: 'm1', state: 'joined', organizerId: PEOPLE[0]!.id }),
      roster: async () => ({ entries: [{ id: 'p1', userId: PEOPLE[1]!.id, displayName: 'Jonas Lindqvist', isMuted: false }, { id: 'p2', userId: PEOPLE[2]!.id, displayName: 'Priya Raman', isMuted: false }] }),
      invite: () => invite.promise,
      muteAll: () => muteAll.promise,
    };
    const conversations = {
      remember: async (context: { activity: Partial<Activity> }) => context.activity.conversation?.id,
      update: async (key: string, activityId: string, activity: Partial<Activity>) => void updates.push({ key, activityId, activity }),
    };
    harness = botHarness({ meetings: meetings as never, conversations: conversations as never });
    await harness.store.put(CHAT_MEETINGS, 'chat-1', { meetingKey: 'm1' });
  });
  afterEach(() => harness.close());

  async function settled(): Promise<void> {
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
  }

  it('"invite" answers before anyone has answered, then says in words that they did not answer', async () => {
    const [reply] = await repliesTo(harness, 'invite Priya Raman');
    assert.match(cardText(reply), /Inviting Priya Raman to the meeting/);
    assert.match(cardText(reply), /Ringing them now/);
    assert.equal(updates.length, 0, 'the turn ended while Priya was still being rung');
    invite.reject(new CallError('calls/operation-failed', 'inviteParticipantsOperation 3f9a… failed (480/10076)', { resultInfo: { code: 480, subcode: 10076, message: 'x' } }));
    await settled();
    assert.equal(updates.length, 1);
    assert.equal(updates[0]!.activityId, reply!.id, 'the same card, updated in place');
    const text = cardText(updates[0]!.activity);
    assert.match(text, /Priya Raman didn't answer\./);
    assert.doesNotMatch(text, /inviteParticipantsOperation|480|10076/);
  });

  it('"invite" reports a join as a join', async () => {
    await repliesTo(harness, 'invite Priya Raman');
    invite.resolve([{ id: 'op', type: 'inviteParticipantsOperation', status: 'completed' }]);
    await settled();
    assert.match(cardText(updates[0]!.activity), /Priya Raman joined\./);
  });

  it('"mute all" answers at once and shows the tally when the paced muting is done', async () => {
    const [reply] = await repliesTo(harness, 'mute all');
    assert.match(cardText(reply), /Muting everyone \(2 people\)/);
    assert.equal(updates.length, 0);
    muteAll.resolve([{ id: 'p1', displayName: 'Jonas Lindqvist', outcome: 'muted' }, { id: 'p2', displayName: 'Priya Raman', outcome: 'already-muted' }]);
    await settled();
    const text = cardText(updates[0]!.activity);
    assert.match(text, /Muted 1; 1 already muted/);
    assert.match(text, /unmute themselves/);
  });
});
