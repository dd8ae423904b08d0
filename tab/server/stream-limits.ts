// Caps on the tab's open live streams, so one user (or one meeting) cannot hold the server's connections: per user
// in one meeting, per user overall, per meeting (the queue dashboard counts its streams the same way, all of them as
// one "meeting"). A stream over a cap is refused (429) before it opens; closing a stream frees its slot. Counts are
// per process and in memory, like the streams themselves.
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
  /** What a refusal says, per cap (default: the side panel's words about live rosters). */
  messages?: StreamLimitMessages;
}

export interface StreamLimitMessages {
  perUserPerMeeting(cap: number): string;
  perUser(cap: number): string;
  perMeeting(cap: number): string;
}

const ROSTER_MESSAGES: StreamLimitMessages = {
  perUserPerMeeting: (cap) => `You already have ${cap} live rosters of this meeting open: close one (another tab or window) and try again.`,
  perUser: (cap) => `You already have ${cap} live rosters open: close some side panels and try again.`,
  perMeeting: (cap) => `This meeting already has ${cap} live rosters open: try again in a moment.`,
};

export class StreamLimits {
  private readonly perUserPerMeeting: number;
  private readonly perUser: number;
  private readonly perMeeting: number;
  private readonly messages: StreamLimitMessages;
  private readonly byUserMeeting = new Map<string, number>();
  private readonly byUser = new Map<string, number>();
  private readonly byMeeting = new Map<string, number>();

  constructor(options: StreamLimitsOptions = {}) {
    this.perUserPerMeeting = options.perUserPerMeeting ?? MAX_STREAMS_PER_USER_PER_MEETING;
    this.perUser = options.perUser ?? MAX_STREAMS_PER_USER;
    this.perMeeting = options.perMeeting ?? MAX_STREAMS_PER_MEETING;
    this.messages = options.messages ?? ROSTER_MESSAGES;
  }

  /** Takes a slot for a new stream, or throws `tab/too-many-streams`; the returned release is safe to call twice. */
  acquire(userKey: string, meetingKey: string): () => void {
    const pair = JSON.stringify([userKey, meetingKey]);
    if ((this.byUserMeeting.get(pair) ?? 0) >= this.perUserPerMeeting) {
      throw tooMany(this.messages.perUserPerMeeting(this.perUserPerMeeting));
    }
    if ((this.byUser.get(userKey) ?? 0) >= this.perUser) {
      throw tooMany(this.messages.perUser(this.perUser));
    }
    if ((this.byMeeting.get(meetingKey) ?? 0) >= this.perMeeting) {
      throw tooMany(this.messages.perMeeting(this.perMeeting));
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
