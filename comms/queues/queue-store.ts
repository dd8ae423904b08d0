// What a queue keeps in comms/store, and the compare-and-set changes every part makes to it. Each change is a pure
// function of the stored value (store.update may run it more than once, and in a cluster another instance may have
// changed the item first): an agent is claimed only while idle, an entry only in the state the change expects.
//   queue-lines/{queue}        the callers holding a place, in order (positions), and round-robin's last agent
//   queue-entries/{entryId}    one caller's place: state, offers, call-back promise (entryId = the caller's call id)
//   queue-agents/{userId}      one agent across every queue: idle / offered / connecting / connected / wrap-up
//   queue-membership/{queue}   who signed out of the queue
//   queue-stats/{queue}|{day}  today's counters
import type { PersonIdentity } from '../ivr/front-desk-rules.js';
import type { Store } from '../store/index.js';
import type { AgentState, CallerHearing, CallerState } from './queue-status.js';

export const QUEUE_COLLECTIONS = {
  lines: 'queue-lines',
  entries: 'queue-entries',
  agents: 'queue-agents',
  membership: 'queue-membership',
  stats: 'queue-stats',
} as const;

export interface QueueLine {
  queue: string;
  /** Entry ids in line order: position 1 first. */
  entries: string[];
  /** The entries among them whose caller asked to be called back (not on the line: they do not count toward maxCallers). */
  callbacks?: string[];
  /** round-robin: the agent offered last. */
  lastAgent?: string;
}

/** Callers on the line with the bot (maxCallers counts these). */
export function onLine(line: QueueLine): number {
  return line.entries.length - (line.callbacks?.length ?? 0);
}

export interface EntryOffer {
  /** The offer call's correlation id (saved before the call is placed). */
  correlationId: string;
  /** The bot's call to the agent, once Graph created it. */
  callId?: string;
  since: string;
  alertDueAt: string;
}

export type EntryOutcome = 'answered' | 'abandoned' | 'timed-out' | 'overflowed' | 'no-agents' | 'moved' | 'callback-failed' | 'transferred' | 'hung-up';

export interface QueueEntry {
  id: string;
  queue: string;
  /** The caller's call with the bot. */
  callId: string;
  caller: PersonIdentity;
  language?: string;
  joinedAt: string;
  state: CallerState | 'done';
  hearing: CallerHearing;
  /** The greeting was played (it is played once, also across restarts). */
  greeted: boolean;
  lastAnnouncedAt?: string;
  /** The caller was told they may ask for a call-back (from then on the key works). */
  callbackOffered: boolean;
  /** Agents being rung for this caller, by user id. */
  offers: Record<string, EntryOffer>;
  /** Agents who missed or declined this caller: not rung for them again until every eligible agent was tried. */
  skipped: string[];
  /** An agent took the caller; offerCallId is the bot's call with them (absent: Accept, a blind transfer). */
  connecting?: { agentId: string; offerCallId?: string; since: string };
  callback?: {
    requestedAt: string;
    attempts: number;
    nextAttemptAt?: string;
    /** The customer call of the current attempt: its correlation id is saved before it is placed. */
    correlationId?: string;
    callId?: string;
  };
  /** Queue → queue moves so far (overflow or timeout into another queue), bounded. */
  hops: number;
  outcome?: EntryOutcome;
  doneAt?: string;
  updatedAt: string;
}

export interface AgentRecord {
  userId: string;
  displayName: string;
  state: AgentState;
  since: string;
  busyWith?: { queue: string; entryId: string; offerCallId?: string };
  wrapUpUntil?: string;
  /** When they last became free (longest-idle routing). */
  idleSince: string;
  connectedAt?: string;
  /** Presence showed them in a call since they were connected (so the end of the call can be told). */
  seenInCall?: boolean;
  presence?: { availability: string; activity: string; at: string };
  /** Today's counters (reset when the day changes). */
  day: string;
  answered: number;
  missed: number;
  declined: number;
  updatedAt: string;
}

export interface QueueMembership {
  queue: string;
  signedOut: string[];
}

