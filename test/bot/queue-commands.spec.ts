// Call queues in chat: "queues", "queue <name>", "sign in/out <queue>", the offer card's Accept button, and the
// cards they show — valid Adaptive Cards that say who waits, for how long, and what became of an offer.
import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import { createRequire } from 'node:module';
import { clockDuration, queueOfferCard, queueStatusCard, queuesCard } from '../../bot/cards/queue-card.js';
import { queueCommand, queuesCommand, signCommand } from '../../bot/commands/queues.js';
import { QUEUE_AGENT_CHATS, QUEUE_OFFER_CARDS, offerCardKey, QueueOfferCards } from '../../bot/queue-offer-cards.js';
import { TeamsBot } from '../../bot/teams-bot.js';
import { QueueError, type QueueStatus } from '../../comms/queues/index.js';
import { botHarness, PEOPLE } from './bot-harness.js';

const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js');
function problems(card: Record<string, unknown>): string[] {
  const context = new AC.SerializationContext();
  new AC.AdaptiveCard().parse(card, context);
  const out: string[] = [];
  for (let i = 0; i < context.eventCount; i += 1) out.push(context.getEventAt(i).message);
  if (JSON.stringify(card).includes('${')) out.push('unexpanded template expression');
  return out;
}

const AMARA = PEOPLE[0]!.id;
const PRIYA = PEOPLE[2]!.id;

function status(over: Partial<QueueStatus> = {}): QueueStatus {
  return {
    name: 'Support', routing: 'attendant', presenceBased: true, alertSeconds: 30, wrapUpSeconds: 10, maxCallers: 50, maxWaitSeconds: 1200,
    waiting: [
      { entryId: 'e1', callId: 'c1', caller: { displayName: 'Hana Sato' }, waitedSince: '2026-12-01T09:57:46.000Z', position: 1, state: 'waiting', hearing: 'music', offeredTo: [] },
      { entryId: 'e2', callId: 'c2', caller: { phone: '+14255550123' }, waitedSince: '2026-12-01T09:59:30.000Z', position: 2, state: 'callback-waiting', hearing: 'nothing', offeredTo: [], callback: { requestedAt: '2026-12-01T09:59:40.000Z', attempts: 0 } },
    ],
    longestWaitSeconds: 134,
    agents: [
      { userId: AMARA, displayName: 'Amara Okafor', signedIn: true, presence: { availability: 'Busy', activity: 'InACall', at: '2026-12-01T10:00:00.000Z' }, state: 'connected', since: '2026-12-01T09:55:00.000Z', eligible: false, today: { answered: 4, missed: 1, declined: 0 } },
      { userId: PRIYA, displayName: 'Priya Raman', signedIn: false, state: 'idle', since: '2026-12-01T09:00:00.000Z', eligible: false, today: { answered: 0, missed: 0, declined: 0 } },
    ],
    today: { date: '2026-12-01', entered: 9, answered: 5, abandoned: 1, timedOut: 0, overflowed: 0, noAgents: 0, callbacksRequested: 1, answeredWithinServiceLevel: 4, serviceLevelSeconds: 30, serviceLevel: 0.8, averageWaitSeconds: 45, longestWaitSeconds: 200 },
    asOf: '2026-12-01T10:00:00.000Z',
    ...over,
  };
}

function stubQueues(calls: string[] = []) {
  return {
    names: () => ['Support', 'Billing'],
    status: async () => [status(), status({ name: 'Billing', waiting: [], longestWaitSeconds: 0 })],
    statusOf: async (name: string) => (name === 'Support' ? status() : status({ name, waiting: [] })),
    queuesOf: (userId: string) => (userId === AMARA ? ['Support'] : []),
    signIn: async (queue: string, userId: string) => {
      calls.push(`in ${queue} ${userId}`);
      if (userId !== AMARA) throw new QueueError('queues/not-an-agent', `${userId} is not an agent of the ${queue} queue.`);
      return status().agents[0]!;
    },
    signOut: async (queue: string, userId: string) => {
      calls.push(`out ${queue} ${userId}`);
      return { ...status().agents[0]!, signedIn: false };
    },
    accept: async (entryId: string, agentId: string) => {
      calls.push(`accept ${entryId} ${agentId}`);
      if (entryId !== 'e1') throw new QueueError('queues/offer-gone', 'That caller is no longer waiting for you.');
    },
  };
}

