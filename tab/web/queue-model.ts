// The queue dashboard's copy of the queues it may see: a snapshot, then whole statuses one queue at a time (an older
// status than the one held is ignored). Also how the dashboard shows them — wait times on the server's clock, the
// words for caller and agent states, today's figures as chart rows — and what the live region says: a new caller
// waiting, never the ticking of the clock.
import type { AgentState, CallerHearing, CallerState, QueueAgentStatus, QueueDayStats, QueueStatus, WaitingCaller } from '../../comms/queues/queue-status.js';

export type { QueueAgentStatus, QueueDayStats, QueueStatus, WaitingCaller };

export interface QueueSnapshot {
  queues: QueueStatus[];
  /** Queues in the front desk, including those this user does not see. */
  total: number;
}

export interface NewCaller {
  queue: string;
  caller: WaitingCaller;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export class QueueBoard {
  private readonly byName = new Map<string, QueueStatus>();
  private totalQueues = 0;
  private skew = 0;

  /** `receivedAt`: this browser's clock when the snapshot arrived (wait times tick on the server's clock). */
  constructor(snapshot: QueueSnapshot, receivedAt: number) {
    this.replace(snapshot, receivedAt);
  }

  /** Queues by name. */
  get queues(): QueueStatus[] {
    return [...this.byName.values()].sort((a, b) => collator.compare(a.name, b.name));
  }

  get total(): number {
    return this.totalQueues;
  }

  /** The server's clock minus this one, in ms. */
  get skewMs(): number {
    return this.skew;
  }

  /** A whole new snapshot (a reconnect, the front desk reloaded); returns the callers who were not there before. */
  replace(snapshot: QueueSnapshot, receivedAt: number): NewCaller[] {
    const before = new Map(this.byName);
    this.byName.clear();
    this.totalQueues = snapshot.total;
    const fresh: NewCaller[] = [];
    for (const status of snapshot.queues) {
      this.byName.set(status.name, status);
      const old = before.get(status.name);
      if (old) fresh.push(...newCallers(old, status));
    }
    this.clock(snapshot.queues, receivedAt);
    return fresh;
  }

  /** One queue's new status; returns its new callers. A status older than the one held changes nothing. */
  update(status: QueueStatus, receivedAt: number): NewCaller[] {
    const old = this.byName.get(status.name);
    if (old && Date.parse(status.asOf) < Date.parse(old.asOf)) return [];
    this.byName.set(status.name, status);
    this.clock([status], receivedAt);
    return old ? newCallers(old, status) : [];
  }

  private clock(statuses: QueueStatus[], receivedAt: number): void {
    const latest = statuses.reduce((max, s) => Math.max(max, Date.parse(s.asOf) || Number.NEGATIVE_INFINITY), Number.NEGATIVE_INFINITY);
    if (Number.isFinite(latest)) this.skew = latest - receivedAt;
  }
}

function newCallers(before: QueueStatus, after: QueueStatus): NewCaller[] {
  const known = new Set(before.waiting.map((w) => w.entryId));
  return after.waiting.filter((w) => !known.has(w.entryId)).map((caller) => ({ queue: after.name, caller }));
}

/** Whole seconds since `iso` on the server's clock (never negative). */
export function secondsSince(iso: string, nowMs: number, skewMs: number): number {
  const since = Date.parse(iso);
  if (!Number.isFinite(since)) return 0;
  return Math.max(0, Math.floor((nowMs + skewMs - since) / 1000));
}

/** "0:07", "2:14", "1:02:03". */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** ISO 8601 duration for <time dateTime>. */
export function isoDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `PT${Math.floor(s / 60)}M${s % 60}S`;
}

export function callerName(caller: WaitingCaller): string {
  return caller.caller.displayName ?? caller.caller.phone ?? 'Unknown caller';
}

export type Tone = 'brand' | 'success' | 'warning' | 'danger' | 'informative' | 'subtle';

const CALLER_STATES: Record<CallerState, { label: string; tone: Tone }> = {
  greeting: { label: 'Greeting', tone: 'informative' },
  waiting: { label: 'Waiting', tone: 'warning' },
  offering: { label: 'Offered', tone: 'brand' },
  connecting: { label: 'Connecting', tone: 'success' },
  'callback-waiting': { label: 'Call-back', tone: 'informative' },
  'calling-back': { label: 'Calling back', tone: 'success' },
};

/** A caller's state in words, with the agents concerned ("Offered to Priya Raman"). */
export function callerState(caller: WaitingCaller, agents: QueueAgentStatus[]): { label: string; detail?: string; tone: Tone } {
  const { label, tone } = CALLER_STATES[caller.state] ?? { label: caller.state, tone: 'informative' as Tone };
  const names = caller.offeredTo.map((id) => agents.find((a) => a.userId.toLowerCase() === id.toLowerCase())?.displayName ?? 'an agent of another queue');
  let detail: string | undefined;
  if ((caller.state === 'offering' || caller.state === 'connecting') && names.length > 0) detail = `${caller.state === 'offering' ? 'to' : 'with'} ${listOf(names)}`;
  else if (caller.state === 'callback-waiting') detail = caller.callback?.attempts ? `asked to be called back · ${caller.callback.attempts} attempt${caller.callback.attempts === 1 ? '' : 's'} so far` : 'asked to be called back';
  return { label, tone, ...(detail ? { detail } : {}) };
}