export interface DayCounters {
  queue: string;
  day: string;
  entered: number;
  answered: number;
  abandoned: number;
  timedOut: number;
  overflowed: number;
  /** Sent on by the noAgents action: nobody was signed in (absent in counters stored before it existed). */
  noAgents?: number;
  callbacksRequested: number;
  answeredWithinServiceLevel: number;
  answeredWaitMs: number;
  longestWaitMs: number;
  /** Connected → free again, for the estimated wait. */
  handledMs: number;
  handled: number;
}

/** A caller on the line with the bot, not yet taken by an agent (abandoning, timing out, hearing music). */
export const WAITING_STATES: ReadonlySet<string> = new Set(['greeting', 'waiting', 'offering']);

export function emptyCounters(queue: string, day: string): DayCounters {
  return { queue, day, entered: 0, answered: 0, abandoned: 0, timedOut: 0, overflowed: 0, callbacksRequested: 0, answeredWithinServiceLevel: 0, answeredWaitMs: 0, longestWaitMs: 0, handledMs: 0, handled: 0 };
}

/** Typed access to the queue collections. */
export class QueueStore {
  constructor(private readonly store: Store) {}

  line(queue: string): Promise<QueueLine | undefined> {
    return this.store.get<QueueLine>(QUEUE_COLLECTIONS.lines, queue);
  }

  updateLine(queue: string, change: (line: QueueLine) => QueueLine | undefined) {
    return this.store.update<QueueLine>(QUEUE_COLLECTIONS.lines, queue, (current) => change(current ?? { queue, entries: [] }));
  }

  entry(id: string): Promise<QueueEntry | undefined> {
    return this.store.get<QueueEntry>(QUEUE_COLLECTIONS.entries, id);
  }

  putEntry(entry: QueueEntry): Promise<boolean> {
    return this.store.putIfAbsent(QUEUE_COLLECTIONS.entries, entry.id, entry);
  }

  /** Changes an entry that exists; undefined from `change` leaves it. */
  updateEntry(id: string, change: (entry: QueueEntry) => QueueEntry | undefined) {
    return this.store.update<QueueEntry>(QUEUE_COLLECTIONS.entries, id, (current) => (current ? change(current) : undefined));
  }

  deleteEntry(id: string): Promise<boolean> {
    return this.store.delete(QUEUE_COLLECTIONS.entries, id);
  }

  async entries(): Promise<QueueEntry[]> {
    return (await this.store.list<QueueEntry>(QUEUE_COLLECTIONS.entries)).map((i) => i.value);
  }

  agent(userId: string): Promise<AgentRecord | undefined> {
    return this.store.get<AgentRecord>(QUEUE_COLLECTIONS.agents, userId.toLowerCase());
  }

  /** `change` gets the stored record or a fresh idle one. */
  updateAgent(userId: string, fresh: () => AgentRecord, change: (agent: AgentRecord) => AgentRecord | undefined) {
    return this.store.update<AgentRecord>(QUEUE_COLLECTIONS.agents, userId.toLowerCase(), (current) => change(current ?? fresh()));
  }

  async agents(): Promise<AgentRecord[]> {
    return (await this.store.list<AgentRecord>(QUEUE_COLLECTIONS.agents)).map((i) => i.value);
  }

  async membership(queue: string): Promise<QueueMembership> {
    return (await this.store.get<QueueMembership>(QUEUE_COLLECTIONS.membership, queue)) ?? { queue, signedOut: [] };
  }

  updateMembership(queue: string, change: (m: QueueMembership) => QueueMembership | undefined) {
    return this.store.update<QueueMembership>(QUEUE_COLLECTIONS.membership, queue, (current) => change(current ?? { queue, signedOut: [] }));
  }

  counters(queue: string, day: string): Promise<DayCounters | undefined> {
    return this.store.get<DayCounters>(QUEUE_COLLECTIONS.stats, `${queue}|${day}`);
  }

  updateCounters(queue: string, day: string, change: (c: DayCounters) => DayCounters) {
    return this.store.update<DayCounters>(QUEUE_COLLECTIONS.stats, `${queue}|${day}`, (current) => change(current ?? emptyCounters(queue, day)));
  }
}
