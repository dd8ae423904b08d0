// Call-queue cards: one queue's status (who waits and for how long, hearing what; the agents and their state; today's
// figures), every queue at a glance, and the card an agent gets when a caller is offered to them — updated in place
// as the offer is answered, missed or taken by someone else.
import type { OfferState, QueueAgentStatus, QueueStatus, WaitingCaller } from '../../comms/queues/index.js';
import { executeAction, expandCard, type CardJson } from './card-template.js';

/** 134 s → "2:14"; an hour or more → "1:02:03". */
export function clockDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

const CALLER_STATE: Record<WaitingCaller['state'], string> = {
  greeting: 'hearing the greeting',
  waiting: 'waiting',
  offering: 'an agent is being rung',
  connecting: 'being put through',
  'callback-waiting': 'waiting for a call-back',
  'calling-back': 'being called back',
};

const HEARING: Record<WaitingCaller['hearing'], string> = {
  greeting: 'the greeting',
  music: 'hold music',
  announcement: 'their place in line',
  'callback-offer': 'the call-back offer',
  nothing: 'nothing',
};

const AGENT_STATE: Record<QueueAgentStatus['state'], string> = {
  idle: 'free',
  offered: 'being rung',
  connecting: 'taking a call',
  connected: 'on a call',
  'wrap-up': 'wrapping up',
};

const PRESENCE: Record<string, string> = {
  Available: '🟢 Available', AvailableIdle: '🟢 Available', Away: '🟡 Away', BeRightBack: '🟡 Be right back', Busy: '🔴 Busy', BusyIdle: '🔴 Busy',
  DoNotDisturb: '⛔ Do not disturb', Offline: '⚪ Offline', PresenceUnknown: '❔ Unknown',
};

function callerName(w: WaitingCaller): string {
  return w.caller.displayName ?? w.caller.phone ?? 'A caller';
}

function agentLine(a: QueueAgentStatus, queue: string): string {
  if (!a.signedIn) return 'signed out';
  const presence = a.presence ? PRESENCE[a.presence.availability] ?? a.presence.availability : '❔ presence not read yet';
  const where = a.busyWith && a.busyWith.queue !== queue ? ` (${a.busyWith.queue} queue)` : '';
  return `${presence} · ${AGENT_STATE[a.state]}${where}${a.today.answered ? ` · ${a.today.answered} answered today` : ''}${a.today.missed ? ` · ${a.today.missed} missed` : ''}`;
}

const statusTemplate: CardJson = {
  body: [
    { type: 'TextBlock', text: '${title}', weight: 'Bolder', size: 'Medium', wrap: true },
    {
      type: 'FactSet',
      facts: [
        { title: 'Waiting', value: '${waitingCount}' },
        { title: 'Longest wait', value: '${longest}' },
        { title: 'Agents free', value: '${free}' },
        { title: 'Today', value: '${today}' },
      ],
    },
    { type: 'TextBlock', text: 'In line', weight: 'Bolder', spacing: 'Medium', $when: '${waitingCount > 0}' },
    { type: 'FactSet', $when: '${waitingCount > 0}', facts: [{ $data: '${waiting}', title: '${position}. ${name}', value: '${detail}' }] },
    { type: 'TextBlock', text: 'Nobody is waiting.', isSubtle: true, spacing: 'Medium', $when: '${waitingCount == 0}' },
    { type: 'TextBlock', text: 'Agents', weight: 'Bolder', spacing: 'Medium' },
    { type: 'FactSet', facts: [{ $data: '${agents}', title: '${name}', value: '${line}' }] },
  ],
};

