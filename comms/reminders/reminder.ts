// A reminder call as stored (collection `reminders`): who to call, what to say, when, and what came of it.

export type ReminderStatus =
  | 'scheduled'
  | 'calling'
  | 'confirmed'
  | 'snoozed'
  | 'delivered'
  | 'unanswered'
  | 'declined'
  | 'failed'
  | 'cancelled';

export interface ReminderPerson {
  userId: string;
  displayName?: string;
}

export interface Reminder {
  id: string;
  person: ReminderPerson;
  message: string;
  /** When to call (ISO). Moves forward on snooze and between retries. */
  dueAt: string;
  createdAt: string;
  /** Ask "press 1 to confirm, 2 to snooze". */
  confirm: boolean;
  status: ReminderStatus;
  /** Call attempts made so far. */
  attempts: number;
  maxAttempts: number;
  /** Who asked, as the caller of schedule() identifies them (e.g. a conversation key for the chat to report back). */
  requestedBy?: string;
  callId?: string;
  /** The id carried by this attempt's call (see comms/calls create-claims): a lost create answer is adopted, never re-placed. */
  correlationId?: string;
  /** Since when this attempt's create has an unknown outcome (its answer was lost, or the app stopped meanwhile). */
  uncertainSince?: string;
  /** Fired after its time because the app was down then. */
  late?: boolean;
  outcome?: string;
  /** Distributed mode: the instance running this attempt's call. */
  owner?: string;
  updatedAt: string;
}

export const FINAL_STATUSES: ReadonlySet<ReminderStatus> = new Set(['confirmed', 'delivered', 'unanswered', 'declined', 'failed', 'cancelled']);
