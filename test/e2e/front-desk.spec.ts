// The front desk, IVR menus and reminder calls end to end in local mode: the app decides real emulated calls by its
// rules file, walks callers through menus by their keys, and calls people back with spoken reminders.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reminder } from '../../comms/reminders/index.js';
import { isEventOf } from '../../comms/store/index.js';
import { eventually, startLocalSwitchboard, startRestartableEmulator, type LocalSwitchboard } from '../support/local-switchboard.js';
import { act, behave, dial, directoryIds, truth, UPN, type PersonName } from './people.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function deskFile(dir: string, name: string, overrides: Record<string, unknown> = {}): string {
  const desk = {
    timezone: 'UTC',
    people: { reception: UPN.amara, agent: UPN.priya },
    groups: { blocked: [UPN.tomasz], vip: [UPN.grace] },
    rules: [
      { name: 'Blocked', when: { callerIn: 'blocked' }, then: { action: 'reject', reason: 'busy' } },
      { name: 'VIP', when: { callerIn: 'vip' }, then: { action: 'redirect', to: 'reception', timeoutSeconds: 20 } },
    ],
    default: { action: 'answer', menu: 'main' },
    menus: {
      main: {
        prompt: { text: 'Press 1 for an agent, 3 for more, or 9 to hear this again.' },
        retryPrompt: { text: 'Sorry. Press 1 for an agent.' },
        options: { '1': { action: 'transfer', to: 'agent' }, '3': { action: 'menu', menu: 'more' }, '9': { action: 'repeat' } },
        timeoutSeconds: 1,
        maxRetries: 1,
        fallback: { action: 'transfer', to: 'reception' },
      },
      more: { prompt: { text: 'More options. Press star to go back.' }, options: { '*': { action: 'back' } }, timeoutSeconds: 5 },
    },
    ...overrides,
  };
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(desk, null, 2));
  return path;
}

