// The calls service end to end against a local fake Graph: notifications recorded idempotently and applied after
// the acknowledgement, the front-desk flow, async operations, recordings, keepAlive, restart reconciliation.
import assert from 'node:assert/strict';
import { CALL_EVENTS, CALLS_COLLECTION, CallError, CallService, INBOX_COLLECTION, RECONCILE_PARALLEL, ROSTERS_COLLECTION, type CallSession } from '../../../comms/calls/index.js';
import { createHttpTransport, GraphError, type HttpTransport } from '../../../comms/graph/index.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BusEvent } from '../../../comms/runtime/index.js';
import { EventBus, isEventOf, openAppendLog, openSqliteStore, StoreError, type CommsEvent, type CommsEventType, type Store } from '../../../comms/store/index.js';
import { FakeClock } from './support/fake-clock.js';
import { FakeGraph, participant } from './support/fake-graph.js';
import { batch, incoming, operationDone, roster, state, terminated, tone } from './support/notifications.js';

const TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
const CB = 'https://switchboard.contoso.com/api/calling';
const MIN = 60_000;

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('comms/calls service (against a fake Graph)', () => {
  let fake: FakeGraph;
  let transport: HttpTransport;
  let store: Store;
  let bus: EventBus;
  let events: CommsEvent[];
  let logs: string[];
  let clock: FakeClock;
  let service: CallService;

  function logger() {
    const line = (level: string) => (obj: object, msg?: string) => logs.push(JSON.stringify({ level, ...obj, msg }));
    return { info: line('info'), warn: line('warn'), error: line('error'), debug: line('debug') };
  }

  function makeService(overrides: Partial<ConstructorParameters<typeof CallService>[0]> = {}): CallService {
    return new CallService({
      graph: fake.client(transport),
      store,
      bus,
      logger: logger(),
      callbackUri: CB,
      appId: 'app-1',
      tenantId: TENANT,
      transport,
      recordingHosts: ['media.skype.example'],
      recordingLoopbackHosts: [new URL(fake.url).host],
      now: clock.now,
      timers: clock,
      ...overrides,
    });
  }

  const ofType = <T extends CommsEventType>(type: T) => events.filter(isEventOf(type));

  before(async () => {
    fake = await FakeGraph.start();
    transport = createHttpTransport();
  });
  after(async () => {
    await transport.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    store = openSqliteStore(':memory:');
    bus = new EventBus();
    events = [];
    logs = [];
    bus.subscribe((e) => events.push(e));
    clock = new FakeClock();
    service = makeService();
  });
  afterEach(async () => {
    service.stop();
    await service.idle();
    await store.close();
  });

  async function incomingCall(id = 'in-1'): Promise<CallSession> {
    await service.receive(batch(incoming(id)), TENANT);
    await service.idle();
    return (await service.getCall(id))!;
  }

  async function establishedCall(id = 'in-1'): Promise<CallSession> {
    await incomingCall(id);
    await service.answer(id);
    await service.receive(batch(state(id, 'established')), TENANT);
    await service.idle();
    return (await service.getCall(id))!;
  }

  describe('receiving notifications', () => {
    it('records first, applies after the acknowledgement, and announces an incoming call', async () => {
      const result = await service.receive(batch(incoming('in-1')), TENANT);
      assert.deepEqual(result, { recorded: 1, duplicates: 0 });
      assert.equal(await service.getCall('in-1'), undefined, 'nothing applied before the route could answer');
      assert.equal((await store.list(INBOX_COLLECTION)).length, 1, 'but durably recorded');
      await service.idle();
      const call = (await service.getCall('in-1'))!;
      assert.equal(call.state, 'incoming');
      assert.equal(call.direction, 'incoming');
      assert.equal(call.tenantId, TENANT);
      const [announced] = ofType(CALL_EVENTS.incoming);
      assert.equal(announced?.callId, 'in-1');
      assert.equal(announced?.tenantId, TENANT);
      assert.equal((announced?.source as any).identity.user.id, '8d1e6ab6-26c5-4e22-a1bc-06ea7343958e');
    });

    it('refuses an invalid batch with calls/invalid-notification and records nothing', async () => {
      await assert.rejects(service.receive({ value: [{ changeType: 'nope', resourceUrl: '/communications/calls/x' }] }, TENANT), (err: CallError) => err.code === 'calls/invalid-notification');
      assert.equal((await store.list(INBOX_COLLECTION)).length, 0);
    });

    it('every notification type replayed 3 times has exactly one effect', async () => {
      const kinds = [incoming('in-1'), state('in-1', 'established'), tone('in-1', 1, 'tone1'), roster('in-1', [participant('p-1', 'u-1')]), operationDone('in-1', 'op-x', { status: 'completed' }), terminated('in-1')];
      for (const item of kinds) {
        // Rosters are recorded every time (an identical full roster can be a real change back) and are idempotent to
        // apply; everything else is dropped as a duplicate. Either way: exactly one effect, asserted below.
        const isRoster = String(item.resourceUrl).endsWith('/participants');
        for (let i = 0; i < 3; i += 1) {
          const result = await service.receive(batch(item), TENANT);
          assert.deepEqual(result, i === 0 || isRoster ? { recorded: 1, duplicates: 0 } : { recorded: 0, duplicates: 1 });
        }
        await service.idle();
      }
      assert.equal(ofType(CALL_EVENTS.incoming).length, 1);
      assert.deepEqual(ofType(CALL_EVENTS.state).map((e) => e.state), ['established', 'terminated']);
      assert.equal(ofType(CALL_EVENTS.tone).length, 1);
      assert.equal(ofType(CALL_EVENTS.participants).length, 1);
      assert.equal(ofType(CALL_EVENTS.operation).length, 1);
    });

    it('the same notification with its keys in another order is still a duplicate', async () => {
      await service.receive({ value: [{ changeType: 'updated', resourceUrl: '/communications/calls/a', resourceData: { state: 'hold', '@odata.type': '#microsoft.graph.call' } }] }, TENANT);
      const again = await service.receive({ value: [{ resourceData: { '@odata.type': '#microsoft.graph.call', state: 'hold' }, resourceUrl: '/communications/calls/a', changeType: 'updated' }] }, TENANT);
      assert.deepEqual(again, { recorded: 0, duplicates: 1 });
    });

    it('acknowledges and ignores notifications for unknown calls (no session, no events)', async () => {
      await service.receive(batch(state('ghost', 'established'), tone('ghost', 1, 'tone1'), terminated('ghost')), TENANT);
      await service.idle();
      assert.equal(await service.getCall('ghost'), undefined);
      assert.equal(events.length, 0);
      assert.ok(logs.some((l) => l.includes('unknown call')));
    });

    it('ignores a notification signed for another tenant than the call', async () => {
      await incomingCall('in-1');
      await service.receive(batch(terminated('in-1')), 'other-tenant');
      await service.idle();
      assert.equal((await service.getCall('in-1'))!.state, 'incoming');
    });

    it('publishes tones once each, and roster diffs by participant id', async () => {
      await establishedCall('in-1');
      events.length = 0;
      await service.receive(batch(tone('in-1', 2, 'tone2'), tone('in-1', 1, 'tone1'), tone('in-1', 2, 'tone2')), TENANT);
      await service.receive(batch(roster('in-1', [participant('p-1', 'u-1'), participant('p-2', 'u-2')])), TENANT);
      await service.idle(); // rosters queued together are applied together (one diff): see below
      await service.receive(batch(roster('in-1', [participant('p-1', 'u-1', { isMuted: true }), participant('p-3', 'u-3')])), TENANT);
      await service.idle();
      assert.deepEqual(ofType(CALL_EVENTS.tone).map((e) => [e.sequenceId, e.tone]), [[2, 'tone2'], [1, 'tone1']]);
      const [first, second] = ofType(CALL_EVENTS.participants);
      assert.deepEqual((first!.joined as any[]).map((p) => p.id), ['p-1', 'p-2']);
      assert.deepEqual((second!.joined as any[]).map((p) => p.id), ['p-3']);
      assert.deepEqual((second!.left as any[]).map((p) => p.id), ['p-2']);
      assert.deepEqual((second!.updated as any[]).map((p) => p.id), ['p-1']);
      assert.equal(second!.count, 2);
      assert.deepEqual((await service.getCall('in-1'))!.toneHistory.map((t) => t.sequenceId), [1, 2]);
    });

    it('keeps the roster apart from the call: a state change or a tone never reads it, a roster change never rewrites the call', async () => {
      const touched: string[] = [];
      const watching: Store = {
        ...store,
        get: (collection, key) => (touched.push(`get ${collection}`), store.get(collection, key)),
        update: (collection, key, change) => (touched.push(`update ${collection}`), store.update(collection, key, change)),
        put: (collection, key, value) => (touched.push(`put ${collection}`), store.put(collection, key, value)),
      };
      service.stop();
      service = makeService({ store: watching });
      await establishedCall('in-1');
      const people = Array.from({ length: 50 }, (_, i) => participant(`p-${i}`, `u-${i}`));
      await service.receive(batch(roster('in-1', people)), TENANT);
      await service.idle();
      const callOf = (items: string[]) => items.filter((t) => t.endsWith(` ${CALLS_COLLECTION}`));
      const rosterOf = (items: string[]) => items.filter((t) => t.endsWith(` ${ROSTERS_COLLECTION}`));
      touched.length = 0;
      await service.receive(batch(roster('in-1', people.slice(1))), TENANT);
      await service.idle();
      assert.deepEqual(callOf(touched).filter((t) => !t.startsWith('get ')), [], 'a roster change writes nothing of the call');
      assert.deepEqual(rosterOf(touched), [`update ${ROSTERS_COLLECTION}`]);
      touched.length = 0;
      await service.receive(batch(tone('in-1', 1, 'tone1'), state('in-1', 'established', { mediaState: { audio: 'inactive' } })), TENANT);
      await service.idle();
      assert.deepEqual(rosterOf(touched), [], 'state and tones never read or write the roster');
      assert.ok(callOf(touched).includes(`update ${CALLS_COLLECTION}`));
      const call = (await service.getCall('in-1'))!;
      assert.equal(call.participants.length, 49, 'a read of the call has its roster');
      assert.deepEqual(call.toneHistory.map((t) => t.tone), ['tone1']);
      const record = (await store.get<Record<string, unknown>>(CALLS_COLLECTION, 'in-1'))!;
      assert.equal('participants' in record, false, 'the stored call holds no roster');
      assert.equal((await store.get<CallSession>(ROSTERS_COLLECTION, 'in-1'))!.participants.length, 49);
    });

    it('a call stored with its roster inside (before rosters were kept apart) is read whole, and moves its roster out on the next change', async () => {
      await establishedCall('in-1');
      const stored = (await store.get<CallSession>(CALLS_COLLECTION, 'in-1'))!;
      await store.put(CALLS_COLLECTION, 'in-1', { ...stored, participants: [participant('p-1', 'u-1'), participant('p-2', 'u-2')], rosterVersion: 3 });
      await store.delete(ROSTERS_COLLECTION, 'in-1');
      assert.deepEqual((await service.getCall('in-1'))!.participants.map((p) => p.id), ['p-1', 'p-2']);
      events.length = 0;
      await service.receive(batch(roster('in-1', [participant('p-1', 'u-1')])), TENANT);
      await service.idle();
      const [diff] = ofType(CALL_EVENTS.participants);
      assert.deepEqual((diff!.left as any[]).map((p) => p.id), ['p-2'], 'the diff is against the roster that was inside');
      assert.equal('participants' in (await store.get<Record<string, unknown>>(CALLS_COLLECTION, 'in-1'))!, false, 'moved out of the call');
      assert.deepEqual((await service.getCall('in-1'))!.participants.map((p) => p.id), ['p-1']);
      assert.deepEqual((await service.listCalls())[0]!.participants.map((p) => p.id), ['p-1']);
    });

    it('acknowledges first: nothing is applied while a webhook request is being answered, everything right after', async () => {
      service.stop();
      service = makeService({ ackFirstMaxLagMs: 60_000 });
      const answered = service.receiving();
      await service.receive(batch(incoming('in-1')), TENANT);
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(await service.getCall('in-1'), undefined, 'not applied while a request is in progress');
      answered();
      answered(); // twice is harmless
      await service.idle();
      assert.equal((await service.getCall('in-1'))?.state, 'incoming');
    });

    it('acknowledges first for at most ackFirstMaxLagMs: a request that never ends holds nothing back for good', async () => {
      service.stop();
      service = makeService({ ackFirstMaxLagMs: 20 });
      service.receiving();
      await service.receive(batch(incoming('in-1')), TENANT);
      await service.idle();
      assert.equal((await service.getCall('in-1'))?.state, 'incoming');
    });

    it('a new incoming call is applied ahead of a backlog of other calls\' notifications (its answer window runs); each call keeps its own order', async () => {
      service.stop();
      service = makeService({ ackFirstMaxLagMs: 60_000 });
      await establishedCall('in-1');
      events.length = 0;
      const answered = service.receiving();
      for (let n = 1; n <= 20; n++) await service.receive(batch(tone('in-1', n, 'tone1')), TENANT);
      await service.receive(batch(incoming('in-2')), TENANT);
      await service.receive(batch(state('in-2', 'terminated')), TENANT);
      answered();
      await service.idle();
      const order = events.filter((e) => e.type === CALL_EVENTS.incoming || e.type === CALL_EVENTS.tone || e.type === CALL_EVENTS.state).map((e) => (e.type === CALL_EVENTS.tone ? `tone ${e.sequenceId}` : e.type === CALL_EVENTS.incoming ? `incoming ${e.callId}` : `${e.callId} ${(e as { state: string }).state}`));
      assert.equal(order[0], 'incoming in-2', 'the new call first, before 20 tones queued ahead of it');
      assert.deepEqual(order.filter((o) => o.startsWith('tone')), Array.from({ length: 20 }, (_, i) => `tone ${i + 1}`), 'the other call\'s notifications in order');
      assert.ok(order.indexOf('in-2 terminated') > order.indexOf('incoming in-2'), 'the new call\'s own later notification after it');
      assert.equal((await service.getCall('in-2'))?.state, 'terminated');
    });

    it('answers first: while a new incoming call waits to be applied and answered, a batch without one waits to be recorded (bounded)', async () => {
      const deferred: Array<() => void> = [];
      service.stop();
      // A hold that ran out would pass the test's time limit: the tone must be let go when the calls are answered.
      service = makeService({ defer: (fn) => void deferred.push(fn), answersFirstMaxWaitMs: 60_000 });
      await establishedCall('in-1');
      await service.receive(batch(incoming('in-2')), TENANT); // recorded; its application is deferred
      let recorded = false;
      const held = service.receive(batch(tone('in-1', 1, 'tone1')), TENANT).then((r) => {
        recorded = true;
        return r;
      });
      const another = await service.receive(batch(incoming('in-3')), TENANT);
      assert.equal(another.recorded, 1, 'a batch bringing an incoming call is never held');
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(recorded, false, 'the tone is held while in-2 and in-3 wait to be applied');
      await service.idle();
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(recorded, false, 'and while they are being answered');
      await service.answer('in-2');
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(recorded, false, 'in-3 is still being answered');
      await service.answer('in-3');
      assert.deepEqual(await held, { recorded: 1, duplicates: 0 }, 'recorded once both are answered');
      await service.idle();
      assert.deepEqual(ofType(CALL_EVENTS.tone).map((e) => e.sequenceId), [1]);
      // Nothing applies the incoming call: the hold ends at answersFirstMaxWaitMs.
      service.stop();
      service = makeService({ defer: () => undefined, answersFirstMaxWaitMs: 20 });
      await service.receive(batch(incoming('in-4')), TENANT);
      assert.deepEqual(await service.receive(batch(tone('in-4', 1, 'tone1')), TENANT), { recorded: 1, duplicates: 0 });
    });

    it('answers first in a cluster: a call answered on another instance lets the held batches go on here', async () => {
      let remote: ((event: BusEvent) => void) | undefined;
      const clustered = new EventBus({ relay: { send() {}, onReceive: (listener) => void (remote = listener), close: async () => {} } });
      service.stop();
      service = makeService({ bus: clustered, defer: () => undefined, answersFirstMaxWaitMs: 60_000 });
      await service.receive(batch(incoming('in-5')), TENANT);
      await service.idle(); // announced here; the answer happens elsewhere
      const held = service.receive(batch(tone('in-5', 1, 'tone1')), TENANT);
      remote!({ type: CALL_EVENTS.state, callId: 'in-5', previous: 'incoming', state: 'establishing', at: new Date().toISOString() } as BusEvent);
      assert.deepEqual(await held, { recorded: 1, duplicates: 0 });
    });

    it('rosters of one call that queued up behind each other are applied together: one read, one write, one diff, the roster as if one by one', async () => {
      const rosterWrites: string[] = [];
      const counting: Store = { ...store, update: (collection, key, change) => (collection === ROSTERS_COLLECTION && rosterWrites.push(key), store.update(collection, key, change)) };
      service.stop();
      service = makeService({ store: counting, ackFirstMaxLagMs: 60_000 });
      await establishedCall('in-1');
      await establishedCall('in-2');
      const people = Array.from({ length: 6 }, (_, i) => participant(`p-${i}`, `u-${i}`));
      const answered = service.receiving();
      // p-0..p-4 join, p-5 joins, p-0 leaves; in between a roster of another call and, after them, a state change of in-1.
      await service.receive(batch(roster('in-1', people.slice(0, 5))), TENANT);
      await service.receive(batch(roster('in-2', people.slice(0, 1))), TENANT);
      await service.receive(batch(roster('in-1', people)), TENANT);
      await service.receive(batch(roster('in-1', people.slice(1))), TENANT);
      await service.receive(batch(state('in-1', 'established', { mediaState: { audio: 'inactive' } })), TENANT);
      await service.receive(batch(roster('in-1', people.slice(2))), TENANT);
      events.length = 0;
      rosterWrites.length = 0;
      answered();
      await service.idle();
      assert.deepEqual(rosterWrites, ['in-1', 'in-2', 'in-1'], 'three rosters of in-1 in one update; the one after its state change on its own');
      const diffs = ofType(CALL_EVENTS.participants).filter((e) => e.callId === 'in-1');
      assert.equal(diffs.length, 2);
      assert.deepEqual((diffs[0]!.joined as any[]).map((p) => p.id).sort(), ['p-1', 'p-2', 'p-3', 'p-4', 'p-5'], 'one diff for the three: p-0 came and went');
      assert.deepEqual((diffs[1]!.left as any[]).map((p) => p.id), ['p-1']);
      assert.deepEqual((await service.getCall('in-1'))!.participants.map((p) => p.id), ['p-2', 'p-3', 'p-4', 'p-5']);
      assert.deepEqual((await service.getCall('in-2'))!.participants.map((p) => p.id), ['p-0']);
      const inbox = await store.list<{ processedAt?: string }>(INBOX_COLLECTION);
      assert.ok(inbox.length >= 6 && inbox.every((i) => i.value.processedAt), 'each notification is tombstoned on its own');
    });

    it('holds a bounded backlog in memory: the rest waits in the store and is applied after it, in arrival order, none lost', async () => {
      let inboxReads = 0;
      const counting: Store = { ...store, get: (collection, key) => {
        if (collection === INBOX_COLLECTION) inboxReads += 1;
        return store.get(collection, key);
      } };
      service.stop();
      service = makeService({ store: counting, inboxMaxHeld: 3 });
      await establishedCall('in-1');
      events.length = 0;
      const sequence = Array.from({ length: 30 }, (_, i) => i + 1);
      // All acknowledged before any is applied (each receive returns at once; the applying waits for a turn).
      for (const n of sequence) assert.deepEqual(await service.receive(batch(tone('in-1', n, n % 2 ? 'tone1' : 'tone2')), TENANT), { recorded: 1, duplicates: 0 });
      await service.receive(batch(roster('in-1', [participant('p-1', 'u-1')])), TENANT);
      await service.receive(batch(state('in-1', 'established', { mediaState: { audio: 'inactive' } })), TENANT);
      await service.idle();
      assert.deepEqual(ofType(CALL_EVENTS.tone).map((e) => e.sequenceId), sequence, 'every tone once, in order');
      assert.equal(ofType(CALL_EVENTS.participants).length, 1);
      assert.ok(inboxReads >= 25, `the spilled ones were read back from the store (${inboxReads} reads)`);
      assert.equal((await store.list<{ processedAt?: string }>(INBOX_COLLECTION)).filter((i) => !i.value.processedAt).length, 0, 'all applied');
    });
  });

  describe('front desk decisions', () => {
    it('a subscriber to call.incoming answers; the call goes establishing → established with keepAlive scheduled', async () => {
      bus.subscribe((e) => {
        if (e.type === CALL_EVENTS.incoming) void service.answer(e.callId as string);
      });
      await service.receive(batch(incoming('in-1')), TENANT);
      await service.idle();
      await until(async () => (await service.getCall('in-1'))?.state === 'establishing', 'answer');
      const answer = fake.find('POST', '/in-1/answer')[0]!;
      assert.equal(answer.body.callbackUri, CB);
      assert.deepEqual(answer.body.acceptedModalities, ['audio']);
      assert.equal(answer.body.mediaConfig['@odata.type'], '#microsoft.graph.serviceHostedMediaConfig');
      await service.receive(batch(state('in-1', 'established')), TENANT);
      await service.idle();
      const call = (await service.getCall('in-1'))!;
      assert.equal(call.state, 'established');
      assert.equal(call.nextKeepAliveAt, new Date(clock.now() + 15 * MIN).toISOString());
      assert.deepEqual(ofType(CALL_EVENTS.state).map((e) => [e.previous, e.state]), [['incoming', 'establishing'], ['establishing', 'established']]);
    });

    it('a call that becomes live is written once, with its first keepAlive time (not written again to add it)', async () => {
      const writes: string[] = [];
      const counting: Store = {
        ...store,
        update: (collection, key, change) => (collection === CALLS_COLLECTION && writes.push(key), store.update(collection, key, change)),
      };
      service.stop();
      service = makeService({ store: counting });
      await incomingCall('in-1');
      writes.length = 0;
      await service.answer('in-1');
      const call = (await service.getCall('in-1'))!;
      assert.equal(call.state, 'establishing');
      assert.equal(call.nextKeepAliveAt, new Date(clock.now() + 15 * MIN).toISOString(), 'due one interval on');
      assert.deepEqual(writes, ['in-1'], 'one compare-and-set of the call');
    });

    it('an established notification that beat the answer response is not undone', async () => {
      await incomingCall('in-1');
      fake.on('POST', /\/answer$/, async () => {
        await service.receive(batch(state('in-1', 'established')), TENANT);
        await service.idle();
        return { status: 202 };
      });
      await service.answer('in-1');
      assert.equal((await service.getCall('in-1'))!.state, 'established');
    });

    it('reject and redirect go to Graph for an incoming call; a call already answered is refused with calls/invalid-state', async () => {
      await incomingCall('in-1');
      await service.reject('in-1', 'busy');
      assert.deepEqual(fake.find('POST', '/in-1/reject')[0]!.body, { reason: 'busy' });
      await incomingCall('in-2');
      await service.redirect('in-2', { targets: [{ kind: 'user', id: 'u-9' }], voicemail: true, timeoutSeconds: 20 });
      const redirect = fake.find('POST', '/in-2/redirect')[0]!.body;
      assert.equal(redirect.targets[0].endpointType, 'voicemail');
      assert.equal(redirect.timeout, 20);
      assert.equal(redirect.callbackUri, CB);
      await establishedCall('in-3');
      await assert.rejects(service.reject('in-3'), (err: CallError) => err.code === 'calls/invalid-state');
      await assert.rejects(service.answer('nope'), (err: CallError) => err.code === 'calls/not-found');
    });
  });

  describe('operations', () => {
    it('playPrompt resolves on the completion notification, and call.operation is published', async () => {
      await establishedCall('in-1');
      const done = service.playPrompt('in-1', [{ uri: 'https://cdn.contoso.com/welcome.wav' }], { clientContext: 'menu' });
      await until(() => fake.find('POST', '/in-1/playPrompt').length === 1, 'playPrompt POST');
      let resolved = false;
      void done.then(() => (resolved = true));
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(resolved, false, 'not resolved by the POST answer alone');
      const opId = (await service['tracker'].pending('in-1'))[0]!.id;
      await service.receive(batch(operationDone('in-1', opId, { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'completed', clientContext: 'menu', resultInfo: { code: 200, subcode: 0, message: 'Action completed successfully.' } })), TENANT);
      const op = await done;
      assert.equal(op.status, 'completed');
      const [published] = ofType(CALL_EVENTS.operation);
      assert.equal(published?.operationType, 'playPromptOperation');
      assert.equal(published?.clientContext, 'menu');
    });

    it('playPrompt resolves when the completion arrived before the POST answered', async () => {
      await establishedCall('in-1');
      fake.on('POST', /\/playPrompt$/, async () => {
        await service.receive(batch(operationDone('in-1', 'op-early', { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'completed' })), TENANT);
        await service.idle();
        return { status: 200, body: { '@odata.type': '#microsoft.graph.playPromptOperation', id: 'op-early', status: 'running' } };
      });
      const op = await service.playPrompt('in-1', [{ uri: 'https://cdn.contoso.com/welcome.wav' }]);
      assert.equal(op.status, 'completed');
    });

    it('a cancelled prompt fails with calls/operation-failed carrying 400/8508', async () => {
      await establishedCall('in-1');
      fake.on('POST', /\/playPrompt$/, () => ({ status: 200, body: { '@odata.type': '#microsoft.graph.playPromptOperation', id: 'op-c', status: 'running' } }));
      const done = service.playPrompt('in-1', [{ uri: 'https://cdn.contoso.com/a.wav' }]);
      await until(async () => (await service['tracker'].pending('in-1')).length === 1, 'pending op');
      await service.receive(batch(operationDone('in-1', 'op-c', { '@odata.type': '#microsoft.graph.playPromptOperation', status: 'failed', completionReason: 'operationCanceled', resultInfo: { code: 400, subcode: 8508, message: 'cancelled' } })), TENANT);
      await assert.rejects(done, (err: CallError) => err.code === 'calls/operation-failed' && err.resultInfo?.subcode === 8508);
    });

    it('sendDtmfTones branches on completionReason, never on status: completedSuccessfully resolves, mediaOperationCanceled rejects', async () => {
      await establishedCall('in-1');
      let n = 0;
      fake.on('POST', /\/sendDtmfTones$/, () => ({ status: 200, body: { '@odata.type': '#microsoft.graph.sendDtmfTonesOperation', id: `op-d${++n}`, status: 'running' } }));
      const sent = service.sendDtmfTones('in-1', ['tone1']);
      await until(async () => (await service['tracker'].pending('in-1')).length === 1, 'pending op');
      await service.receive(batch(operationDone('in-1', 'op-d1', { '@odata.type': '#microsoft.graph.sendDtmfTonesOperation', status: 'completed', completionReason: 'completedSuccessfully' })), TENANT);
      assert.equal((await sent).completionReason, 'completedSuccessfully');
      const cancelled = service.sendDtmfTones('in-1', ['tone2']);
      await until(async () => (await service['tracker'].pending('in-1')).length === 1, 'pending op');
      // call-senddtmftones "Error case 1": status completed, completionReason mediaOperationCanceled.
      await service.receive(batch(operationDone('in-1', 'op-d2', { '@odata.type': '#microsoft.graph.sendDtmfTonesOperation', status: 'completed', completionReason: 'mediaOperationCanceled' })), TENANT);
      await assert.rejects(cancelled, (err: CallError) => err.code === 'calls/operation-failed' && err.completionReason === 'mediaOperationCanceled');
      const noReason = service.sendDtmfTones('in-1', ['tone3']);
      await until(async () => (await service['tracker'].pending('in-1')).length === 1, 'pending op');
      await service.receive(batch(operationDone('in-1', 'op-d3', { '@odata.type': '#microsoft.graph.sendDtmfTonesOperation', status: 'completed' })), TENANT);
      assert.equal((await noReason).status, 'completed', 'an older payload without completionReason counts as sent');
    });

    it('a prompt still playing when the call ends fails with calls/call-ended', async () => {
      await establishedCall('in-1');
      const done = service.playPrompt('in-1', [{ uri: 'https://cdn.contoso.com/a.wav' }]);
      await until(async () => (await service['tracker'].pending('in-1')).length === 1, 'pending op');
      await service.receive(batch(terminated('in-1')), TENANT);
      await assert.rejects(done, (err: CallError) => err.code === 'calls/call-ended');
      assert.equal((await service['tracker'].pending()).length, 0);
    });

    it('a prompt with no completion times out on the injected clock and publishes call.error', async () => {
      await establishedCall('in-1');
      const done = service.playPrompt('in-1', [{ uri: 'https://cdn.contoso.com/a.wav' }], { timeoutMs: 30_000 }).catch((err: unknown) => err);
      await until(async () => (await service['tracker'].pending('in-1')).length === 1, 'pending op');
      await clock.advance(30_000);
      const err = await done;
      assert.ok(err instanceof CallError && err.code === 'calls/operation-timeout');
      assert.equal(ofType(CALL_EVENTS.error).at(-1)?.code, 'calls/operation-timeout');
    });

    it('a Graph failure leaves the call as it was, records lastError and publishes call.error with the Graph code', async () => {
      await establishedCall('in-1');
      fake.on('POST', /\/playPrompt$/, () => ({ status: 500, body: { error: { code: 'InternalServerError', message: 'boom' } } }));
      await assert.rejects(service.playPrompt('in-1', [{ uri: 'https://cdn.contoso.com/a.wav' }]), (err: GraphError) => err.code === 'graph/server-error');
      const call = (await service.getCall('in-1'))!;
      assert.equal(call.state, 'established');
      assert.equal(call.lastError?.code, 'graph/server-error');
      const [error] = ofType(CALL_EVENTS.error);
      assert.deepEqual([error?.callId, error?.code], ['in-1', 'graph/server-error']);
    });

    it('a 404 from Graph during a flow marks the call terminated', async () => {
      await establishedCall('in-1');
      fake.gone.add('in-1');
      await assert.rejects(service.subscribeToTone('in-1'), (err: GraphError) => err.code === 'graph/not-found');
      assert.equal((await service.getCall('in-1'))!.state, 'terminated');
      await assert.rejects(service.subscribeToTone('in-1'), (err: CallError) => err.code === 'calls/call-ended');
    });

    it('recordResponse downloads the recording into memory; the token is never published or logged', async () => {
      await establishedCall('in-1');
      fake.recordings.set('rec-1', { token: 'rec-secret-token', audio: Buffer.from('RIFF-audio') });
      const done = service.recordResponse('in-1', { maxRecordDurationInSeconds: 10, stopTones: ['#'] });
      await until(async () => (await service['tracker'].pending('in-1')).length === 1, 'pending record');
      const opId = (await service['tracker'].pending('in-1'))[0]!.id;
      await service.receive(
        batch(operationDone('in-1', opId, { '@odata.type': '#microsoft.graph.recordOperation', status: 'completed', recordingLocation: `${fake.url}/recordings/rec-1`, recordingAccessToken: 'rec-secret-token', resultInfo: { code: 200, subcode: 8515, message: 'max record duration reached' } })),
        TENANT,
      );
      const result = await done;
      assert.equal(result.audio.toString(), 'RIFF-audio');
      assert.deepEqual(result.resultInfo, { code: 200, subcode: 8515, message: 'max record duration reached' });
      assert.equal(ofType(CALL_EVENTS.operation)[0]?.hasRecording, true);
      assert.ok(!JSON.stringify(events).includes('rec-secret-token'), 'not in events');
      assert.ok(!logs.join('\n').includes('rec-secret-token'), 'not in logs');
      assert.ok(!JSON.stringify(await store.list(INBOX_COLLECTION)).includes('rec-secret-token'), 'not kept in the inbox');
    });

    it('recordResponse refuses a recording location off the allowlist', async () => {
      await establishedCall('in-1');
      const done = service.recordResponse('in-1');
      await until(async () => (await service['tracker'].pending('in-1')).length === 1, 'pending record');
      const opId = (await service['tracker'].pending('in-1'))[0]!.id;
      await service.receive(batch(operationDone('in-1', opId, { '@odata.type': '#microsoft.graph.recordOperation', status: 'completed', recordingLocation: 'https://169.254.169.254/latest', recordingAccessToken: 't' })), TENANT);
      await assert.rejects(done, (err: CallError) => err.code === 'calls/recording-host-not-allowed');
    });

    it('invite resolves on completion; mute, subscribeToTone, participants work through the service', async () => {
      await establishedCall('in-1');
      const invite = service.invite('in-1', [{ target: { kind: 'user', id: 'u-7' } }]);
      await until(async () => (await service['tracker'].pending('in-1')).length === 1, 'pending invite');
      const opId = (await service['tracker'].pending('in-1'))[0]!.id;
      await service.receive(batch(operationDone('in-1', opId, { '@odata.type': '#microsoft.graph.inviteParticipantsOperation', status: 'Completed' })), TENANT);
      assert.equal((await invite).status, 'completed');
      assert.equal((await service.subscribeToTone('in-1')).status, 'completed');
      assert.equal((await service.muteParticipant('in-1', 'p-1')).status, 'completed');
      const list = await service.listParticipants('in-1');
      assert.deepEqual(list.map((p) => p.id), ['p-1']);
      assert.deepEqual((await service.getCall('in-1'))!.participants.map((p) => p.id), ['p-1']);
    });
  });

  describe('placing and ending calls', () => {
    it('placeCall stores the call; a notification that raced ahead of the 201 is applied', async () => {
      fake.on('POST', /^\/v1\.0\/communications\/calls$/, async (req) => {
        await service.receive(batch(state('out-1', 'established')), TENANT);
        await service.idle();
        return { status: 201, headers: { location: `${fake.baseUrl}/communications/calls/out-1` }, body: { '@odata.type': '#microsoft.graph.call', id: 'out-1', state: 'establishing', direction: 'outgoing', callbackUri: req.body.callbackUri } };
      });
      const placed = await service.placeCall({ target: { kind: 'user', id: 'u-1' }, purpose: 'reminder', context: { text: 'Stand-up in 5' } });
      assert.equal(placed.id, 'out-1');
      assert.equal(placed.state, 'established');
      assert.equal(placed.direction, 'outgoing');
      assert.equal(placed.tenantId, TENANT);
      assert.equal(placed.purpose, 'reminder');
      assert.deepEqual(placed.context, { text: 'Stand-up in 5' });
      assert.equal(fake.find('POST', '/communications/calls')[0]!.body.callbackUri, CB);
    });

    it('joinMeeting and placeGroupCall store the calls with their meeting info and targets', async () => {
      const meeting = await service.joinMeeting({ meeting: { kind: 'organizer', organizerId: 'org-1', tenantId: 'meeting-tenant', threadId: '19:meeting_x@thread.v2' } });
      assert.equal(meeting.tenantId, 'meeting-tenant');
      assert.equal((meeting.chatInfo as any).threadId, '19:meeting_x@thread.v2');
      assert.equal((meeting.meetingInfo as any)['@odata.type'], '#microsoft.graph.organizerMeetingInfo');
      const group = await service.placeGroupCall({ targets: [{ kind: 'user', id: 'u-1' }, { kind: 'user', id: 'u-2' }] });
      assert.equal(group.targets?.length, 2);
      assert.deepEqual((await service.listCalls({ live: true })).map((c) => c.id).sort(), [meeting.id, group.id].sort());
    });

    it('a failed create publishes call.error and stores nothing', async () => {
      fake.on('POST', /^\/v1\.0\/communications\/calls$/, () => ({ status: 403, body: { error: { code: 'Forbidden', message: 'no' } } }));
      await assert.rejects(service.placeCall({ target: { kind: 'user', id: 'u-1' } }), (err: GraphError) => err.code === 'graph/forbidden');
      assert.equal((await service.listCalls()).length, 0);
      assert.equal(ofType(CALL_EVENTS.error)[0]?.code, 'graph/forbidden');
    });

    it('hangUp moves to terminating, then the deleted notification to terminated with its resultInfo', async () => {
      await establishedCall('in-1');
      const after = await service.hangUp('in-1');
      assert.equal(after.state, 'terminating');
      assert.equal(fake.find('DELETE', '/communications/calls/in-1').length, 1);
      await service.receive(batch(terminated('in-1', { code: 200, subcode: 7000, message: 'Ended by bot' })), TENANT);
      await service.idle();
      const ended = (await service.getCall('in-1'))!;
      assert.equal(ended.state, 'terminated');
      assert.equal(ended.nextKeepAliveAt, undefined);
      const last = ofType(CALL_EVENTS.state).at(-1)!;
      assert.deepEqual([last.previous, last.state, (last.resultInfo as any).subcode], ['terminating', 'terminated', 7000]);
      assert.deepEqual(await service.listCalls({ live: true }), []);
    });

    it('hangUp on a call Graph no longer knows marks it terminated (404)', async () => {
      await establishedCall('in-1');
      fake.gone.add('in-1');
      const after = await service.hangUp('in-1');
      assert.equal(after.state, 'terminated');
      assert.equal(after.resultInfo?.code, 404);
    });

    it('keeps live calls alive every 15 minutes and marks a call terminated when keepAlive answers 404', async () => {
      await establishedCall('in-1');
      await clock.advance(15 * MIN);
      await until(() => fake.find('POST', '/in-1/keepAlive').length === 1, 'first keepAlive');
      fake.gone.add('in-1');
      await clock.advance(15 * MIN);
      await until(async () => (await service.getCall('in-1'))?.state === 'terminated', 'terminated after 404');
      const call = (await service.getCall('in-1'))!;
      assert.deepEqual(call.resultInfo, { code: 404, subcode: 0, message: 'The call ended while the app was not looking' });
      assert.equal(ofType(CALL_EVENTS.state).at(-1)?.state, 'terminated');
    });

    it('updateContext keeps feature data on the call', async () => {
      await establishedCall('in-1');
      await service.updateContext('in-1', { purpose: 'front-desk', context: { ivr: { menu: 'main' } } });
      await service.updateContext('in-1', { context: { attempts: 2 } });
      const call = (await service.getCall('in-1'))!;
      assert.equal(call.purpose, 'front-desk');
      assert.deepEqual(call.context, { ivr: { menu: 'main' }, attempts: 2 });
      await assert.rejects(service.updateContext('nope', {}), (err: CallError) => err.code === 'calls/not-found');
    });
  });

  describe('restart', () => {
    it('applies notifications recorded but not processed before a crash', async () => {
      const crashed = makeService({ defer: () => undefined });
      await crashed.receive(batch(incoming('in-9'), state('in-9', 'establishing')), TENANT);
      crashed.stop();
      assert.equal(await service.getCall('in-9'), undefined);
      const restarted = makeService();
      fake.on('GET', /\/communications\/calls\/in-9$/, () => ({ status: 200, body: { id: 'in-9', state: 'established' } }));
      await restarted.start();
      assert.equal((await restarted.getCall('in-9'))?.state, 'establishing', 'applied at start; Graph not asked yet');
      await restarted.reconcile();
      const call = (await restarted.getCall('in-9'))!;
      assert.equal(call.state, 'established', 'applied, then reconciled with Graph');
      assert.equal(ofType(CALL_EVENTS.incoming).length, 1);
      restarted.stop();
    });

    it('with a roster log: rosters are recorded there as the bytes they came in (not in the store), spill and come back from it, and a restart applies the ones left', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'roster-log-'));
      const bytesOf = (body: unknown) => Buffer.from(JSON.stringify(body));
      try {
        let log = openAppendLog(dir);
        service.stop();
        service = makeService({ rosterLog: log, inboxMaxHeld: 3 });
        await establishedCall('in-1');
        const people = Array.from({ length: 8 }, (_, i) => participant(`p-${i}`, `u-${i}`));
        const before = (await store.list(INBOX_COLLECTION)).length;
        // Eight rosters, all received before any is applied: past the bound of 3 they spill, and are read back from the log.
        for (let n = 1; n <= 8; n++) {
          const body = batch(roster('in-1', people.slice(0, n)));
          assert.deepEqual(await service.receive(body, TENANT, bytesOf(body)), { recorded: 1, duplicates: 0 });
        }
        assert.equal((await store.list(INBOX_COLLECTION)).length, before, 'nothing of the rosters in the store');
        await service.idle();
        assert.deepEqual((await service.getCall('in-1'))!.participants.map((p) => p.id), people.map((p) => p.id));
        service.stop();
        log.close();
        assert.deepEqual(openAppendLog(dir).leftovers(), [], 'all done');

        // Recorded, then the process dies before applying: the next start applies it.
        log = openAppendLog(dir);
        const crashed = makeService({ rosterLog: log, defer: () => undefined });
        const body = batch(roster('in-1', people.slice(0, 2)));
        await crashed.receive(body, TENANT, bytesOf(body));
        crashed.stop();
        log.close();
        log = openAppendLog(dir);
        const restarted = makeService({ rosterLog: log });
        await restarted.start();
        await restarted.idle();
        assert.deepEqual((await restarted.getCall('in-1'))!.participants.map((p) => p.id), ['p-0', 'p-1']);
        restarted.stop();
        log.close();
        assert.deepEqual(openAppendLog(dir).leftovers(), []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('a batch with anything besides rosters in it is recorded in the store, never in the roster log (its bytes would outlive its processing)', async () => {
      let appended = 0;
      const counting = { append: () => (appended++, { segment: 1, offset: 0 }), read: () => undefined, done: () => undefined, leftovers: () => [], close: () => undefined };
      service.stop();
      service = makeService({ rosterLog: counting });
      await establishedCall('in-1');
      const mixed = batch(roster('in-1', [participant('p-1', 'u-1')]), tone('in-1', 1, 'tone1'));
      await service.receive(mixed, TENANT, Buffer.from(JSON.stringify(mixed)));
      await service.idle();
      assert.equal(appended, 0);
      assert.deepEqual((await service.getCall('in-1'))!.participants.map((p) => p.id), ['p-1']);
      const rosters = batch(roster('in-1', [participant('p-2', 'u-2')]));
      await service.receive(rosters, TENANT, Buffer.from(JSON.stringify(rosters)));
      assert.equal(appended, 1, 'a batch of rosters alone goes to the log');
    });

    it('a roster log that cannot be written refuses the batch with store/unavailable (the webhook answers 503) and records nothing', async () => {
      const failing = {
        append: () => {
          throw new StoreError('store/unavailable', 'The inbox log cannot be written (ENOSPC)');
        },
        read: () => undefined,
        done: () => undefined,
        leftovers: () => [],
        close: () => undefined,
      };
      service.stop();
      service = makeService({ rosterLog: failing });
      await establishedCall('in-1');
      const body = batch(roster('in-1', [participant('p-1', 'u-1')]));
      await assert.rejects(service.receive(body, TENANT, Buffer.from(JSON.stringify(body))), (err: StoreError) => err.code === 'store/unavailable');
      await service.idle();
      assert.deepEqual((await service.getCall('in-1'))!.participants, []);
    });

    it('reconciles stored live calls with Graph: 404 → terminated, others keep their keepAlive', async () => {
      await establishedCall('live-1');
      await establishedCall('gone-1');
      service.stop();
      fake.gone.add('gone-1');
      const restarted = makeService();
      await restarted.start();
      assert.deepEqual(restarted.reconciliationStatus(), { total: 2, reread: 0, done: false });
      await restarted.reconcile();
      assert.deepEqual(restarted.reconciliationStatus(), { total: 2, reread: 2, done: true });
      const gone = (await restarted.getCall('gone-1'))!;
      assert.equal(gone.state, 'terminated');
      assert.equal(gone.resultInfo?.code, 404);
      const live = (await restarted.getCall('live-1'))!;
      assert.equal(live.state, 'established');
      assert.ok(live.nextKeepAliveAt);
      await clock.advance(15 * MIN);
      await until(() => fake.find('POST', '/live-1/keepAlive').length >= 1, 'keepAlive after restart');
      assert.equal(fake.find('POST', '/gone-1/keepAlive').length, 0);
      restarted.stop();
    });

    it('re-reads live calls a few at a time (never one by one, never all at once), each reconciled', async () => {
      const ids = Array.from({ length: 40 }, (_, i) => `par-${i}`);
      for (const id of ids) await establishedCall(id);
      service.stop();
      let inFlight = 0;
      let most = 0;
      fake.on('GET', /\/communications\/calls\/(par-\d+)$/, async (_req, m) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight -= 1;
        return m[1] === 'par-7' ? { status: 404, body: { error: { code: 'NotFound', message: 'gone' } } } : { status: 200, body: { id: m[1], state: 'established' } };
      });
      const restarted = makeService();
      await restarted.start();
      await restarted.reconcile();
      assert.ok(most > 1, `re-read in parallel (at most ${most} at once)`);
      assert.ok(most <= RECONCILE_PARALLEL, `at most ${RECONCILE_PARALLEL} at once, not ${most}`);
      assert.equal(fake.find('GET', /\/communications\/calls\/par-\d+$/).length, ids.length, 'every live call re-read once');
      for (const id of ids) {
        const call = (await restarted.getCall(id))!;
        if (id === 'par-7') assert.equal(call.state, 'terminated');
        else assert.ok(call.state === 'established' && call.nextKeepAliveAt, `${id} live and kept alive`);
      }
      restarted.stop();
    });

    it('serves from the store while re-reading: a notification applied meanwhile wins over the older answer from Graph', async () => {
      await establishedCall('held-1');
      await establishedCall('moved-1');
      service.stop();
      const restarted = makeService();
      // Graph's answer for held-1 was read before the notification below was applied: it still says established.
      fake.on('GET', /\/communications\/calls\/(held-1|moved-1)$/, async (_req, m) => {
        if (m[1] === 'held-1') {
          await restarted.receive(batch(state('held-1', 'hold')), TENANT);
          await restarted.idle();
        }
        return { status: 200, body: { id: m[1], state: m[1] === 'held-1' ? 'established' : 'hold' } };
      });
      await restarted.start();
      assert.equal((await restarted.getCall('held-1'))?.state, 'established', 'known from the store before Graph answers');
      await restarted.reconcile();
      assert.equal((await restarted.getCall('held-1'))?.state, 'hold', 'the newer notification stands');
      assert.equal((await restarted.getCall('moved-1'))?.state, 'hold', 'what moved while the app was down is applied');
      restarted.stop();
    });

    it('stops re-reading when the service stops', async () => {
      const ids = Array.from({ length: RECONCILE_PARALLEL * 3 }, (_, i) => `stop-${i}`);
      for (const id of ids) await establishedCall(id);
      service.stop();
      const restarted = makeService();
      fake.on('GET', /\/communications\/calls\/(stop-\d+)$/, (_req, m) => {
        restarted.stop();
        return { status: 200, body: { id: m[1], state: 'established' } };
      });
      await restarted.start();
      await restarted.reconcile();
      const asked = fake.find('GET', /\/communications\/calls\/stop-\d+$/).length;
      assert.ok(asked <= RECONCILE_PARALLEL, `only those in flight when it stopped were asked (${asked})`);
      assert.equal(restarted.reconciliationStatus().done, true);
    });
  });

  it('never logs the app token or a recording token', async () => {
    await establishedCall('in-1');
    assert.ok(!logs.join('\n').includes('app-token'));
  });
});

describe('comms/calls CallService roster redelivery', () => {
  it('records a full roster identical to an earlier one (join then leave), while other duplicates are dropped', async () => {
    const quiet = { info() {}, warn() {}, error() {}, debug() {} };
    const calls = new CallService({ graph: {} as never, store: openSqliteStore(':memory:'), bus: new EventBus(), logger: quiet, callbackUri: 'https://x/cb', appId: 'a', transport: {} as never, recordingHosts: [], defer: () => undefined });
    const roster = { changeType: 'updated', resourceUrl: '/communications/calls/c1/participants', resourceData: [{ id: 'p1', info: { identity: { user: { id: 'u1' } } }, isMuted: false }] };
    const state = { changeType: 'updated', resourceUrl: '/communications/calls/c1', resourceData: { state: 'established' } };
    assert.deepEqual(await calls.receive({ value: [roster, state] }, 't'), { recorded: 2, duplicates: 0 });
    assert.deepEqual(await calls.receive({ value: [roster, state] }, 't'), { recorded: 1, duplicates: 1 });
  });
});
