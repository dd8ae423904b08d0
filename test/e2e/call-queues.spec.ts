// Call queues end to end in local mode: real emulated callers wait in a queue with music and announcements, emulated
// agents are offered their calls by presence and routing, overflow and timeouts take their actions, and call-backs
// are placed once — also across a restart of the app. Every check is on the emulator's truth or the app's status;
// timing comes from short alert times and announcement intervals, never asserted on.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueueStatus } from '../../comms/queues/index.js';
import type { CommsEvent } from '../../comms/store/index.js';
import { eventually, startLocalSwitchboard, startRestartableEmulator, type LocalOptions, type LocalSwitchboard } from '../support/local-switchboard.js';
import { act, behave, directoryIds, truth, UPN, type PersonName } from './people.js';
import { parseExposition, valueOf, type Sample } from '../server/metrics-support.js';

type Queue = Record<string, unknown>;

function deskFile(dir: string, queue: Queue, extra: Record<string, unknown> = {}): string {
  const desk = {
    timezone: 'UTC',
    people: { priya: UPN.priya, jonas: UPN.jonas, amara: UPN.amara },
    default: { action: 'enqueue', queue: 'support' },
    queues: {
      support: { agents: ['priya', 'jonas'], routing: 'serial', alertSeconds: 2, wrapUpSeconds: 0, announcements: { everySeconds: 2, estimatedWait: false }, ...queue },
    },
    ...extra,
  };
  const path = join(dir, `desk-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(desk, null, 2));
  return path;
}

const QUEUE_TIMING = { presencePollMs: 150, connectGraceMs: 5_000, promptTimeoutMs: 10_000 };

interface DirectCall {
  id: string;
  people: Array<{ id: string }>;
  since: string;
  endedAt: string | null;
}

describe('call queues end to end (local mode)', function () {
  this.timeout(120_000);
  let app: LocalSwitchboard | undefined;
  let ids: Record<PersonName, string>;

  async function start(queue: Queue, options: LocalOptions = {}): Promise<LocalSwitchboard> {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-queues-'));
    app = await startLocalSwitchboard({ env: { FRONT_DESK_FILE: deskFile(dir, queue) }, queues: QUEUE_TIMING, ...options });
    ids = await directoryIds(app);
    return app;
  }
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  const status = async (a: LocalSwitchboard): Promise<QueueStatus> => (await a.queues.statusOf('support'))!;
  const directCalls = async (a: LocalSwitchboard) => (await a.emulatorJson('GET', '/emulator/direct-calls')).body.value as DirectCall[];
  const talkingTo = async (a: LocalSwitchboard, caller: PersonName): Promise<string | undefined> => {
    const call = (await directCalls(a)).find((c) => !c.endedAt && c.people[0]!.id === ids[caller]);
    return call?.people[1]!.id;
  };
  const dialAll = async (a: LocalSwitchboard, who: PersonName[]): Promise<string[]> => {
    const res = await a.emulatorJson('POST', '/emulator/callers', { people: who.map((w) => UPN[w]) });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.callIds as string[];
  };
  const presence = async (a: LocalSwitchboard, who: PersonName, availability: string, activity: string) => {
    const res = await a.emulatorJson('PUT', `/emulator/people/${UPN[who]}/presence`, { availability, activity });
    assert.equal(res.status, 200);
  };
  const creates = async (a: LocalSwitchboard, to: string) => {
    const log = await a.emulatorJson('GET', '/emulator/requests?path=/v1.0/communications/calls&limit=1000');
    return (log.body.value as Array<{ method: string; path: string; requestBody?: unknown }>).filter((r) => r.method === 'POST' && r.path === '/v1.0/communications/calls' && JSON.stringify(r.requestBody ?? '').includes(to));
  };
  const scrape = async (a: LocalSwitchboard): Promise<Sample[]> => parseExposition(await (await fetch(`${a.url}/metrics`)).text());
  const connectedOrder = (a: LocalSwitchboard) =>
    a.events.filter((e): e is Extract<CommsEvent, { type: 'queue.offer' }> => e.type === 'queue.offer' && e.state === 'connected').map((e) => e.entryId);
  const joinedOrder = (a: LocalSwitchboard) =>
    a.events.filter((e): e is Extract<CommsEvent, { type: 'queue.changed' }> => e.type === 'queue.changed' && e.change === 'joined').map((e) => e.entryId!);

  it('5 callers, 2 agents: the first two are connected, three hear music and their positions, then each is connected in order as agents free up', async () => {
    const a = await start({});
    await behave(a, 'priya', 'answer');
    await behave(a, 'jonas', 'answer');
    const callers: PersonName[] = ['hana', 'elif', 'mateo', 'tomasz', 'grace'];
    const callIds = await dialAll(a, callers);
    const byCall = new Map(callIds.map((id, i) => [id, callers[i]!]));
    await eventually(async () => joinedOrder(a).length === 5 && connectedOrder(a).length === 2, 'five in line, two connected', 30_000);
    const order = joinedOrder(a);
    // Both are offered at once (one agent each), so which of the two is put through first is a race.
    assert.deepEqual([...connectedOrder(a)].sort(), order.slice(0, 2).sort(), 'the first two in line are the first two connected');

    // The other three wait: hold music, and each hears the position they hold now.
    const s = await status(a);
    assert.deepEqual(s.waiting.map((w) => w.entryId), order.slice(2));
    assert.deepEqual(s.waiting.map((w) => w.position), [1, 2, 3]);
    const texts = ['You are next in line.', 'You are number 2 in line.', 'You are number 3 in line.'];
    for (const [i, w] of s.waiting.entries()) {
      const expected = (await a.prompts.speak(texts[i]!, 'menu', 'en-US')).uri;
      await eventually(async () => {
        const prompts = (await truth(a, w.callId)).prompts as Array<{ uri: string; clientContext?: string; status: string }>;
        return prompts.some((p) => p.clientContext === 'queue:music' && (p.status === 'played' || p.status === 'playing' || p.status === 'cancelled'))
          && prompts.some((p) => p.uri === expected && p.status !== 'queued');
      }, `${byCall.get(w.callId)} to hear music and position ${i + 1}`, 15_000);
    }
    assert.ok(s.agents.every((agent) => agent.state === 'connected'));
    // GET /metrics says the same, read from the store when scraped.
    let m = await scrape(a);
    assert.equal(valueOf(m, 'switchboard_queue_callers_waiting', { queue: 'support' }), 3);
    assert.equal(valueOf(m, 'switchboard_queue_agents', { queue: 'support', state: 'connected' }), 2);
    assert.equal(valueOf(m, 'switchboard_queue_agents', { queue: 'support', state: 'eligible' }), 0);
    assert.ok(valueOf(m, 'switchboard_queue_longest_wait_seconds', { queue: 'support' })! > 0);
    assert.equal(valueOf(m, 'switchboard_queue_wait_seconds_count', { queue: 'support', outcome: 'answered' }), 2);

    // Agents free up one at a time: the caller at the head of the line is connected each time.
    for (let n = 2; n < 5; n += 1) {
      // The earliest conversation still going ends (its agent frees up).
      const someone = (await directCalls(a)).find((c) => !c.endedAt)!;
      const res = await a.emulatorJson('POST', `/emulator/direct-calls/${someone.id}/hangup`, {});
      assert.equal(res.status, 200);
      await eventually(() => connectedOrder(a).length === n + 1, `caller ${n + 1} to be connected`, 20_000);
      assert.deepEqual(connectedOrder(a).slice(2), order.slice(2, n + 1), 'connected in line order');
    }
    const done = await status(a);
    assert.equal(done.waiting.length, 0);
    assert.equal(done.today.answered, 5);
    assert.equal(done.today.entered, 5);
    m = await scrape(a);
    assert.equal(valueOf(m, 'switchboard_queue_wait_seconds_count', { queue: 'support', outcome: 'answered' }), 5, 'every wait measured until an agent answered');
    assert.equal(valueOf(m, 'switchboard_queue_changes_total', { queue: 'support', change: 'joined' }), 5);
    assert.equal(valueOf(m, 'switchboard_queue_offers_total', { queue: 'support', state: 'connected' }), 5);
    assert.equal(valueOf(m, 'switchboard_queue_callers_waiting', { queue: 'support' }), 0);
    assert.equal(valueOf(m, 'switchboard_queue_longest_wait_seconds', { queue: 'support' }), 0);
  });

  it('an agent on auto (npm start\'s emulated people) talks a while, hangs up by themselves and takes the next caller', async () => {
    const a = await start({});
    assert.equal((await a.emulatorJson('PUT', `/emulator/people/${UPN.priya}/behavior`, { onCall: 'auto', answerDelayMs: 50 })).status, 200);
    await a.queues.signOut('support', ids.jonas);
    const callIds = await dialAll(a, ['hana', 'elif']);
    const byCall = new Map(callIds.map((id, i) => [id, (['hana', 'elif'] as const)[i]!]));
    // Both dial at once: whoever the bot put in line first is put through first.
    await eventually(() => joinedOrder(a).length === 2, 'both callers in line', 30_000);
    const [firstIn, secondIn] = joinedOrder(a).map((entryId) => byCall.get(entryId)!);
    // The emulator's people on auto end a conversation after a minute of media time (3 s at 20× media speed), so
    // each conversation is looked for whether or not it is over by the time the test reads it.
    const talked = async (caller: PersonName) => (await directCalls(a)).find((c) => c.people[0]!.id === ids[caller] && c.people[1]!.id === ids.priya);
    const first = await eventually(() => talked(firstIn!), `${firstIn} put through to priya`, 30_000);
    const second = await eventually(() => talked(secondIn!), `${secondIn} put through to priya once she is free again`, 60_000);
    const firstEnded = (await directCalls(a)).find((c) => c.id === first.id)!.endedAt;
    assert.ok(firstEnded && firstEnded <= second.since, `priya finished with ${firstIn} before she took ${secondIn}`);
  });

  it('presence-based routing skips a Busy agent', async () => {
    const a = await start({});
    await behave(a, 'priya', 'answer');
    await behave(a, 'jonas', 'answer');
    await presence(a, 'priya', 'Busy', 'Busy');
    await dialAll(a, ['hana']);
    await eventually(() => talkingTo(a, 'hana'), 'hana to be connected', 20_000);
    assert.equal(await talkingTo(a, 'hana'), ids.jonas, 'serial routing would ring priya first, but she is Busy');
    const offers = a.events.filter((e) => e.type === 'queue.offer' && e.agentId === ids.priya);
    assert.deepEqual(offers, [], 'priya was never offered the call');
  });

  it('skips an agent who ignores the offer after the alert time, and marks them missed', async () => {
    const a = await start({});
    await behave(a, 'priya', 'ignore');
    await behave(a, 'jonas', 'answer');
    await dialAll(a, ['elif']);
    await eventually(() => talkingTo(a, 'elif'), 'elif to be connected', 20_000);
    assert.equal(await talkingTo(a, 'elif'), ids.jonas);
    const priyaOffers = a.events.filter((e) => e.type === 'queue.offer' && e.agentId === ids.priya).map((e) => (e as { state: string }).state);
    assert.deepEqual(priyaOffers, ['ringing', 'missed']);
    const s = await status(a);
    assert.equal(s.agents.find((x) => x.userId === ids.priya)!.today.missed, 1);
    // The offer call to priya was hung up while ringing (call-delete cancels it): her phone stopped ringing.
    const ringEnded = (await a.emulatorJson('GET', '/emulator/events/recent?type=person.ring-ended')).body.value as Array<{ person: string; outcome: string }>;
    assert.ok(ringEnded.some((e) => e.person === ids.priya && e.outcome === 'cancelled'), JSON.stringify(ringEnded));
  });

  it('overflow at maximum callers: the next caller is redirected to voicemail before being answered', async () => {
    const a = await start({ maxCallers: 1, overflow: { action: 'voicemail', to: 'amara' } });
    await a.queues.signOut('support', ids.priya);
    await a.queues.signOut('support', ids.jonas);
    const [first] = await dialAll(a, ['hana']);
    await eventually(async () => (await status(a)).waiting.length === 1, 'hana waiting');
    const [second] = await dialAll(a, ['elif']);
    const redirect = await eventually(async () => (await truth(a, second!)).redirect, 'the second call to be redirected');
    assert.match(JSON.stringify(redirect), /voicemail/i);
    assert.match(JSON.stringify(redirect), new RegExp(ids.amara));
    assert.equal((await truth(a, second!)).answeredAt, null, 'redirected without being answered');
    const s = await status(a);
    assert.deepEqual(s.waiting.map((w) => w.callId), [first]);
    assert.equal(s.today.overflowed, 1);
  });

  it('nobody signed in: the noAgents action takes a new caller at once (voicemail before answering); with an agent back, callers wait again', async () => {
    const a = await start({ noAgents: { action: 'voicemail', to: 'amara' } });
    await a.queues.signOut('support', ids.priya);
    await a.queues.signOut('support', ids.jonas);
    const [first] = await dialAll(a, ['hana']);
    const redirect = await eventually(async () => (await truth(a, first!)).redirect, 'the call to be redirected');
    assert.match(JSON.stringify(redirect), /voicemail/i);
    assert.match(JSON.stringify(redirect), new RegExp(ids.amara));
    assert.equal((await truth(a, first!)).answeredAt, null, 'redirected without being answered');
    let s = await status(a);
    assert.equal(s.waiting.length, 0);
    assert.equal(s.today.noAgents, 1);
    assert.equal(s.today.entered, 0, 'never in line');
    const m = await scrape(a);
    assert.equal(valueOf(m, 'switchboard_queue_changes_total', { queue: 'support', change: 'no_agents' }), 1);

    // Jonas signs in but is Busy: someone is signed in, so the next caller waits (Teams applies NoAgentAction only
    // when no agent is signed in, not when none is free).
    await presence(a, 'jonas', 'Busy', 'Busy');
    await a.queues.signIn('support', ids.jonas);
    const [second] = await dialAll(a, ['elif']);
    await eventually(async () => (await status(a)).waiting.length === 1, 'elif waiting in line');
    s = await status(a);
    assert.equal(s.waiting[0]!.callId, second);
    assert.equal(s.today.noAgents, 1);
    assert.equal((await truth(a, second!)).redirect ?? null, null);
  });

  it('timeout at maximum wait: the caller is transferred as the queue says', async () => {
    const a = await start({ maxWaitSeconds: 2, timeout: { action: 'transfer', to: 'amara', prompt: { text: 'Nobody is free. Putting you through to reception.' } } });
    await a.queues.signOut('support', ids.priya);
    await a.queues.signOut('support', ids.jonas);
    await behave(a, 'amara', 'answer');
    const [callId] = await dialAll(a, ['mateo']);
    await eventually(async () => (await truth(a, callId!)).state === 'terminated', 'the call to be transferred', 20_000);
    const t = await truth(a, callId!);
    assert.match(JSON.stringify(t.transfer), new RegExp(ids.amara));
    assert.equal(Number(t.resultInfo.subcode), 7015);
    assert.equal(await talkingTo(a, 'mateo'), ids.amara);
    const s = await status(a);
    assert.equal(s.today.timedOut, 1);
    assert.equal(s.waiting.length, 0);
  });

  it('a call-back is placed once when an agent frees up: the agent is rung first, then the customer, and they are joined', async () => {
    const a = await start({ callback: { afterSeconds: 0, key: '1', retrySeconds: 1 } });
    await behave(a, 'priya', 'answer');
    await a.queues.signOut('support', ids.jonas);
    await presence(a, 'priya', 'Busy', 'InACall');
    await behave(a, 'tomasz', 'answer');
    const [callId] = await dialAll(a, ['tomasz']);
    await eventually(async () => (await status(a)).waiting[0]?.hearing === 'music', 'tomasz to hear the call-back offer and music', 15_000);
    await act(a, callId!, 'tones', { tones: '1' });
    await eventually(async () => (await truth(a, callId!)).state === 'terminated', 'the bot to hang up after the confirmation');
    const waiting = (await status(a)).waiting;
    assert.equal(waiting.length, 1);
    assert.equal(waiting[0]!.state, 'callback-waiting');
    assert.equal((await creates(a, ids.tomasz)).length, 0, 'no call-back while every agent is busy');

    await a.emulatorJson('DELETE', `/emulator/people/${UPN.priya}/presence`);
    // Generous: with the other test worker busy, the poll, the agent's ring and the customer's ring each queue for CPU.
    await eventually(() => talkingTo(a, 'tomasz'), 'tomasz to be called back and joined with priya', 40_000).catch(async (err: Error) => {
      // Say where it stood, so a failure here can be read from the CI log alone.
      const s = await status(a);
      throw new Error(`${err.message}; queue: ${JSON.stringify({ waiting: s.waiting, agents: s.agents })}; call-back creates: ${(await creates(a, ids.tomasz)).length}, to priya: ${(await creates(a, ids.priya)).length}`);
    });
    assert.equal(await talkingTo(a, 'tomasz'), ids.priya);
    await a.queues.idle();
    assert.equal((await creates(a, ids.tomasz)).length, 1, 'exactly one call-back call');
    // The emulator joins them before the app has heard both of its legs end.
    const s = await eventually(async () => { const x = await status(a); return x.today.answered === 1 && x; }, 'the call-back counted as answered');
    assert.equal(s.waiting.length, 0);
    assert.equal(s.today.callbacksRequested, 1);
  });

  it('in chat: an agent signs in, gets an offer card with the caller\'s wait, and sees it turn to "talking" in place', async () => {
    const a = await start({});
    await behave(a, 'priya', 'answer');
    await a.queues.signOut('support', ids.jonas);
    const sent = await a.emulatorJson('POST', '/emulator/chat/personal/messages', { person: UPN.priya, text: 'sign in support' });
    assert.equal(sent.status, 202);
    const fromBot = async () => (await a.emulatorJson('GET', '/emulator/connector/activities?direction=from-bot')).body.value as Array<{ activityId: string; operation: string; activity: unknown }>;
    await eventually(async () => (await fromBot()).some((r) => /signed in to the \*\*support\*\* queue/.test(JSON.stringify(r.activity))), 'the sign-in reply');
    await dialAll(a, ['hana']);
    const offer = await eventually(async () => (await fromBot()).find((r) => r.operation !== 'update' && /support queue — caller waited/.test(JSON.stringify(r.activity))), 'the offer card', 20_000);
    assert.match(JSON.stringify(offer.activity), /queue\.accept/);
    await eventually(() => talkingTo(a, 'hana'), 'hana put through to priya', 20_000);
    const updated = await eventually(async () => (await fromBot()).find((r) => r.operation === 'update' && r.activityId === offer.activityId && /talking to the caller/.test(JSON.stringify(r.activity))), 'the card updated in place', 20_000);
    assert.doesNotMatch(JSON.stringify(updated.activity), /queue\.accept/, 'no Accept once the call is taken');
  });

  it('Accept (the offer card\'s button) puts the caller through at once: a blind transfer rings the agent with the caller', async () => {
    const a = await start({ alertSeconds: 30 });
    await behave(a, 'priya', 'manual');
    await a.queues.signOut('support', ids.jonas);
    const [callId] = await dialAll(a, ['elif']);
    const ringing = await eventually(() => a.events.find((e) => e.type === 'queue.offer' && e.state === 'ringing'), 'priya to be rung');
    await behave(a, 'priya', 'answer');
    await a.queues.accept((ringing as { entryId: string }).entryId, ids.priya);
    await eventually(() => talkingTo(a, 'elif'), 'elif put through to priya', 20_000);
    // The emulator starts the direct call a moment before it ends the bot's leg with the transfer's result.
    const t = await eventually(async () => {
      const call = await truth(a, callId!);
      return call.resultInfo && call;
    }, 'the bot\'s leg to end with the transfer\'s result');
    assert.equal(Number(t.resultInfo.subcode), 7015, 'a blind transfer (the offer call was hung up)');
    await assert.rejects(a.queues.accept((ringing as { entryId: string }).entryId, ids.priya), (err: { code: string }) => err.code === 'queues/offer-gone');
  });

  it('a menu option puts the caller in the queue (the caller presses 1 during the menu)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-queues-menu-'));
    const file = deskFile(dir, {}, { default: { action: 'answer', menu: 'main' }, menus: { main: { prompt: { text: 'Press 1 for support.' }, options: { '1': { action: 'enqueue', queue: 'support' } } } } });
    app = await startLocalSwitchboard({ env: { FRONT_DESK_FILE: file }, queues: QUEUE_TIMING });
    ids = await directoryIds(app);
    await behave(app, 'jonas', 'answer');
    await app.queues.signOut('support', ids.priya);
    const res = await app.emulatorJson('POST', '/emulator/callers', { people: [UPN.mateo], keys: '1' });
    assert.equal(res.status, 201);
    await eventually(() => talkingTo(app!, 'mateo'), 'mateo put through to jonas from the menu', 20_000);
    assert.equal(await talkingTo(app, 'mateo'), ids.jonas);
    assert.ok(app.events.some((e) => e.type === 'ivr.step' && e.step === 'enqueue'), 'the menu handed the call over');
  });

  it('a call-back promised before a restart is placed once after it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-queues-restart-'));
    const { emulator, port } = await startRestartableEmulator(dataDir);
    const env = { FRONT_DESK_FILE: deskFile(dataDir, { callback: { afterSeconds: 0, key: '1', retrySeconds: 1 } }) };
    try {
      const first = await startLocalSwitchboard({ emulator, dataDir, port, env, queues: QUEUE_TIMING });
      ids = await directoryIds(first);
      try {
        await behave(first, 'priya', 'answer');
        await behave(first, 'grace', 'answer');
        await first.queues.signOut('support', ids.jonas);
        await presence(first, 'priya', 'Busy', 'InACall');
        const [callId] = await dialAll(first, ['grace']);
        await eventually(async () => (await status(first)).waiting[0]?.hearing === 'music', 'grace on hold', 15_000);
        await act(first, callId!, 'tones', { tones: '1' });
        await eventually(async () => (await status(first)).waiting[0]?.state === 'callback-waiting', 'the call-back promise');
        await eventually(async () => (await truth(first, callId!)).state === 'terminated', 'grace to hang up');
      } finally {
        await first.stop();
      }
      const second = await startLocalSwitchboard({ emulator, dataDir, port, env, queues: QUEUE_TIMING });
      try {
        assert.equal((await status(second)).waiting[0]?.state, 'callback-waiting', 'the promise survived the restart');
        await second.emulatorJson('DELETE', `/emulator/people/${UPN.priya}/presence`);
        await eventually(() => talkingTo(second, 'grace'), 'grace to be called back after the restart', 20_000);
        await second.queues.idle();
        assert.equal((await creates(second, ids.grace)).length, 1, 'one call-back across both runs of the app');
        await eventually(async () => (await status(second)).waiting.length === 0, 'the call-back to leave the line');
      } finally {
        await second.stop();
      }
    } finally {
      await emulator.close();
    }
  });
});
