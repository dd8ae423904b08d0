// The call-queue service everyone else uses (the front desk puts callers in, the chat and the tab read status and
// sign agents in and out). A front over named parts: the stored line, entries and agents (queue-store.ts), what a
// caller hears (queue-holding.ts), offering calls to agents (queue-dispatcher.ts), handing callers over and calling
// them back (queue-connector.ts), agents' presence and wrap-up (agent-tracker.ts) and today's figures (queue-stats.ts).
import type { QueueAgentStatus, QueueStatus } from './queue-status.js';

export interface EnqueueOptions {
  /**
   * The call is still ringing (an incoming rule's `enqueue`): the queue answers it — or, when it is full and its
   * overflow is `voicemail`, redirects it unanswered, the only time Graph allows a redirect.
   */
  answer?: boolean;
  /** The language the caller's menus spoke (announcements use it unless the queue names its own). */
  language?: string;
}

/** What enqueue did: the caller is in line, or the queue was full and its overflow action was taken. */
export type EnqueueOutcome = 'queued' | 'overflowed';

export interface QueueServiceOptions {
  placeholder?: never;
}

export class QueueService {
  constructor(private readonly options: QueueServiceOptions) {}

  /** Re-arms every timer from the stored state (a restart, or the first start) and starts listening to calls. */
  async start(): Promise<void> {
    void this.options;
  }

  async stop(): Promise<void> {}

  /** Resolves when the work started by events so far is done (tests and shutdown). */
  async idle(): Promise<void> {}

  /** The queues of the front desk in force, by name. */
  names(): string[] {
    return [];
  }

  /** Every queue's live status: waiting callers in order, agents with presence and state, today's figures. */
  async status(): Promise<QueueStatus[]> {
    return [];
  }

  /** One queue's status; undefined for a queue the front desk does not have. */
  async statusOf(_name: string): Promise<QueueStatus | undefined> {
    return undefined;
  }

  /** The queues a person is an agent of. */
  queuesOf(_userId: string): string[] {
    return [];
  }

  /** The agent takes calls from the queue again. Throws QueueError queues/unknown-queue or queues/not-an-agent. */
  async signIn(_queue: string, _userId: string): Promise<QueueAgentStatus> {
    throw new Error('not yet');
  }

  /** The agent stops taking calls from the queue (a call they are on is not affected). Same errors as signIn. */
  async signOut(_queue: string, _userId: string): Promise<QueueAgentStatus> {
    throw new Error('not yet');
  }

  /**
   * Puts an answered (or, with `answer`, a ringing) call in line. A full queue takes its overflow action instead.
   * Throws QueueError queues/unknown-queue, queues/invalid-call.
   */
  async enqueue(_callId: string, _queue: string, _options: EnqueueOptions = {}): Promise<EnqueueOutcome> {
    throw new Error('not yet');
  }

  /**
   * The agent pressed Accept on the offer card: the caller is put through to them now (their Teams rings with the
   * caller) instead of waiting for them to answer the offer call. Throws QueueError queues/offer-gone.
   */
  async accept(_entryId: string, _agentId: string): Promise<void> {
    throw new Error('not yet');
  }
}