const HEARING: Record<CallerHearing, string> = {
  greeting: 'the greeting',
  music: 'hold music',
  announcement: 'their place in line',
  'callback-offer': 'the call-back offer',
  nothing: '',
};

export function hearingLabel(hearing: CallerHearing): string {
  return HEARING[hearing] ?? '';
}

const AGENT_STATES: Record<AgentState, { label: string; tone: Tone }> = {
  idle: { label: 'Available', tone: 'success' },
  offered: { label: 'Offered a call', tone: 'brand' },
  connecting: { label: 'Connecting', tone: 'brand' },
  connected: { label: 'On a call', tone: 'danger' },
  'wrap-up': { label: 'Wrap-up', tone: 'warning' },
};

/** An agent's state in this queue, in words: signed out, available, not offered (their presence), offered, on a call… */
export function agentState(agent: QueueAgentStatus, queue: Pick<QueueStatus, 'name' | 'presenceBased'>): { label: string; detail?: string; tone: Tone } {
  if (!agent.signedIn) return { label: 'Signed out', tone: 'subtle', detail: 'not taking calls from this queue' };
  if (agent.state === 'idle' && !agent.eligible) {
    const known = agent.presence && agent.presence.availability !== 'PresenceUnknown';
    return { label: 'Not offered calls', tone: 'subtle', ...(queue.presenceBased ? { detail: known ? 'offered calls only when Available' : 'presence not known yet' } : {}) };
  }
  const { label, tone } = AGENT_STATES[agent.state] ?? { label: agent.state, tone: 'informative' as Tone };
  const elsewhere = agent.busyWith && agent.busyWith.queue !== queue.name ? `with a caller of ${agent.busyWith.queue}` : undefined;
  return { label, tone, ...(elsewhere ? { detail: elsewhere } : {}) };
}

/** Longest wait of those waiting now, ticking on the server's clock (call-backs count from when they joined). */
export function longestWait(queue: QueueStatus, nowMs: number, skewMs: number): number {
  return queue.waiting.reduce((max, w) => Math.max(max, secondsSince(w.waitedSince, nowMs, skewMs)), 0);
}

export function availableAgents(queue: QueueStatus): number {
  return queue.agents.filter((a) => a.eligible).length;
}

export interface ChartRow {
  key: 'within' | 'later' | 'abandoned' | 'timed-out' | 'overflowed';
  label: string;
  value: number;
}

/** Today's callers who are done, by outcome (the callers still waiting are not in it). */
export function outcomeRows(today: QueueDayStats): ChartRow[] {
  return [
    { key: 'within', label: `Answered within ${today.serviceLevelSeconds} s`, value: today.answeredWithinServiceLevel },
    { key: 'later', label: 'Answered later', value: Math.max(0, today.answered - today.answeredWithinServiceLevel) },
    { key: 'abandoned', label: 'Abandoned (hung up waiting)', value: today.abandoned },
    { key: 'timed-out', label: 'Timed out', value: today.timedOut },
    { key: 'overflowed', label: 'Overflowed (queue full)', value: today.overflowed },
  ];
}

/** "83%" — or undefined before the first answer. */
export function serviceLevelPercent(today: QueueDayStats): number | undefined {
  return today.serviceLevel === null ? undefined : Math.round(today.serviceLevel * 100);
}

export function serviceLevelText(today: QueueDayStats): string {
  const pct = serviceLevelPercent(today);
  if (pct === undefined) return `No calls answered yet today (target: within ${today.serviceLevelSeconds} s).`;
  return `${pct}% answered within ${today.serviceLevelSeconds} s (${today.answeredWithinServiceLevel} of ${today.answered}).`;
}

/** The outcome chart's text alternative. */
export function outcomeSummary(today: QueueDayStats): string {
  const rows = outcomeRows(today).filter((r) => r.value > 0);
  if (rows.length === 0) return 'No callers have finished in this queue today.';
  return `Callers today by outcome: ${rows.map((r) => `${r.label.replace(/ \(.*\)$/, '')} ${r.value}`).join(', ')}.`;
}

/** What the live region says about new callers: one sentence per queue, names for up to three. */
export function describeNewCallers(fresh: NewCaller[]): string {
  const byQueue = new Map<string, WaitingCaller[]>();
  for (const { queue, caller } of fresh) byQueue.set(queue, [...(byQueue.get(queue) ?? []), caller]);
  return [...byQueue]
    .map(([queue, callers]) => {
      if (callers.length === 1) return `New caller waiting in ${queue}: ${callerName(callers[0]!)}, number ${callers[0]!.position} in line.`;
      if (callers.length <= 3) return `${callers.length} new callers waiting in ${queue}: ${listOf(callers.map(callerName))}.`;
      return `${callers.length} new callers waiting in ${queue}.`;
    })
    .join(' ');
}

function listOf(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
