// The event comms/records publishes on the bus when a call record has been fetched and summarized.

export const RECORD_EVENTS = {
  ready: 'record.ready',
} as const;

export type RecordReadyEvent = {
  type: 'record.ready';
  /** callRecord id; equals the live call's callChainId. */
  recordId: string;
  callType: string;
  start?: string;
  end?: string;
  durationSeconds?: number;
  participantCount: number;
  /** Some audio stream crossed a poor-call threshold. */
  poorQuality: boolean;
  joinWebUrl?: string;
  organizer?: { id?: string; displayName?: string };
};

export type RecordEvent = RecordReadyEvent;
