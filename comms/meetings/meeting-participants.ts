// Participant control in a meeting the bot is in, against its call there: invite (in requests of at most 5), mute
// one person (server mute; Graph cannot unmute someone else), a paced mute-all (a job in the store: mute-all.ts), and
// remove. In a cluster any instance acts on the meeting's live call, whichever instance keeps its roster.
import { isLive, type CallTarget, type CommsOperation } from '../calls/index.js';
import { MeetingError } from './meeting-error.js';
import type { MeetingRecords } from './meeting-records.js';
import type { RosterKeeper } from './roster-keeper.js';
import { invalid, type MeetingCore } from './meeting-core.js';
import { MIN_MUTE_PACING_MS, type MuteAllJobs, type MuteAllReport, type MuteAllResult } from './mute-all.js';

const INVITES_PER_REQUEST = 5;

export class MeetingParticipants {
  constructor(
    private readonly core: MeetingCore,
    private readonly records: MeetingRecords,
    private readonly rosters: RosterKeeper,
    private readonly muteAllJobs: MuteAllJobs,
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

  async muteAll(meetingKey: string, options: { except?: string[]; pacingMs?: number; report?: MuteAllReport } = {}): Promise<MuteAllResult[]> {
    const { callId, meetingKey: key } = await this.liveCall(meetingKey);
    return this.muteAllJobs.start({
      meetingKey: key,
      callId,
      entries: (await this.rosters.snapshot(key)).entries,
      except: new Set(options.except ?? []),
      pacingMs: options.pacingMs ?? MIN_MUTE_PACING_MS,
      ...(options.report ? { report: options.report } : {}),
    });
  }

  async remove(meetingKey: string, participantId: string): Promise<void> {
    await this.core.calls.removeParticipant(await this.liveCallId(meetingKey), participantId);
  }

  private async liveCallId(meetingKey: string): Promise<string> {
    return (await this.liveCall(meetingKey)).callId;
  }

  /** The bot's live call in the meeting: kept here, or (cluster) kept by another instance. */
  private async liveCall(meetingKey: string): Promise<{ callId: string; meetingKey: string }> {
    const record = await this.records.require(meetingKey);
    const callId = record.state === 'left' ? undefined : record.callId;
    const here = callId !== undefined && this.rosters.hasCall(callId);
    const elsewhere = !here && callId !== undefined && this.core.options.cluster !== undefined && isLive((await this.core.calls.getCall(callId)) ?? { state: 'terminated' });
    if (!callId || !(here || elsewhere)) {
      throw new MeetingError('meetings/not-joined', 'The bot is not in this meeting: join it first', { meetingKey: record.meetingKey });
    }
    return { callId, meetingKey: record.meetingKey };
  }
}
