// Every card the bot sends parses cleanly with the Adaptive Cards object model (unknown elements, bad properties
// and template leftovers are reported), and says the right thing.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { callCard } from '../../bot/cards/call-card.js';
import { choiceCard } from '../../bot/cards/choice-card.js';
import { describeEnd } from '../../bot/cards/describe-end.js';
import { errorCard } from '../../bot/cards/error-card.js';
import { frontDeskCard } from '../../bot/cards/front-desk-card.js';
import { helpCard } from '../../bot/cards/help-card.js';
import { reminderCard } from '../../bot/cards/reminder-card.js';
import { queueOfferCard, queueStatusCard, queuesCard } from '../../bot/cards/queue-card.js';
import { failureCard } from '../../bot/commands/reply.js';
import { GraphError } from '../../comms/graph/index.js';
import { parseFrontDesk } from '../../comms/ivr/index.js';
import type { Reminder } from '../../comms/reminders/index.js';

const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js');

function parseProblems(card: Record<string, unknown>): string[] {
  const context = new AC.SerializationContext();
  new AC.AdaptiveCard().parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i += 1) problems.push(context.getEventAt(i).message);
  if (JSON.stringify(card).includes('${')) problems.push('unexpanded template expression');
  return problems;
}

const call = { id: 'c1', createdAt: '2026-11-23T10:00:00Z', updatedAt: '2026-11-23T10:02:05Z' };
const reminder: Reminder = {
  id: 'r1', person: { userId: 'u1', displayName: 'Jonas Lindqvist' }, message: 'Stand-up', dueAt: '2026-11-23T10:00:00Z', createdAt: '2026-11-23T09:00:00Z',
  updatedAt: '2026-11-23T09:00:00Z', confirm: true, status: 'scheduled', attempts: 0, maxAttempts: 3,
};
const desk = parseFrontDesk(JSON.stringify({ rules: [{ name: 'Spam', when: { caller: ['+15550100199'] }, then: { action: 'reject', reason: 'busy' } }], default: { action: 'answer', menu: 'm' }, menus: { m: { prompt: { text: 'x' }, options: { '1': { action: 'hangup' } } } } }));

const cards: Array<[string, Record<string, unknown>]> = [
  ['help', helpCard([{ usage: 'call <person>', summary: 'Call.', example: 'call Jonas' }, { usage: 'help', summary: 'Help.' }], 'Hi').content],
  ['a ringing call', callCard({ call: { ...call, state: 'establishing' }, who: 'Jonas' })],
  ['a connected call', callCard({ call: { ...call, state: 'established' }, who: 'Jonas', connectedAt: '2026-11-23T10:00:05Z', now: new Date('2026-11-23T10:01:10Z') })],
  ['an ended call', callCard({ call: { ...call, state: 'terminated', resultInfo: { code: 200, subcode: 4521, message: '' } }, who: 'Jonas', connectedAt: '2026-11-23T10:00:05Z' })],
  ['an error', errorCard({ title: 'I couldn\'t call Jonas', cause: 'Graph said no.', advice: 'Grant the permission.', reference: 'request-id 1' })],
  ['a Graph failure', failureCard('call Jonas', new GraphError('graph/access-policy-missing', 'no policy', { status: 403, requestId: 'r-1' }))],
  ['a choice', choiceCard('Which Jonas?', [{ title: 'Jonas A', subtitle: 'a@x', command: 'call a@x' }, { title: 'Jonas B', command: 'call b@x' }])],
  ['a scheduled reminder', reminderCard(reminder)],
  ['a confirmed reminder', reminderCard({ ...reminder, status: 'confirmed', outcome: 'confirmed by pressing 1', late: true })],
  ['the front desk', frontDeskCard({ desk, people: new Map(), groups: new Map() }, '/etc/desk.jsonc', [{ callId: 'c', at: '2026-11-23T10:00:00Z', caller: { displayName: 'Ana' }, rule: 'Spam', action: 'reject', detail: 'busy' }], 'UTC')],
  ['the front desk with nothing loaded', frontDeskCard(undefined, undefined, [], 'UTC')],
  ['a queue offer', queueOfferCard({ queue: 'Billing', entryId: 'e1', callerName: 'Ana', waitedSeconds: 134, callback: false, state: 'ringing' })],
  ['a queue offer taken by someone else', queueOfferCard({ queue: 'Billing', entryId: 'e1', waitedSeconds: 134, callback: true, state: 'taken' })],
  ['a queue\'s status', queueStatusCard({
    name: 'Billing', routing: 'serial', presenceBased: true, alertSeconds: 30, wrapUpSeconds: 10, maxCallers: 50, maxWaitSeconds: 1200, longestWaitSeconds: 12,
    waiting: [{ entryId: 'e1', callId: 'c1', caller: { displayName: 'Ana' }, waitedSince: '2026-11-23T09:59:48Z', position: 1, state: 'waiting', hearing: 'announcement', offeredTo: [] }],
    agents: [{ userId: 'u1', displayName: 'Jonas', signedIn: true, state: 'idle', since: '2026-11-23T09:00:00Z', eligible: true, today: { answered: 1, missed: 0, declined: 0 } }],
    today: { date: '2026-11-23', entered: 2, answered: 1, abandoned: 0, timedOut: 0, overflowed: 0, noAgents: 0, callbacksRequested: 0, answeredWithinServiceLevel: 1, serviceLevelSeconds: 30, serviceLevel: 1, averageWaitSeconds: 5, longestWaitSeconds: 5 },
    asOf: '2026-11-23T10:00:00Z',
  }, 'u1')],
  ['every queue', queuesCard([])],
];

describe('bot cards', () => {
  for (const [name, card] of cards) {
    it(`${name} is a valid Adaptive Card`, () => assert.deepEqual(parseProblems(card), []));
  }

  it('catches an invalid card (the check can fail)', () => {
    assert.ok(parseProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Bogus' }] }).length > 0);
  });

  it('offers hang up only while the call is live, and cancel only before the reminder runs', () => {
    assert.match(JSON.stringify(cards[1]![1]), /call\.hangup/);
    assert.doesNotMatch(JSON.stringify(cards[3]![1]), /call\.hangup/);
    assert.match(JSON.stringify(cards[7]![1]), /reminder\.cancel/);
    assert.doesNotMatch(JSON.stringify(cards[8]![1]), /reminder\.cancel/);
  });

  it('shows a duration for a connected call and the end in plain words', () => {
    assert.match(JSON.stringify(cards[2]![1]), /1 min 5 s/);
    assert.match(JSON.stringify(cards[3]![1]), /They hung up/);
  });

  it('gives a Graph failure its cause, advice and request id, never a stack', () => {
    const text = JSON.stringify(cards[5]![1]);
    assert.match(text, /access ?policy/i);
    assert.match(text, /request-id r-1/);
    assert.doesNotMatch(text, /at .*\.js:\d+/);
  });

  const ends: Array<[unknown, RegExp]> = [
    [{ code: 200, subcode: 7015 }, /Transferred/],
    [{ code: '603', subcode: '0' }, /declined/],
    [{ code: 408, subcode: 1106 }, /Nobody answered/],
    [{ code: 500, subcode: 9999 }, /500\/9999/],
    [undefined, /The call ended/],
  ];
  for (const [info, expected] of ends) {
    it(`describes the end ${JSON.stringify(info)}`, () => assert.match(describeEnd(info as never), expected));
  }
});