describe('front desk and IVR end to end (local mode)', function () {
  this.timeout(60_000);
  let app: LocalSwitchboard;
  let dir: string;
  let ids: Record<PersonName, string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-desk-'));
    app = await startLocalSwitchboard({ env: { FRONT_DESK_FILE: deskFile(dir, 'desk.json') } });
    ids = await directoryIds(app);
  });
  after(async () => app?.stop());

  const handled = (callId: string) => eventually(() => app.events.filter(isEventOf('frontdesk.handled')).find((e) => e.callId === callId), `the front desk to handle ${callId}`);
  const ended = (callId: string) => eventually(async () => {
    const s = await app.calls.getCall(callId);
    return s?.state === 'terminated' && s;
  }, `${callId} to end`);
  const promptsPlayed = async (callId: string) => (await truth(app, callId)).prompts.filter((p: any) => p.status === 'played' || p.status === 'playing' || p.status === 'cancelled').length;

  it('rejects a blocked caller as busy', async () => {
    const callId = await dial(app, 'tomasz');
    assert.equal((await handled(callId)).action, 'reject');
    await eventually(async () => (await truth(app, callId)).state === 'terminated', 'the emulated call to end');
    assert.equal((await truth(app, callId)).rejectReason, 'busy');
  });

  it('redirects a VIP to reception, who is rung', async () => {
    await behave(app, 'amara', 'manual');
    const callId = await dial(app, 'grace');
    const entry = await handled(callId);
    assert.equal(entry.action, 'redirect');
    assert.equal(entry.rule, 'VIP');
    const redirect = await eventually(async () => (await truth(app, callId)).redirect, 'the emulator to record the redirect');
    assert.match(JSON.stringify(redirect), new RegExp(ids.amara));
    await ended(callId);
  });

  it('walks the menu by keys: 9 repeats, 3 goes to a submenu, * comes back, 1 transfers to an agent who answers', async () => {
    await behave(app, 'priya', 'answer');
    const callId = await dial(app, 'hana');
    await eventually(async () => (await promptsPlayed(callId)) >= 1 && (await truth(app, callId)).prompts[0].status === 'played', 'the menu prompt');
    await act(app, callId, 'tones', { tones: '9' });
    await eventually(async () => (await promptsPlayed(callId)) >= 2, 'the menu again after 9');
    await act(app, callId, 'tones', { tones: '3' });
    await eventually(() => app.events.find((e) => e.type === 'ivr.step' && e.callId === callId && e.step === 'menu' && e.menu === 'more'), 'the submenu');
    await act(app, callId, 'tones', { tones: '*' });
    await eventually(() => app.events.filter((e) => e.type === 'ivr.step' && e.callId === callId && e.step === 'menu' && e.menu === 'main').length >= 3, 'back in the main menu');
    await act(app, callId, 'tones', { tones: '1' });
    const done = await ended(callId);
    assert.equal(Number(done.resultInfo?.subcode), 7015, 'a completed transfer ends the bot leg with 7015');
    assert.match(JSON.stringify((await truth(app, callId)).transfer), new RegExp(ids.priya));
  });

  it('retries on silence, then takes the fallback (reception)', async () => {
    await behave(app, 'amara', 'answer');
    const callId = await dial(app, 'mateo');
    await eventually(() => app.events.find((e) => e.type === 'ivr.step' && e.callId === callId && e.step === 'fallback'), 'the fallback', 15_000);
    const steps = app.events.filter(isEventOf('ivr.step')).filter((e) => e.callId === callId).map((e) => e.step);
    assert.deepEqual(steps.filter((s) => s !== 'transfer'), ['menu', 'timeout', 'menu', 'timeout', 'fallback']);
    await ended(callId);
    assert.match(JSON.stringify((await truth(app, callId)).transfer), new RegExp(ids.amara));
  });

  it('treats an unknown key like silence: the retry prompt', async () => {
    const callId = await dial(app, 'elif');
    await eventually(async () => (await truth(app, callId)).prompts[0]?.status === 'played', 'the menu prompt');
    await act(app, callId, 'tones', { tones: '7' });
    await eventually(() => app.events.find((e) => e.type === 'ivr.step' && e.callId === callId && e.step === 'menu' && e.retry === true), 'the retry prompt');
    await app.calls.hangUp(callId);
  });

  it('sends callers to voicemail after hours, from a front desk reloaded without a restart', async () => {
    const today = DAYS[new Date().getUTCDay()]!;
    const otherDays = DAYS.filter((d) => d !== today);
    const closed = deskFile(dir, 'closed.json', {
      hours: [{ days: otherDays, from: '00:00', to: '24:00' }],
      rules: [{ name: 'After hours', when: { hours: 'closed' }, then: { action: 'redirect', to: 'reception', voicemail: true } }],
    });
    await app.frontDesk.load(closed);
    try {
      const callId = await dial(app, 'jonas');
      const entry = await handled(callId);
      assert.equal(entry.rule, 'After hours');
      assert.match(String(entry.detail), /voicemail/);
      const redirect = await eventually(async () => (await truth(app, callId)).redirect, 'the redirect');
      assert.match(JSON.stringify(redirect), /voicemail/i);
    } finally {
      await app.frontDesk.load(join(dir, 'desk.json'));
    }
  });

  it('keeps the last valid front desk when the file becomes invalid, and says why', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "default": { "action": "answer", "menu": "nowhere" } }');
    await assert.rejects(app.frontDesk.load(broken), (err: { code: string; problems: Array<{ field: string; line?: number }> }) => {
      assert.equal(err.code, 'ivr/invalid-front-desk');
      assert.deepEqual(err.problems.map((p) => [p.field, p.line]), [['default.menu', 1]]);
      return true;
    });
    assert.equal(app.frontDesk.path, join(dir, 'desk.json'));
    const callId = await dial(app, 'tomasz');
    assert.equal((await handled(callId)).action, 'reject', 'the previous rules still apply');
  });
});

