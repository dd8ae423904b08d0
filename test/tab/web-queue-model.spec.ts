// The queue dashboard's own logic, run in node (bundled from tab/web by esbuild): the board takes whole statuses (an
// older one is ignored) and reports new callers, not moved ones; waits tick on the server's clock; the words for
// caller and agent states; today's figures as chart rows and their text alternative; what the live region says.
import assert from 'node:assert/strict';
import type { QueueAgentStatus, QueueStatus, WaitingCaller } from '../../comms/queues/index.js';
import { loadWebModule } from './load-web-module.js';

type NewCaller = { queue: string; caller: WaitingCaller };
interface QueueModelModule {
  QueueBoard: new (s: { queues: QueueStatus[]; total: number }, receivedAt: number) => {
    queues: QueueStatus[];
    total: number;
    skewMs: number;
    replace(s: { queues: QueueStatus[]; total: number }, receivedAt: number): NewCaller[];
    update(s: QueueStatus, receivedAt: number): NewCaller[];
  };
  secondsSince(iso: string, nowMs: number, skewMs: number): number;
  formatWait(seconds: number): string;
  callerState(c: WaitingCaller, agents: QueueAgentStatus[]): { label: string; detail?: string; tone: string };
  agentState(a: QueueAgentStatus, q: { name: string; presenceBased: boolean }): { label: string; detail?: string; tone: string };
  longestWait(q: QueueStatus, nowMs: number, skewMs: number): number;
  outcomeRows(t: QueueStatus['today']): Array<{ key: string; label: string; value: number }>;
  outcomeSummary(t: QueueStatus['today']): string;
  serviceLevelText(t: QueueStatus['today']): string;
  describeNewCallers(fresh: NewCaller[]): string;
}

