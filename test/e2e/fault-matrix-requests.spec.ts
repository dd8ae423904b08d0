// The fault matrix, part 1: one injected request fault (429, 503, a reset before or after Graph acted, slow, slower
// than the app's timeout) on each call request — answer, playPrompt, subscribeToTone, recordResponse, transfer,
// invite, create call — and the outcome each must have on the emulator's truth: the call answered once, the menu
// going on, one recording, one transfer, one call placed, nothing doubled.
import assert from 'node:assert/strict';
import type { Reminder } from '../../comms/reminders/index.js';
import { eventually, type LocalSwitchboard } from '../support/local-switchboard.js';
import {
  clearFaults,
  emulatedState,
  fault,
  hangUpIfLive,
  lastSeq,
  phase,
  posts,
  promptsPlayed,
  REQUEST_FAULTS,
  requestsSince,
  startMatrixApp,
  type RequestFaultName,
} from './fault-matrix-support.js';
import { act, behave, dial, directoryIds, truth, type PersonName } from './people.js';

const CALLERS: PersonName[] = ['hana', 'elif', 'mateo', 'amara'];

describe('fault matrix: one failed request per call step (local mode)', function () {
  this.timeout(30_000);
  let app: LocalSwitchboard;
  let ids: Record<PersonName, string>;
  let turn = 0;

  before(async () => {
    app = await startMatrixApp();
    ids = await directoryIds(app);
    await behave(app, 'priya', 'answer');
    await behave(app, 'jonas', 'answer');
    await behave(app, 'grace', 'answer');
    await behave(app, 'tomasz', 'answer');
  });
  after(async () => app?.stop());
  afterEach(async () => clearFaults(app));

  const nextCaller = () => CALLERS[turn++ % CALLERS.length]!;
  const on = (action: string, name: RequestFaultName, extra: Record<string, unknown> = {}) =>
    fault(app, { match: { method: 'POST', path: `/v1.0/communications/calls/*/${action}` }, ...REQUEST_FAULTS[name], ...extra });

  /** A caller dials in and the menu prompt has finished: the IVR listens. */
  async function inMenu(): Promise<string> {
    const callId = await dial(app, nextCaller());
    await phase(app, callId, 'waiting');
    return callId;
  }

  /** The menu goes on: 3 opens the submenu, whose prompt plays. */
  async function menuContinues(callId: string): Promise<void> {
    await act(app, callId, 'tones', { tones: '3' });
    await phase(app, callId, 'waiting', 'more');
  }

  // ---- answer -------------------------------------------------------------------------------------------------
  const answerCases: Array<[RequestFaultName, (log: Awaited<ReturnType<typeof requestsSince>>, callId: string) => void]> = [
    ['429', (log, id) => assert.equal(posts(log, 'answer', id).length, 2, 'answered again after the 429')],
    ['503', (log, id) => assert.equal(posts(log, 'answer', id).length, 2, 'answered again after the 503')],
    ['reset', (log, id) => {
      assert.equal(posts(log, 'answer', id).length, 2, 'the call was still incoming, so it was answered again');
      assert.ok(log.some((r) => r.method === 'GET' && r.path.endsWith(id)), 'the call was re-read before answering again');
    }],
    ['reset-after-processing', (log, id) => {
      assert.equal(posts(log, 'answer', id).length, 1, 'Graph had answered it: not answered twice');
      assert.ok(log.some((r) => r.method === 'GET' && r.path.endsWith(id)), 'the call was re-read');
    }],
    ['slow', (log, id) => assert.equal(posts(log, 'answer', id).length, 1)],
    ['slow-past-timeout', (log, id) => assert.equal(posts(log, 'answer', id).filter((r) => r.status === 202).length, 1, 'answered exactly once')],
  ];
  for (const [name, check] of answerCases) {
    it(`answer + ${name}: the call is answered once and the menu plays`, async () => {
      const since = await lastSeq(app);
      await on('answer', name);
      const callId = await dial(app, nextCaller());
      await phase(app, callId, 'waiting');
      assert.equal(await emulatedState(app, callId), 'established');
      check(await requestsSince(app, since), callId);
      await menuContinues(callId);
      await hangUpIfLive(app, callId);
    });
  }

  // ---- playPrompt ---------------------------------------------------------------------------------------------
  const promptCases: Array<[RequestFaultName, number, number]> = [
    // fault, playPrompt requests for the menu, prompts the caller heard
    ['429', 2, 1],
    ['503', 2, 1],
    ['reset', 2, 1],
    ['reset-after-processing', 2, 2],
    ['slow', 1, 1],
  ];
  for (const [name, requests, heard] of promptCases) {
    it(`playPrompt + ${name}: the menu prompt is heard (${heard}×) and the menu goes on`, async () => {
      const since = await lastSeq(app);
      await on('playPrompt', name);
      const callId = await dial(app, nextCaller());
      await phase(app, callId, 'waiting');
      await eventually(async () => (await promptsPlayed(app, callId)) === heard, `${heard} prompt(s) played`);
      assert.equal(posts(await requestsSince(app, since), 'playPrompt', callId).length, requests);
      await menuContinues(callId);
      await hangUpIfLive(app, callId);
    });
  }

  // ---- subscribeToTone ----------------------------------------------------------------------------------------
  for (const [name, requests] of [['429', 2], ['503', 2], ['reset', 2], ['slow', 1]] as Array<[RequestFaultName, number]>) {
    it(`subscribeToTone + ${name}: keys are still heard`, async () => {
      const since = await lastSeq(app);
      await on('subscribeToTone', name);
      const callId = await inMenu();
      await menuContinues(callId);
      assert.equal(posts(await requestsSince(app, since), 'subscribeToTone', callId).length, requests);
      await hangUpIfLive(app, callId);
    });
  }

  // ---- recordResponse -----------------------------------------------------------------------------------------
  for (const [name, requests] of [['429', 2], ['503', 2], ['reset', 2], ['reset-after-processing', 2], ['slow', 1]] as Array<[RequestFaultName, number]>) {
    it(`recordResponse + ${name}: one message is recorded, then a goodbye and the hang-up`, async () => {
      const callId = await inMenu();
      const since = await lastSeq(app);
      await on('recordResponse', name);
      await act(app, callId, 'tones', { tones: '2' });
      // Speak into the recording that is running now (after a cancel-and-repeat, the second one).
      await eventually(async () => {
        const call = await truth(app, callId);
        const records = call.operations.filter((o: { type: string }) => o.type === 'recordResponse');
        const latest = records.at(-1);
        return latest && latest.status === 'running' && call.listeningOperationId === latest.id && records.length >= (name === 'reset-after-processing' ? 2 : 1);
      }, 'the recording to listen');
      await act(app, callId, 'speak', { seconds: 1 });
      await eventually(() => app.events.some((e) => e.type === 'ivr.recording' && e.callId === callId), 'the recording to reach the IVR');
      await eventually(async () => (await emulatedState(app, callId)) === 'terminated', 'the goodbye and hang-up');
      const log = await requestsSince(app, since);
      assert.equal(posts(log, 'recordResponse', callId).length, requests);
      assert.equal(app.events.filter((e) => e.type === 'ivr.recording' && e.callId === callId).length, 1, 'exactly one recording');
      if (name === 'reset' || name === 'reset-after-processing') {
        assert.ok(posts(log, 'cancelMediaProcessing', callId).length >= 1, 'media processing was cancelled before repeating');
      }
      await hangUpIfLive(app, callId);
    });
  }

  // ---- transfer -----------------------------------------------------------------------------------------------
  for (const [name, requests] of [['429', 2], ['503', 2], ['reset', 2], ['reset-after-processing', 1], ['slow', 1], ['slow-past-timeout', 2]] as Array<[RequestFaultName, number]>) {
    it(`transfer + ${name}: the caller is transferred to the agent once`, async () => {
      const callId = await inMenu();
      const since = await lastSeq(app);
      await on('transfer', name);
      await act(app, callId, 'tones', { tones: '1' });
      const ended = await eventually(async () => {
        const call = await truth(app, callId);
        return call.state === 'terminated' && call;
      }, 'the transfer to complete');
      assert.equal(Number(ended.resultInfo?.subcode), 7015, 'GracefulTransferCompleted');
      // A request held past the app's timeout is logged once the emulator has processed it.
      const log = await eventually(async () => {
        const entries = await requestsSince(app, since);
        return posts(entries, 'transfer', callId).length >= requests && entries;
      }, `${requests} transfer request(s) in the log`);
      assert.equal(posts(log, 'transfer', callId).length, requests);
      // A reset after processing is logged with status 0 although Graph accepted it.
      const accepted = posts(log, 'transfer', callId).filter((r) => r.status === 202 || (name === 'reset-after-processing' && r.faultId)).length;
      assert.equal(accepted, 1, 'exactly one transfer accepted');
      await eventually(async () => (await app.calls.getCall(callId))?.state === 'terminated', 'the app to see the call end');
    });
  }

  // ---- invite -------------------------------------------------------------------------------------------------
  const inviteCases: Array<[RequestFaultName, 'joins' | 'unknown', number]> = [
    ['429', 'joins', 2],
    ['503', 'joins', 2],
    ['reset', 'unknown', 1],
    ['reset-after-processing', 'unknown', 1],
    ['slow', 'joins', 1],
  ];
  for (const [name, outcome, requests] of inviteCases) {
    it(`invite + ${name}: ${outcome === 'joins' ? 'the invitee joins once' : 'never repeated: outcome-unknown, and the invitee is rung at most once'}`, async () => {
      const group = await app.calls.placeGroupCall({ targets: [{ kind: 'user', id: ids.grace }, { kind: 'user', id: ids.priya }] });
      await eventually(async () => (await app.calls.getCall(group.id))?.state === 'established', 'the group call');
      const since = await lastSeq(app);
      await fault(app, { match: { method: 'POST', path: `/v1.0/communications/calls/${group.id}/participants/invite` }, ...REQUEST_FAULTS[name] });
      const invited = app.calls.invite(group.id, [{ target: { kind: 'user', id: ids.tomasz } }]);
      if (outcome === 'joins') {
        await invited;
      } else {
        await assert.rejects(invited, (err: { code?: string }) => err.code === 'calls/outcome-unknown');
      }
      const joined = () => truth(app, group.id).then((c) => c.participants.filter((p: { personId: string | null }) => p.personId === ids.tomasz).length);
      if (name === 'reset') {
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(await joined(), 0, 'Graph never got the invite');
      } else {
        await eventually(async () => (await joined()) === 1, 'the invitee to join');
      }
      assert.equal(posts(await requestsSince(app, since), 'invite', group.id).length, requests);
      await app.calls.hangUp(group.id);
      await eventually(async () => (await app.calls.getCall(group.id))?.state === 'terminated', 'the group call to end');
    });
  }

  // ---- create call (a reminder) -------------------------------------------------------------------------------
  const createCases: Array<[RequestFaultName, number]> = [
    // fault, attempts the reminder needed
    ['429', 1],
    ['503', 1],
    ['reset', 2], // never processed: after the adopt window the next attempt places the call
    ['reset-after-processing', 1], // processed: its notifications arrive, the call is adopted
    ['slow', 1],
    ['slow-past-timeout', 1], // processed after the app gave up on the answer: adopted, not placed again
  ];
  for (const [name, attempts] of createCases) {
    it(`create call + ${name}: the person is called exactly once and hears the reminder`, async () => {
      const startedAt = new Date().toISOString();
      await fault(app, { match: { method: 'POST', path: '/v1.0/communications/calls' }, ...REQUEST_FAULTS[name] });
      const reminder = await app.reminders.schedule({ person: { userId: ids.jonas, displayName: 'Jonas Lindqvist' }, message: `Matrix ${name}`, at: new Date(), confirm: false });
      const done = await eventually(async () => {
        const r = await app.reminders.get(reminder.id);
        return r && (r.status === 'delivered' || r.status === 'failed' || r.status === 'unanswered') && r;
      }, 'the reminder outcome', 15_000);
      assert.equal((done as Reminder).status, 'delivered', (done as Reminder).outcome);
      assert.equal((done as Reminder).attempts, attempts);
      // Give a late create (slow-past-timeout) time to be processed before counting.
      await new Promise((r) => setTimeout(r, name === 'slow-past-timeout' ? 1200 : 100));
      const calls = (await app.emulatorJson('GET', '/emulator/calls')).body.value as Array<{ direction: string; createdAt: string; subject: string | null }>;
      const toJonas = calls.filter((c) => c.direction === 'outgoing' && c.createdAt >= startedAt && c.subject === 'Reminder');
      assert.equal(toJonas.length, 1, `exactly one call to the person (saw ${toJonas.length})`);
      assert.equal((await truth(app, (done as Reminder).callId!)).prompts.filter((p: { status: string }) => p.status === 'played').length, 1, 'the reminder was heard once');
    });
  }
});