describe('IVR barge-in and restart (local mode)', function () {
  this.timeout(60_000);

  it('stops a prompt when the caller presses a key during it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-desk-'));
    // Real-time playback, so the prompt is still playing when the key comes.
    const app = await startLocalSwitchboard({ env: { FRONT_DESK_FILE: deskFile(dir, 'desk.json') }, emulatorOptions: { mediaSpeed: 1 } });
    try {
      const callId = await dial(app, 'hana');
      await eventually(async () => (await truth(app, callId)).prompts[0]?.status === 'playing', 'the prompt to start');
      await act(app, callId, 'tones', { tones: '3' });
      await eventually(async () => (await truth(app, callId)).prompts[0].status === 'cancelled', 'the prompt to be cut short');
      await eventually(() => app.events.find((e) => e.type === 'ivr.step' && e.callId === callId && e.step === 'menu' && e.menu === 'more'), 'the key to be acted on');
      await app.calls.hangUp(callId);
    } finally {
      await app.stop();
    }
  });

  it('resumes the menu on a call that was in it when the app restarted', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-desk-restart-'));
    const env = { FRONT_DESK_FILE: deskFile(dataDir, 'desk.json', { menus: { main: { prompt: { text: 'Press 1 for an agent.' }, options: { '1': { action: 'transfer', to: 'agent' } }, timeoutSeconds: 30 } } }) };
    const { emulator, port } = await startRestartableEmulator(dataDir);
    try {
      const first = await startLocalSwitchboard({ emulator, dataDir, port, env });
      const callId = await dial(first, 'hana');
      await eventually(async () => (await truth(first, callId)).prompts[0]?.status === 'played', 'the menu before the restart');
      await first.stop();

      const second = await startLocalSwitchboard({ emulator, dataDir, port, env });
      try {
        await behave(second, 'priya', 'answer');
        await eventually(async () => (await truth(second, callId)).prompts.filter((p: any) => p.status === 'played').length >= 2, 'the menu played again after the restart');
        await act(second, callId, 'tones', { tones: '1' });
        await eventually(async () => (await second.calls.getCall(callId))?.state === 'terminated', 'the transfer to finish the call');
      } finally {
        await second.stop();
      }
    } finally {
      await emulator.close();
    }
  });

  it('ends politely a call the app had decided to end when it stopped, instead of holding it open', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-desk-restart-done-'));
    const env = { FRONT_DESK_FILE: deskFile(dataDir, 'desk.json', { menus: { main: { prompt: { text: 'Press 1 for an agent.' }, options: { '1': { action: 'transfer', to: 'agent' } }, timeoutSeconds: 30 } } }) };
    const { emulator, port } = await startRestartableEmulator(dataDir);
    try {
      const first = await startLocalSwitchboard({ emulator, dataDir, port, env });
      const callId = await dial(first, 'hana');
      await eventually(async () => (await truth(first, callId)).prompts[0]?.status === 'played', 'the menu before the restart');
      // As if the app stopped right after deciding to hang up: the position says done, the call is still up.
      const ivr = (await first.calls.getCall(callId))!.context.ivr as Record<string, unknown>;
      await first.calls.updateContext(callId, { context: { ivr: { ...ivr, phase: 'done' } } });
      await first.stop();

      const second = await startLocalSwitchboard({ emulator, dataDir, port, env });
      try {
        await eventually(async () => (await truth(second, callId)).state === 'terminated', 'the bot to end the call after the restart');
        assert.equal((await truth(second, callId)).prompts.filter((p: any) => p.status === 'played').length, 2, 'the menu, then the apology');
      } finally {
        await second.stop();
      }
    } finally {
      await emulator.close();
    }
  });
});