const T0 = Date.UTC(2026, 2, 3, 9, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

function caller(id: string, name: string | undefined, position: number, extra: Partial<WaitingCaller> = {}): WaitingCaller {
  return { entryId: id, callId: id, caller: name ? { displayName: name } : { phone: '+4930123456' }, waitedSince: iso(T0), position, state: 'waiting', hearing: 'music', offeredTo: [], ...extra };
}

function agent(userId: string, displayName: string, extra: Partial<QueueAgentStatus> = {}): QueueAgentStatus {
  return { userId, displayName, signedIn: true, presence: { availability: 'Available', activity: 'Available', at: iso(T0) }, state: 'idle', since: iso(T0), eligible: true, today: { answered: 0, missed: 0, declined: 0 }, ...extra };
}

function queue(name: string, asOfMs: number, waiting: WaitingCaller[], agents: QueueAgentStatus[] = []): QueueStatus {
  return {
    name, routing: 'attendant', presenceBased: true, alertSeconds: 30, wrapUpSeconds: 10, maxCallers: 50, maxWaitSeconds: 1200,
    waiting, longestWaitSeconds: 0, agents,
    today: { date: '2026-03-03', entered: 9, answered: 6, abandoned: 2, timedOut: 1, overflowed: 0, noAgents: 0, callbacksRequested: 1, answeredWithinServiceLevel: 5, serviceLevelSeconds: 30, serviceLevel: 5 / 6, averageWaitSeconds: 42, longestWaitSeconds: 130 },
    asOf: iso(asOfMs),
  };
}

describe('tab/web queue dashboard model', () => {
  let m: QueueModelModule;
  before(async () => {
    m = await loadWebModule<QueueModelModule>('tab/web/queue-model.ts');
  });

  it('takes whole statuses by queue, sorted by name; an older status changes nothing; reports new callers only', () => {
    const board = new m.QueueBoard({ queues: [queue('support', T0, [caller('a', 'Amara', 1)]), queue('Billing', T0, [])], total: 3 }, T0);
    assert.deepEqual(board.queues.map((q) => q.name), ['Billing', 'support']);
    assert.equal(board.total, 3);
    const fresh = board.update(queue('support', T0 + 2_000, [caller('a', 'Amara', 1), caller('b', 'Bo', 2)]), T0 + 2_000);
    assert.deepEqual(fresh.map((f) => `${f.queue}/${f.caller.entryId}`), ['support/b']);
    assert.deepEqual(board.update(queue('support', T0 + 1_000, []), T0 + 3_000), [], 'older than what is held');
    assert.equal(board.queues.find((q) => q.name === 'support')!.waiting.length, 2);
    assert.deepEqual(board.update(queue('support', T0 + 4_000, [caller('b', 'Bo', 1)]), T0 + 4_000), [], 'Amara left and Bo moved up: nobody new');
    const again = board.replace({ queues: [queue('support', T0 + 9_000, [caller('b', 'Bo', 1), caller('c', 'Cy', 2)])], total: 1 }, T0 + 9_000);
    assert.deepEqual(again.map((f) => f.caller.entryId), ['c'], 'a reconnect\'s snapshot reports who came meanwhile');
    assert.deepEqual(board.queues.map((q) => q.name), ['support']);
    assert.deepEqual(new m.QueueBoard({ queues: [queue('x', T0, [caller('a', 'A', 1)])], total: 1 }, T0).replace({ queues: [queue('y', T0, [caller('z', 'Z', 1)])], total: 1 }, T0), [], 'a queue first seen announces nobody');
  });

  it('waits tick on the server\'s clock, whatever this browser\'s clock says', () => {
    const serverNow = T0 + 134_000;
    const browserNow = serverNow - 3_600_000; // an hour slow
    const board = new m.QueueBoard({ queues: [queue('support', serverNow, [caller('a', 'Amara', 1), caller('b', 'Bo', 2, { waitedSince: iso(T0 + 100_000) })])], total: 1 }, browserNow);
    assert.equal(board.skewMs, 3_600_000);
    assert.equal(m.secondsSince(iso(T0), browserNow, board.skewMs), 134);
    assert.equal(m.secondsSince(iso(T0), browserNow + 5_000, board.skewMs), 139, 'five seconds later');
    assert.equal(m.longestWait(board.queues[0]!, browserNow, board.skewMs), 134);
    assert.equal(m.secondsSince(iso(T0 + 10_000), T0, 0), 0, 'never negative');
    assert.equal(m.secondsSince('not a date', T0, 0), 0);
    assert.deepEqual([0, 7, 59, 60, 134, 3599, 3723].map(m.formatWait), ['0:00', '0:07', '0:59', '1:00', '2:14', '59:59', '1:02:03']);
  });

  it('callers\' states in words, naming the agents offered', () => {
    const agents = [agent('u1', 'Priya Raman'), agent('u2', 'Jonas Lindqvist')];
    const cases: Array<[Partial<WaitingCaller>, string, string | undefined]> = [
      [{ state: 'greeting' }, 'Greeting', undefined],
      [{ state: 'waiting' }, 'Waiting', undefined],
      [{ state: 'offering', offeredTo: ['U1', 'u2'] }, 'Offered', 'to Priya Raman and Jonas Lindqvist'],
      [{ state: 'offering', offeredTo: ['elsewhere'] }, 'Offered', 'to an agent of another queue'],
      [{ state: 'connecting', offeredTo: ['u2'] }, 'Connecting', 'with Jonas Lindqvist'],
      [{ state: 'callback-waiting', callback: { requestedAt: iso(T0), attempts: 0 } }, 'Call-back', 'asked to be called back'],
      [{ state: 'callback-waiting', callback: { requestedAt: iso(T0), attempts: 2 } }, 'Call-back', 'asked to be called back · 2 attempts so far'],
      [{ state: 'calling-back' }, 'Calling back', undefined],
    ];
    for (const [extra, label, detail] of cases) {
      const state = m.callerState(caller('x', 'X', 1, extra), agents);
      assert.equal(state.label, label, JSON.stringify(extra));
      assert.equal(state.detail, detail, JSON.stringify(extra));
    }
  });

  it('agents\' states in words: signed out, not offered (their presence), available, offered, on a call elsewhere, wrap-up', () => {
    const q = { name: 'support', presenceBased: true };
    const cases: Array<[Partial<QueueAgentStatus>, string, string | undefined]> = [
      [{ signedIn: false, eligible: false }, 'Signed out', 'not taking calls from this queue'],
      [{ eligible: false, presence: { availability: 'DoNotDisturb', activity: 'Presenting', at: iso(T0) } }, 'Not offered calls', 'offered calls only when Available'],
      [{ eligible: false, presence: undefined }, 'Not offered calls', 'presence not known yet'],
      [{}, 'Available', undefined],
      [{ state: 'offered', eligible: false, busyWith: { queue: 'support', entryId: 'e' } }, 'Offered a call', undefined],
      [{ state: 'connected', eligible: false, busyWith: { queue: 'billing', entryId: 'e' } }, 'On a call', 'with a caller of billing'],
      [{ state: 'wrap-up', eligible: false }, 'Wrap-up', undefined],
    ];
    for (const [extra, label, detail] of cases) {
      const state = m.agentState(agent('u', 'U', extra), q);
      assert.equal(state.label, label, JSON.stringify(extra));
      assert.equal(state.detail, detail, JSON.stringify(extra));
    }
  });

  it('today\'s figures as chart rows, with a text alternative; the service level in words', () => {
    const today = queue('support', T0, []).today;
    assert.deepEqual(m.outcomeRows(today).map((r) => [r.key, r.value]), [['within', 5], ['later', 1], ['abandoned', 2], ['timed-out', 1], ['overflowed', 0]]);
    assert.equal(m.outcomeRows(today)[0]!.label, 'Answered within 30 s');
    assert.equal(m.outcomeSummary(today), 'Callers today by outcome: Answered within 30 s 5, Answered later 1, Abandoned 2, Timed out 1.');
    assert.equal(m.serviceLevelText(today), '83% answered within 30 s (5 of 6).');
    const quiet = { ...today, entered: 0, answered: 0, abandoned: 0, timedOut: 0, answeredWithinServiceLevel: 0, serviceLevel: null, averageWaitSeconds: null };
    assert.equal(m.outcomeSummary(quiet), 'No callers have finished in this queue today.');
    assert.equal(m.serviceLevelText(quiet), 'No calls answered yet today (target: within 30 s).');
  });

  it('the live region names a new caller and their place; several are counted per queue', () => {
    assert.equal(m.describeNewCallers([{ queue: 'support', caller: caller('a', 'Amara Okafor', 3) }]), 'New caller waiting in support: Amara Okafor, number 3 in line.');
    assert.equal(m.describeNewCallers([{ queue: 'support', caller: caller('a', undefined, 1) }]), 'New caller waiting in support: +4930123456, number 1 in line.');
    const many = ['A', 'B', 'C', 'D'].map((n, i) => ({ queue: 'support', caller: caller(n, n, i + 1) }));
    assert.equal(m.describeNewCallers([...many.slice(0, 2), { queue: 'billing', caller: caller('x', 'Xu', 1) }]), '2 new callers waiting in support: A and B. New caller waiting in billing: Xu, number 1 in line.');
    assert.equal(m.describeNewCallers(many), '4 new callers waiting in support.');
    assert.equal(m.describeNewCallers([]), '');
  });
});