function setup(calls: string[] = []) {
  const harness = botHarness({ queues: stubQueues(calls) as never });
  const cards = new QueueOfferCards({ bus: harness.services.bus, store: harness.store, conversations: harness.services.conversations, logger: { warn: () => undefined } });
  const bot = new TeamsBot(harness.services, [queuesCommand(cards), queueCommand(cards), signCommand(cards)]);
  const say = async (text: string, from = AMARA, type = 'personal') => {
    const adapter = new TestAdapter((context) => bot.run(context));
    const replies: Partial<Activity>[] = [];
    await adapter.processActivity({
      channelId: 'msteams', type: 'message', text,
      from: { id: 'user-1', name: 'Amara Okafor', aadObjectId: from }, recipient: { id: 'bot', name: 'Switchboard' },
      conversation: { id: 'chat-1', conversationType: type } as Activity['conversation'],
    } as Activity);
    while (adapter.activeQueue.length > 0) replies.push(adapter.activeQueue.shift()!);
    return replies.filter((r) => r.type === 'message');
  };
  const invoke = async (verb: string, data: Record<string, unknown>, from = AMARA) => {
    const adapter = new TestAdapter((context) => bot.run(context));
    await adapter.processActivity({
      channelId: 'msteams', type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data } },
      from: { id: 'user-1', aadObjectId: from }, recipient: { id: 'bot' }, conversation: { id: 'chat-1', conversationType: 'personal' } as Activity['conversation'],
    } as Activity);
    const reply = adapter.activeQueue.find((a) => a.type === 'invokeResponse');
    return reply?.value as { status: number; body: { statusCode: number; type: string; value: Record<string, unknown> } };
  };
  return { harness, say, invoke, calls };
}

const cardOf = (replies: Partial<Activity>[]) => replies[0]?.attachments?.[0]?.content as Record<string, unknown>;

