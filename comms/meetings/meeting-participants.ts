// Participant control in a meeting the bot is in, against its call there: invite (in requests of at most 5), mute
// one person (server mute; Graph cannot unmute someone else), a paced mute-all, and remove.
import type { CallTarget, CommsOperation } from '../calls/index.js';
import { MeetingError } from './meeting-error.js';
import type { RosterEntry } from './meeting-events.js';
import type { MeetingRecords } from './meeting-records.js';
import type { RosterKeeper } from './roster-keeper.js';
import { errorCode, invalid, type MeetingCore } from './meeting-core.js';

/** Mute-all pace: at most 5 mute requests a second. */
export const MIN_MUTE_PACING_MS = 200;
const INVITES_PER_REQUEST = 5;

export interface MuteAllResult {
  id: string;
  displayName: string;
  outcome: 'muted' | 'already-muted' | 'skipped' | 'failed';
  /** Error code when failed; why when skipped. */
  code?: string;
}

/** Why a roster entry cannot be muted by someone else: the bot itself, or a person not in the call's audio yet. */
export function whyNotMutable(entry: Pick<RosterEntry, 'id' | 'isBot'>): 'bot' | 'not-in-call-roster' | undefined {
  if (entry.isBot) return 'bot';
  if (entry.id.startsWith('user:')) return 'not-in-call-roster';
  return undefined;
}

export class MeetingParticipants {
  constructor(
    private readonly core: MeetingCore,
    private readonly records: MeetingRecords,
    private readonly rosters: RosterKeeper,
  ) {}

  async invite(meetingKey: string, people: CallTarget[], options: { clientContext?: string; timeoutMs?: number } = {}): Promise<CommsOperation[]> {
    if (!Array.isArray(people) || people.length === 0 || people.length > 50) throw invalid('invite takes 1 to 50 people');
    const callId = await this.liveCallId(meetingKey);
    const ops: CommsOperation[] = [];
    for (let i = 0; i < people.length; i += INVITES_PER_REQUEST) {
      const chunk = people.slice(i, i + INVITES_PER_REQUEST).map((target) => ({ target }));
      ops.push(await this.core.calls.invite(callId, chunk, options));
    }
    return ops;
  }

  async mute(meetingKey: string, participantId: string): Promise<CommsOperation> {
    return this.core.calls.muteParticipant(await this.liveCallId(meetingKey), participantId);
  }

  async muteAll(meetingKey: string, options: { except?: string[]; pacingMs?: number } = {}): Promise<MuteAllResult[]> {
    const callId = await this.liveCallId(meetingKey);
    const key = this.rosters.meetingOf(callId)!;
    const except = new Set(options.except ?? []);
    const pacingMs = Math.max(MIN_MUTE_PACING_MS, options.pacingMs ?? MIN_MUTE_PACING_MS);
    const entries = (await this.rosters.snapshot(key)).entries.filter((e) => !e.isBot && !except.has(e.id) && !(e.userId && except.has(e.userId)));
    const results: MuteAllResult[] = [];
    let sent = 0;
    let stopCode: string | undefined;
    for (const entry of entries) {
      const base = { id: entry.id, displayName: entry.displayName };
      if (stopCode) {
        results.push({ ...base, outcome: 'failed', code: stopCode });
        continue;
      }
      if (whyNotMutable(entry) === 'not-in-call-roster') {
        results.push({ ...base, outcome: 'skipped', code: 'not-in-call-roster' });
        continue;
      }
      // The live roster where this instance keeps it (someone may have left meanwhile); else the snapshot's entry.
      const roster = this.rosters.get(key);
      const current = roster ? roster.get(entry.id) : entry;
      if (!current) {
        results.push({ ...base, outcome: 'skipped', code: 'left' });
        continue;
      }
      if (current.isMuted) {
        results.push({ ...base, outcome: 'already-muted' });
        continue;
      }
      if (sent > 0) await this.core.sleep(pacingMs);
      sent += 1;
      try {
        await this.core.calls.muteParticipant(callId, entry.id);
        results.push({ ...base, outcome: 'muted' });
      } catch (err) {
        const code = errorCode(err);
        results.push({ ...base, outcome: 'failed', code });
        if (code === 'calls/call-ended' || code === 'calls/not-found') stopCode = code;
      }
    }
    return results;
  }

  async remove(meetingKey: string, participantId: string): Promise<void> {
    await this.core.calls.removeParticipant(await this.liveCallId(meetingKey), participantId);
  }

  private async liveCallId(meetingKey: string): Promise<string> {
    const record = await this.records.require(meetingKey);
    if (record.state === 'left' || !record.callId || !this.rosters.hasCall(record.callId)) {
      throw new MeetingError('meetings/not-joined', 'The bot is not in this meeting: join it first', { meetingKey: record.meetingKey });
    }
    return record.callId;
  }
}
