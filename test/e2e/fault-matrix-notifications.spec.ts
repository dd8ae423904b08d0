// The fault matrix, part 2: notifications dropped, duplicated, reordered or delayed at each step of a front-desk call
// (incoming, established, prompt finished, key press, recording finished, transfer, hang-up) and of a reminder call,
// and the steps that cannot recover — each must end with the menu going on, or politely (a last prompt, then the
// hang-up), never with an open line nobody speaks on, and nothing done twice.
import assert from 'node:assert/strict';
import type { Reminder } from '../../comms/reminders/index.js';
import { eventually, type LocalSwitchboard } from '../support/local-switchboard.js';
import {
  clearFaults,
  emulatedState,
  endedPolitely,
  fault,
  hangUpIfLive,
  ivrSteps,
  lastSeq,
  notificationFault,
  phase,
  posts,
  promptsPlayed,
  requestsSince,
  startMatrixApp,
} from './fault-matrix-support.js';
import { act, behave, dial, directoryIds, truth, type PersonName } from './people.js';

const CALLERS: PersonName[] = ['hana', 'elif', 'mateo', 'amara'];

describe('fault matrix: lost, doubled, late and reordered notifications at each step (local mode)', function () {
  this.timeout(30_000);
  let app: LocalSwitchboard;
  let ids: Record<PersonName, string>;
  let turn = 0;

  before(async () => {
    app = await startMatrixApp();
    ids = await directoryIds(app);
    await behave(app, 'priya', 'answer');
    await behave(app, 'jonas', 'answer');
  });
  after(async () => app?.stop());
  afterEach(async () => clearFaults(app));

  const nextCaller = () => CALLERS[turn++ % CALLERS.length]!;
  const menuContinues = async (callId: string) => {
    await act(app, callId, 'tones', { tones: '3' });
    await phase(app, callId, 'waiting', 'more');
  };

  // ---- the incoming call and its establishment -----------------------------------------------------------------
  const setup: Array<[string, Record<string, unknown>, number]> = [
    // scenario, notification fault, answer requests expected
    ['incoming call duplicated', { match: { state: 'incoming' }, action: 'duplicate' }, 1],
    ['incoming call delayed', { match: { state: 'incoming' }, action: 'delay', delayMs: 800 }, 1],
    ['established dropped', { match: { state: 'established' }, action: 'drop' }, 1],
    ['established duplicated', { match: { state: 'established' }, action: 'duplicate' }, 1],
    ['established delayed', { match: { state: 'established' }, action: 'delay', delayMs: 800 }, 1],
    ['establishing reordered after established', { match: { state: 'establishing' }, action: 'reorder' }, 1],
  ];
  for (const [name, spec, answers] of setup) {
    it(`${name}: answered once, the menu prompt plays once and the menu goes on`, async () => {
      const since = await lastSeq(app);
      await notificationFault(app, spec);
      const callId = await dial(app, nextCaller());
      await phase(app, callId, 'waiting');
      const log = await requestsSince(app, since);
      assert.equal(posts(log, 'answer', callId).length, answers);
      assert.equal(posts(log, 'playPrompt', callId).length, 1, 'the menu prompt was started once');
      if (name === 'established dropped') assert.ok(log.some((r) => r.method === 'GET' && r.path.endsWith(callId)), 'the overdue call was re-read');
      await menuContinues(callId);
      await hangUpIfLive(app, callId);
    });
  }

  // ---- the menu prompt's completion ----------------------------------------------------------------------------
  const completion: Array<[string, Record<string, unknown>]> = [
    ['prompt completion dropped', { action: 'drop' }],
    ['prompt completion duplicated', { action: 'duplicate' }],
    ['prompt completion delayed', { action: 'delay', delayMs: 600 }],
    ['prompt completion reordered (held back)', { action: 'reorder' }],
  ];
  for (const [name, spec] of completion) {
    it(`${name}: the menu listens and goes on, the prompt played once`, async () => {
      const since = await lastSeq(app);
      const callId = await dial(app, nextCaller());
      await notificationFault(app, { match: { callId, resource: '/operations/' }, ...spec });
      await phase(app, callId, 'waiting');
      assert.equal(await promptsPlayed(app, callId), 1);
      const log = await requestsSince(app, since);
      assert.equal(posts(log, 'playPrompt', callId).length, 1, 'not replayed');
      if (name.includes('dropped')) assert.ok(log.some((r) => r.method === 'GET' && r.path.includes(`${callId}/operations/`)), 'the overdue operation was re-read');
      await menuContinues(callId);
      await hangUpIfLive(app, callId);
    });
  }

  // ---- key presses ---------------------------------------------------------------------------------------------
  it('key press dropped: the caller presses again and the menu goes on; the key counted once', async () => {
    const callId = await dial(app, nextCaller());
    await phase(app, callId, 'waiting');
    await notificationFault(app, { match: { callId, tone: true }, action: 'drop' });
    await act(app, callId, 'tones', { tones: '3' });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(ivrSteps(app, callId, 'key').length, 0, 'the lost key was not heard');
    await menuContinues(callId);
    assert.equal(ivrSteps(app, callId, 'key').length, 1);
    await hangUpIfLive(app, callId);
  });

  for (const [name, spec] of [['duplicated', { action: 'duplicate' }], ['delayed', { action: 'delay', delayMs: 500 }]] as Array<[string, Record<string, unknown>]>) {
    it(`key press ${name}: acted on once`, async () => {
      const callId = await dial(app, nextCaller());
      await phase(app, callId, 'waiting');
      await notificationFault(app, { match: { callId, tone: true }, ...spec });
      await menuContinues(callId);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(ivrSteps(app, callId, 'key').length, 1, 'one key');
      assert.equal(ivrSteps(app, callId, 'menu').filter((s) => s.menu === 'more').length, 1, 'the submenu entered once');
      await hangUpIfLive(app, callId);
    });
  }

  // ---- the recording's completion ------------------------------------------------------------------------------
  for (const [name, spec] of [['dropped', { action: 'drop' }], ['duplicated', { action: 'duplicate' }]] as Array<[string, Record<string, unknown>]>) {
    it(`recording completion ${name}: one recording reaches the IVR, then the goodbye and the hang-up`, async () => {
      const since = await lastSeq(app);
      const callId = await dial(app, nextCaller());
      await phase(app, callId, 'waiting');
      await act(app, callId, 'tones', { tones: '2' });
      await eventually(async () => (await truth(app, callId)).listeningOperationId, 'the recording to listen');
      await notificationFault(app, { match: { callId, resource: '/operations/' }, ...spec });
      await act(app, callId, 'speak', { seconds: 1 });
      await eventually(() => app.events.some((e) => e.type === 'ivr.recording' && e.callId === callId), 'the recording to reach the IVR', 10_000);
      await eventually(async () => (await emulatedState(app, callId)) === 'terminated', 'the goodbye and hang-up', 8000);
      assert.equal(app.events.filter((e) => e.type === 'ivr.recording' && e.callId === callId).length, 1);
      assert.equal(posts(await requestsSince(app, since), 'recordResponse', callId).length, 1);
      await hangUpIfLive(app, callId);
    });
  }

  // ---- transfer and hang-up ------------------------------------------------------------------------------------
  const endings: Array<[string, Record<string, unknown>, string]> = [
    ['transferring dropped', { match: { state: 'transferring' }, action: 'drop' }, '1'],
    ['transfer end dropped', { match: { state: 'terminated' }, action: 'drop' }, '1'],
    ['hang-up end dropped', { match: { state: 'terminated' }, action: 'drop' }, '2'],
    ['hang-up end duplicated', { match: { state: 'terminated' }, action: 'duplicate' }, '2'],
  ];
  for (const [name, spec, key] of endings) {
    it(`${name}: the app still sees the call end, once`, async () => {
      const callId = await dial(app, nextCaller());
      await phase(app, callId, 'waiting');
      await notificationFault(app, { match: { callId, ...(spec.match as object) }, action: spec.action });
      await act(app, callId, 'tones', { tones: key });
      if (key === '2') {
        await eventually(async () => (await truth(app, callId)).listeningOperationId, 'the recording to listen');
        await act(app, callId, 'speak', { seconds: 1 });
      }
      await eventually(async () => (await emulatedState(app, callId)) === 'terminated', 'the emulated call to end', 8000);
      await eventually(async () => (await app.calls.getCall(callId))?.state === 'terminated', 'the app to see the end', 8000);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(app.events.filter((e) => e.type === 'call.state' && e.callId === callId && e.state === 'terminated').length, 1, 'ended once');
    });
  }

  // ---- a reminder call -----------------------------------------------------------------------------------------
  for (const [name, spec] of [['established dropped', { match: { state: 'established' }, action: 'drop' }], ['prompt completion dropped', { match: { resource: '/operations/' }, action: 'drop' }]] as Array<[string, Record<string, unknown>]>) {
    it(`reminder, ${name}: the person hears the reminder once and it is delivered`, async () => {
      await notificationFault(app, spec);
      const reminder = await app.reminders.schedule({ person: { userId: ids.jonas }, message: `Notification ${name}`, at: new Date(), confirm: false });
      const done = (await eventually(async () => {
        const r = await app.reminders.get(reminder.id);
        return r && r.status !== 'calling' && r.status !== 'scheduled' && r;
      }, 'the reminder outcome', 15_000)) as Reminder;
      assert.equal(done.status, 'delivered', done.outcome);
      assert.equal(done.attempts, 1);
      assert.equal(await promptsPlayed(app, done.callId!), 1);
    });
  }

  // ---- steps that cannot recover: end politely -----------------------------------------------------------------
  it('the menu prompt fails every retry: an apology is played, then the bot hangs up', async () => {
    const since = await lastSeq(app);
    // Exactly the attempts the call service makes for one prompt: the apology after them gets through.
    await fault(app, { match: { method: 'POST', path: '/v1.0/communications/calls/*/playPrompt' }, status: 503, count: 4 });
    const callId = await dial(app, nextCaller());
    await endedPolitely(app, callId);
    assert.equal(await promptsPlayed(app, callId), 1, 'the apology');
    assert.equal(posts(await requestsSince(app, since), 'playPrompt', callId).length, 5);
    const ended = await truth(app, callId);
    assert.equal(Number(ended.resultInfo?.subcode), 5001, 'the bot hung up');
  });

  it('the transfer fails (the agent declines): the caller is told and the bot hangs up', async () => {
    await behave(app, 'priya', 'decline');
    try {
      const callId = await dial(app, nextCaller());
      await phase(app, callId, 'waiting');
      await act(app, callId, 'tones', { tones: '1' });
      await endedPolitely(app, callId);
      assert.ok(ivrSteps(app, callId, 'transfer-failed').length === 1);
      assert.equal(await promptsPlayed(app, callId), 2, 'the menu, then the apology');
    } finally {
      await behave(app, 'priya', 'answer');
    }
  });

  it('the hang-up fails every retry: keepAlive repeats it instead of keeping the call alive, and the call ends', async () => {
    const since = await lastSeq(app);
    const callId = await dial(app, nextCaller());
    await phase(app, callId, 'waiting');
    await fault(app, { match: { method: 'DELETE', path: `/v1.0/communications/calls/${callId}` }, status: 503, count: 4 });
    await act(app, callId, 'tones', { tones: '2' });
    await eventually(async () => (await truth(app, callId)).listeningOperationId, 'the recording to listen');
    await act(app, callId, 'speak', { seconds: 1 });
    await eventually(async () => (await emulatedState(app, callId)) === 'terminated', 'the call to end', 10_000);
    const log = await requestsSince(app, since);
    const deletes = log.filter((r) => r.method === 'DELETE' && r.path.endsWith(callId));
    assert.ok(deletes.length >= 5, `the hang-up was repeated (${deletes.length} DELETEs)`);
    assert.equal(deletes.filter((r) => r.status === 204).length, 1);
    const keepAlives = posts(log, 'keepAlive', callId).filter((r) => r.seq > deletes[0]!.seq);
    assert.equal(keepAlives.length, 0, 'no keepAlive after the bot asked to hang up');
  });
});