describe('bot: call queues', () => {
  it('"queues" shows every queue with who waits and the agents free', async () => {
    const { say } = setup();
    const card = cardOf(await say('queues'));
    assert.deepEqual(problems(card), []);
    const text = JSON.stringify(card);
    assert.match(text, /Support/);
    assert.match(text, /2 waiting \(longest 2:14\)/);
    assert.match(text, /Billing/);
  });

  it('"queue support" shows the callers in line, their wait, what they hear, and the agents (any case)', async () => {
    const { say } = setup();
    const card = cardOf(await say('queue support'));
    assert.deepEqual(problems(card), []);
    const text = JSON.stringify(card);
    assert.match(text, /1\. Hana Sato/);
    assert.match(text, /2:14 · waiting · hearing hold music/);
    assert.match(text, /\+14255550123/);
    assert.match(text, /waiting for a call-back/);
    assert.match(text, /Amara Okafor/);
    assert.match(text, /on a call/);
    assert.match(text, /signed out/);
    assert.match(text, /80% within 30 s/);
    assert.match(text, /sign out Support/, 'an agent viewing their queue can sign out from the card');
  });

  it('suggests a queue for a typo, and asks which when there are several', async () => {
    const { say } = setup();
    assert.match(String((await say('queue suport'))[0]?.text), /Did you mean \*\*Support\*\*/);
    assert.match(String((await say('queue'))[0]?.text), /Which queue\?.*Support.*Billing/);
  });

  it('signs an agent in and out, and remembers their personal chat for offer cards', async () => {
    const calls: string[] = [];
    const { say, harness } = setup(calls);
    assert.match(String((await say('sign in support'))[0]?.text), /signed in to the \*\*Support\*\* queue/);
    assert.match(String((await say('signout Support'))[0]?.text), /signed out of the \*\*Support\*\* queue/);
    assert.deepEqual(calls, [`in Support ${AMARA}`, `out Support ${AMARA}`]);
    assert.deepEqual(await harness.store.get(QUEUE_AGENT_CHATS, AMARA.toLowerCase()), { conversationKey: 'chat-1' });
    assert.match(String((await say('sign support'))[0]?.text), /Sign in or out\?/);
  });

  it('says so when someone who is not an agent signs in', async () => {
    const { say } = setup();
    const card = cardOf(await say('sign in support', PRIYA));
    assert.deepEqual(problems(card), []);
    assert.match(JSON.stringify(card), /not an agent of the Support queue/);
  });

  it('Accept puts the caller through and updates the card; a gone offer says so', async () => {
    const calls: string[] = [];
    const { invoke, harness } = setup(calls);
    const view = { queue: 'Support', entryId: 'e1', callerName: 'Hana Sato', waitedSeconds: 134, callback: false, state: 'ringing' as const };
    await harness.store.put(QUEUE_OFFER_CARDS, offerCardKey('e1', AMARA), { conversationKey: 'chat-1', activityId: 'a1', view });
    const ok = await invoke('queue.accept', { entryId: 'e1' });
    assert.equal(ok.body.statusCode, 200);
    assert.match(JSON.stringify(ok.body.value), /You took this call/);
    assert.deepEqual(calls, [`accept e1 ${AMARA}`]);
    await harness.store.put(QUEUE_OFFER_CARDS, offerCardKey('e9', AMARA), { conversationKey: 'chat-1', activityId: 'a2', view: { ...view, entryId: 'e9' } });
    const gone = await invoke('queue.accept', { entryId: 'e9' });
    assert.match(JSON.stringify(gone.body.value), /no longer waiting/);
    const notMine = await invoke('queue.accept', { entryId: 'e1' }, PRIYA);
    assert.match(JSON.stringify(notMine.body.value), /not yours/);
  });

  it('offer cards: the caller\'s wait and Accept while ringing; what became of it afterwards, without a button', () => {
    const view = { queue: 'Billing', entryId: 'e1', callerName: 'Hana Sato', waitedSeconds: 134, callback: false };
    const ringing = queueOfferCard({ ...view, state: 'ringing' });
    assert.deepEqual(problems(ringing), []);
    assert.match(JSON.stringify(ringing), /Billing queue — caller waited 2:14/);
    assert.match(JSON.stringify(ringing), /queue\.accept/);
    for (const [state, words] of [['taken', /someone else/], ['missed', /Missed/], ['connected', /talking/], ['caller-left', /hung up/], ['failed', /back in line/]] as const) {
      const card = queueOfferCard({ ...view, state });
      assert.deepEqual(problems(card), []);
      assert.match(JSON.stringify(card), words);
      assert.doesNotMatch(JSON.stringify(card), /queue\.accept/);
    }
    assert.match(JSON.stringify(queueOfferCard({ ...view, callback: true, state: 'ringing' })), /call-back, customer waited 2:14/);
  });

  it('status cards are valid with nobody waiting and with no queues at all', () => {
    assert.deepEqual(problems(queueStatusCard(status({ waiting: [], longestWaitSeconds: 0 }))), []);
    assert.deepEqual(problems(queuesCard([])), []);
    assert.match(JSON.stringify(queuesCard([])), /no queues/);
  });

  it('writes waits as m:ss (h:mm:ss past an hour)', () => {
    assert.deepEqual([0, 5, 134, 3599, 3723].map(clockDuration), ['0:00', '0:05', '2:14', '59:59', '1:02:03']);
  });
});