describe('reminder calls end to end (local mode)', function () {
  this.timeout(60_000);

  const outcome = (app: LocalSwitchboard, id: string, status: Reminder['status']) =>
    eventually(() => app.events.filter(isEventOf('reminder.updated')).map((e) => e.reminder).find((r) => r?.id === id && r.status === status), `reminder ${id} to be ${status}`, 20_000);

  it('calls the person a few seconds later, speaks the reminder, takes "1" and reports it confirmed', async () => {
    const app = await startLocalSwitchboard();
    try {
      const ids = await directoryIds(app);
      await behave(app, 'jonas', 'answer');
      const reminder = await app.reminders.schedule({ person: { userId: ids.jonas, displayName: 'Jonas Lindqvist' }, message: 'Stand-up starts in five minutes', at: new Date(Date.now() + 1500), requestedBy: 'test' });
      const calling = await outcome(app, reminder.id, 'calling');
      const callId = await eventually(async () => (await app.reminders.get(reminder.id))?.callId, 'the reminder call');
      await eventually(async () => (await truth(app, callId)).prompts[0]?.status === 'played', 'the spoken reminder, accepted by the emulator as a 16 kHz mono WAV');
      await act(app, callId, 'tones', { tones: '1' });
      const done = await outcome(app, reminder.id, 'confirmed');
      assert.equal(calling.attempts, 1);
      assert.equal(done.requestedBy, 'test');
      await eventually(async () => (await truth(app, callId)).state === 'terminated', 'the bot to hang up');
    } finally {
      await app.stop();
    }
  });

  it('retries an unanswered reminder, then reports it unanswered', async () => {
    const app = await startLocalSwitchboard({ emulatorOptions: { ringTimeoutMs: 300 } });
    try {
      const ids = await directoryIds(app);
      await behave(app, 'mateo', 'ignore');
      const reminder = await app.reminders.schedule({ person: { userId: ids.mateo }, message: 'Call the dentist', at: new Date(), confirm: false });
      const done = await outcome(app, reminder.id, 'unanswered');
      assert.equal(done.attempts, 3);
    } finally {
      await app.stop();
    }
  });

  const refusals: Array<[string, { message: string; at: Date }, string]> = [
    ['a time in the past', { message: 'x', at: new Date(Date.now() - 60_000) }, 'reminders/past-time'],
    ['an over-long message', { message: 'x'.repeat(301), at: new Date(Date.now() + 60_000) }, 'reminders/message-too-long'],
    ['an empty message', { message: '   ', at: new Date(Date.now() + 60_000) }, 'reminders/empty-message'],
  ];
  for (const [name, input, code] of refusals) {
    it(`refuses ${name} with ${code}`, async () => {
      const app = await startLocalSwitchboard();
      try {
        await assert.rejects(app.reminders.schedule({ person: { userId: 'x' }, ...input }), (err: { code: string }) => err.code === code);
        assert.equal((await app.reminders.list()).length, 0);
      } finally {
        await app.stop();
      }
    });
  }

  it('fires a reminder that fell due while the app was down exactly once after the restart, marked late', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-reminder-restart-'));
    const { emulator, port } = await startRestartableEmulator(dataDir);
    try {
      const first = await startLocalSwitchboard({ emulator, dataDir, port, reminders: { tickMs: 60_000 } });
      const ids = await directoryIds(first);
      await behave(first, 'priya', 'answer');
      const reminder = await first.reminders.schedule({ person: { userId: ids.priya }, message: 'Water the plants', at: new Date(Date.now() + 200), confirm: false });
      await first.stop();
      await new Promise((r) => setTimeout(r, 500));
      const second = await startLocalSwitchboard({ emulator, dataDir, port, reminders: { tickMs: 100 } });
      try {
        const done = await outcome(second, reminder.id, 'delivered');
        assert.equal(done.attempts, 1);
        assert.equal(done.late, true);
        await new Promise((r) => setTimeout(r, 500));
        const log = await second.emulatorJson('GET', '/emulator/requests?path=/v1.0/communications/calls');
        const placed = log.body.value.filter((r: any) => r.method === 'POST' && r.path === '/v1.0/communications/calls');
        assert.equal(placed.length, 1, 'exactly one call was placed, across both app runs');
      } finally {
        await second.stop();
      }
    } finally {
      await emulator.close();
    }
  });

  it('rings the person once when the app stops while the reminder call is being created: the restarted app adopts that call', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-reminder-kill-'));
    const { emulator, port } = await startRestartableEmulator(dataDir);
    try {
      const first = await startLocalSwitchboard({ emulator, dataDir, port, reminders: { tickMs: 100 } });
      const ids = await directoryIds(first);
      await behave(first, 'hana', 'manual');
      // Microsoft's side holds the create, then processes it: by then the app that sent it is gone.
      await first.emulatorJson('POST', '/emulator/faults', { match: { method: 'POST', path: '/v1.0/communications/calls' }, delayMs: 2500 });
      const reminder = await first.reminders.schedule({ person: { userId: ids.hana }, message: 'Check the oven', at: new Date(), confirm: false });
      await outcome(first, reminder.id, 'calling');
      await new Promise((r) => setTimeout(r, 200)); // the create is on the wire
      await first.stop();
      const second = await startLocalSwitchboard({ emulator, dataDir, port, reminders: { tickMs: 100, adoptWindowMs: 60_000 } });
      try {
        const ringing = await eventually(async () => {
          const calls = (await second.emulatorJson('GET', '/emulator/calls')).body.value as Array<{ id: string; subject: string | null; ringing: Array<{ person: string }> }>;
          return calls.find((c) => c.subject === 'Reminder' && c.ringing.some((r) => r.person === ids.hana));
        }, 'the reminder call to ring Hana', 10_000);
        await act(second, ringing.id, 'answer', { person: UPN.hana });
        const done = await outcome(second, reminder.id, 'delivered');
        assert.equal(done.attempts, 1, 'the first attempt was adopted, not retried');
        assert.equal(done.callId, ringing.id);
        await new Promise((r) => setTimeout(r, 500));
        const log = await second.emulatorJson('GET', '/emulator/requests?path=/v1.0/communications/calls');
        const creates = log.body.value.filter((r: any) => r.method === 'POST' && r.path === '/v1.0/communications/calls');
        assert.equal(creates.length, 1, 'exactly one create, across both app runs');
        const calls = (await second.emulatorJson('GET', '/emulator/calls')).body.value.filter((c: any) => c.subject === 'Reminder');
        assert.equal(calls.length, 1, 'the person was called once');
      } finally {
        await second.stop();
      }
    } finally {
      await emulator.close();
    }
  });
});
