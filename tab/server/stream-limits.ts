// Caps on the side panel's open roster streams, so one user (or one meeting) cannot hold the server's connections:
// per user in one meeting, per user overall, per meeting. A stream over a cap is refused (429) before it opens;
// closing a stream frees its slot. Counts are per process and in memory, like the streams themselves.
import { TabError } from './tab-error.js';

/** A side panel or two per meeting, with room for a reload racing the old connection's close. */
export const MAX_STREAMS_PER_USER_PER_MEETING = 5;
/** Someone in several meetings at once (tabs left open), not a script. */
export const MAX_STREAMS_PER_USER = 20;
/** A full interactive Teams meeting (1,000 people) each with the panel open. */
export const MAX_STREAMS_PER_MEETING = 1_000;

export interface StreamLimitsOptions {
  perUserPerMeeting?: number;
  perUser?: number;
  perMeeting?: number;
}

export class StreamLimits {
  private readonly perUserPerMeeting: number;
  private readonly perUser: number;
  private readonly perMeeting: number;
  private readonly byUserMeeting = new Map<string, number>();
  private readonly byUser = new Map<string, number>();
  private readonly byMeeting = new Map<string, number>();

  constructor(options: StreamLimitsOptions = {}) {
    this.perUserPerMeeting = options.perUserPerMeeting ?? MAX_STREAMS_PER_USER_PER_MEETING;
    this.perUser = options.perUser ?? MAX_STREAMS_PER_USER;
    this.perMeeting = options.perMeeting ?? MAX_STREAMS_PER_MEETING;
  }

  /** Takes a slot for a new stream, or throws `tab/too-many-streams`; the returned release is safe to call twice. */
  acquire(userKey: string, meetingKey: string): () => void {
    const pair = JSON.stringify([userKey, meetingKey]);
    if ((this.byUserMeeting.get(pair) ?? 0) >= this.perUserPerMeeting) {
      throw tooMany(`You already have ${this.perUserPerMeeting} live rosters of this meeting open: close one (another tab or window) and try again.`);
    }
    if ((this.byUser.get(userKey) ?? 0) >= this.perUser) {
      throw tooMany(`You already have ${this.perUser} live rosters open: close some side panels and try again.`);
    }
    if ((this.byMeeting.get(meetingKey) ?? 0) >= this.perMeeting) {
      throw tooMany(`This meeting already has ${this.perMeeting} live rosters open: try again in a moment.`);
    }
    add(this.byUserMeeting, pair, 1);
    add(this.byUser, userKey, 1);
    add(this.byMeeting, meetingKey, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      add(this.byUserMeeting, pair, -1);
      add(this.byUser, userKey, -1);
      add(this.byMeeting, meetingKey, -1);
    };
  }

  /** Open streams counted (tests). */
  get open(): number {
    let n = 0;
    for (const count of this.byMeeting.values()) n += count;
    return n;
  }
}

function add(counts: Map<string, number>, key: string, delta: number): void {
  const next = (counts.get(key) ?? 0) + delta;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}

function tooMany(message: string): TabError {
  return new TabError('tab/too-many-streams', message);
}
