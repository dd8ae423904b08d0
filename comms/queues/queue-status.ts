// What QueueService.status() answers: per queue, who waits (in order, since when, hearing what), the agents with
// their presence and state, and today's figures. Plain JSON values, safe to send to the tab as they are: no call
// media, no tokens; callers are named as Graph named them.
import type { RoutingMethod } from './queue-schema.js';

/** Where a caller is in the queue. */
export type CallerState =
  /** Answered, hearing the greeting (or the call is still being answered). */
  | 'greeting'
  /** Hearing hold music and announcements; no agent is being rung for them. */
  | 'waiting'
  /** One or more agents are being rung for this caller (`offeredTo`). */
  | 'offering'
  /** An agent answered; the caller is being handed over (consultative transfer). */
  | 'connecting'
  /** The caller hung up after asking to be called back: they keep their place. */
  | 'callback-waiting'
  /** An agent took the call-back; Switchboard is calling the customer. */
  | 'calling-back';

/** What the caller hears right now (as Switchboard last asked Graph to play it). */
export type CallerHearing = 'greeting' | 'music' | 'announcement' | 'callback-offer' | 'nothing';

export interface WaitingCaller {
  /** Stable id of this place in the queue (the caller's original call id). */
  entryId: string;
  /** The caller's call with the bot (for a call-back: the call that asked for it, ended by now). */
  callId: string;
  caller: { userId?: string; phone?: string; displayName?: string };
  /** When the caller entered the queue (ISO). Their wait counts from here, call-backs included. */
  waitedSince: string;
  /** 1-based place in line. */
  position: number;
  state: CallerState;
  hearing: CallerHearing;
  /** Agents (user ids) being rung for this caller now. */
  offeredTo: string[];
  /** Present when the caller asked to be called back. */
  callback?: { requestedAt: string; attempts: number; nextAttemptAt?: string };
}

/** An agent as the queue sees them. One agent has one state across every queue they belong to. */
export type AgentState =
  /** Free: may be offered a call (if signed in to the queue and, for presence-based queues, Available). */
  | 'idle'
  /** Being rung for a caller. */
  | 'offered'
  /** Answered an offer; the caller is being handed over. */
  | 'connecting'
  /** Talking to a caller (until their presence says the call is over). */
  | 'connected'
  /** After a call, for the queue's wrapUpSeconds. */
  | 'wrap-up';

export interface QueueAgentStatus {
  userId: string;
  displayName: string;
  /** Signed in to this queue (agents are signed in until they sign out, as in Teams call queues). */
  signedIn: boolean;
  /** Graph presence as last read, PascalCase (`Available`, `Busy`/`InACall`…); undefined before the first read. */
  presence?: { availability: string; activity: string; at: string };
  state: AgentState;
  /** Since when the agent is in that state (ISO). */
  since: string;
  /** The queue of the caller they are offered or connected to (may be another queue the agent is in). */
  busyWith?: { queue: string; entryId: string };
  wrapUpUntil?: string;
  /** Would the next caller of this queue be offered to them now? (signed in, idle, presence allows). */
  eligible: boolean;
  today: { answered: number; missed: number; declined: number };
}

export interface QueueDayStats {
  /** The day (YYYY-MM-DD) in the front desk's time zone. */
  date: string;
  /** Callers who entered the queue. */
  entered: number;
  answered: number;
  /** Hung up while waiting. */
  abandoned: number;
  timedOut: number;
  overflowed: number;
  /** Sent on by the noAgents action because nobody was signed in. */
  noAgents: number;
  callbacksRequested: number;
  /** Answered within serviceLevelSeconds. */
  answeredWithinServiceLevel: number;
  serviceLevelSeconds: number;
  /** answeredWithinServiceLevel ÷ answered, 0–1; null before the first answer. */
  serviceLevel: number | null;
  /** Mean wait of answered callers, in seconds; null before the first answer. */
  averageWaitSeconds: number | null;
  longestWaitSeconds: number;
}

export interface QueueStatus {
  name: string;
  routing: RoutingMethod;
  presenceBased: boolean;
  alertSeconds: number;
  wrapUpSeconds: number;
  maxCallers: number;
  maxWaitSeconds: number;
  /** In line order (position 1 first). */
  waiting: WaitingCaller[];
  /** Of the callers waiting now (0 when nobody waits). */
  longestWaitSeconds: number;
  agents: QueueAgentStatus[];
  today: QueueDayStats;
  /** When this status was read (ISO). */
  asOf: string;
}