/** One queue; `viewerId` (an agent of it) gets a Sign in / Sign out button. */
export function queueStatusCard(status: QueueStatus, viewerId?: string): CardJson {
  const now = Date.parse(status.asOf);
  const t = status.today;
  const freeCount = status.agents.filter((a) => a.eligible).length;
  const card = expandCard(statusTemplate, {
    title: `${status.name} queue`,
    waitingCount: status.waiting.length,
    longest: status.waiting.length ? clockDuration(status.longestWaitSeconds) : '—',
    free: `${freeCount} of ${status.agents.length}`,
    today: `${t.answered} answered${t.serviceLevel !== null ? ` (${Math.round(t.serviceLevel * 100)}% within ${t.serviceLevelSeconds} s)` : ''}, ${t.abandoned} abandoned${t.averageWaitSeconds !== null ? `, average wait ${clockDuration(t.averageWaitSeconds)}` : ''}`,
    waiting: status.waiting.slice(0, 15).map((w) => ({
      position: w.position,
      name: callerName(w),
      detail: `${clockDuration((now - Date.parse(w.waitedSince)) / 1000)} · ${CALLER_STATE[w.state]}${w.state === 'waiting' || w.state === 'greeting' ? ` · hearing ${HEARING[w.hearing]}` : ''}`,
    })),
    agents: status.agents.map((a) => ({ name: a.displayName, line: agentLine(a, status.name) })),
  });
  const actions: CardJson[] = [executeAction('Refresh', 'command.run', { command: `queue ${status.name}` })];
  const me = viewerId ? status.agents.find((a) => a.userId.toLowerCase() === viewerId.toLowerCase()) : undefined;
  if (me) actions.push(executeAction(me.signedIn ? 'Sign out' : 'Sign in', 'command.run', { command: `sign ${me.signedIn ? 'out' : 'in'} ${status.name}` }, me.signedIn ? undefined : 'positive'));
  card.actions = actions;
  return card;
}

const listTemplate: CardJson = {
  body: [
    { type: 'TextBlock', text: 'Call queues', weight: 'Bolder', size: 'Medium' },
    { type: 'TextBlock', $when: '${count == 0}', text: 'The front desk has no queues. Add a "queues" section to its file (README › Call queues).', wrap: true, isSubtle: true },
    { type: 'FactSet', $when: '${count > 0}', facts: [{ $data: '${queues}', title: '${name}', value: '${line}' }] },
  ],
};

export function queuesCard(statuses: QueueStatus[]): CardJson {
  const card = expandCard(listTemplate, {
    count: statuses.length,
    queues: statuses.map((s) => ({
      name: s.name,
      line: `${s.waiting.length} waiting${s.waiting.length ? ` (longest ${clockDuration(s.longestWaitSeconds)})` : ''} · ${s.agents.filter((a) => a.eligible).length} of ${s.agents.length} agents free · ${s.today.answered} answered today`,
    })),
  });
  if (statuses.length > 0) card.actions = statuses.slice(0, 5).map((s) => executeAction(s.name, 'command.run', { command: `queue ${s.name}` }));
  return card;
}

export interface OfferView {
  queue: string;
  entryId: string;
  callerName?: string;
  waitedSeconds: number;
  callback: boolean;
  state: OfferState;
}

const OFFER_STATE: Record<OfferState, string> = {
  ringing: 'Ringing you now: answer in Teams, or press Accept to have the caller put through.',
  accepted: 'You took this call: putting the caller through…',
  connected: 'You are talking to the caller.',
  missed: 'Missed: the call went to the next agent.',
  declined: 'You declined this call.',
  taken: 'Taken by someone else.',
  'caller-left': 'The caller hung up before anyone answered.',
  failed: 'The caller could not be put through: they are back in line.',
};

const offerTemplate: CardJson = {
  body: [
    { type: 'TextBlock', text: '${title}', weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: '${caller}', wrap: true, spacing: 'Small' },
    { type: 'TextBlock', text: '${state}', wrap: true, isSubtle: true },
  ],
};

/** "Support queue — caller waited 2:14 — Accept"; after the offer, what became of it (no button). */
export function queueOfferCard(offer: OfferView): CardJson {
  const card = expandCard(offerTemplate, {
    title: `${offer.queue} queue — ${offer.callback ? 'call-back, customer waited' : 'caller waited'} ${clockDuration(offer.waitedSeconds)}`,
    caller: offer.callerName ?? 'A caller',
    state: OFFER_STATE[offer.state],
  });
  if (offer.state === 'ringing') card.actions = [executeAction('Accept', 'queue.accept', { entryId: offer.entryId }, 'positive')];
  return card;
}
