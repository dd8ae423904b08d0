// The events comms/queues publishes on the bus. `queue.changed` is small on purpose: a live view (the tab's queue
// dashboard) subscribes with `{ scope: 'cluster' }` and re-reads QueueService.statusOf(queue) when one arrives
// (coalescing bursts), so it never has to rebuild the state from events. `queue.offer` follows one offer to one agent,
// for the agent's card in chat.

export const QUEUE_EVENTS = {
  changed: 'queue.changed',
  offer: 'queue.offer',
} as const;

export type QueueChange =
  | 'joined' | 'position' | 'offered' | 'connecting' | 'connected' | 'returned' | 'abandoned' | 'timed-out' | 'overflowed' | 'no-agents'
  | 'callback-requested' | 'calling-back' | 'callback-failed' | 'agent' | 'signed-in' | 'signed-out' | 'hearing';

export type QueueChangedEvent = {
  type: 'queue.changed';
  queue: string;
  change: QueueChange;
  /** The caller's place concerned (see WaitingCaller.entryId). */
  entryId?: string;
  /** The agent concerned (user id). */
  agentId?: string;
  /** How long the caller waited, for the changes that end a wait: connected (until an agent answered), abandoned, timed-out. */
  waitedSeconds?: number;
};

/** How one offer to one agent stands. */
export type OfferState =
  /** Their Teams is ringing. */
  | 'ringing'
  /** They answered (or pressed Accept): the caller is being handed to them. */
  | 'accepted'
  /** The caller is talking to them. */
  | 'connected'
  /** Not answered within the alert time. */
  | 'missed'
  | 'declined'
  /** Another agent answered first (attendant routing). */
  | 'taken'
  /** The caller hung up (or timed out) before anyone answered. */
  | 'caller-left'
  /** Handing the caller over failed; the caller is back in line. */
  | 'failed';

export type QueueOfferEvent = {
  type: 'queue.offer';
  queue: string;
  entryId: string;
  agentId: string;
  state: OfferState;
  /** Seconds the caller had waited when the offer was made. */
  waitedSeconds: number;
  callerName?: string;
  /** A call-back: the agent is rung first, then the customer is called. */
  callback: boolean;
};

export type QueueEvent = QueueChangedEvent | QueueOfferEvent;
