// Joining a meeting through CallService (one call per meeting: joining one the bot is in returns that call) and
// leaving it (the bot's leg only; the meeting goes on).
import { isLive } from '../calls/index.js';
import { isMeetingThreadId } from './join-link.js';
import { MEETING_EVENTS, type MeetingState } from './meeting-events.js';
import { resolveJoinTarget, type JoinInput } from './join-targets.js';
import type { MeetingRecord, MeetingRecords } from './meeting-records.js';
import type { RosterKeeper } from './roster-keeper.js';
import type { MeetingCore } from './meeting-core.js';

export interface JoinResult {
  meetingKey: string;
  callId: string;
  state: MeetingState;
  /** The bot was already in this meeting: nothing new was placed. */
  alreadyJoined: boolean;
}

export class MeetingJoining {
  constructor(
    private readonly core: MeetingCore,
    private readonly records: MeetingRecords,
    private readonly rosters: RosterKeeper,
  ) {}

  async join(input: JoinInput): Promise<JoinResult> {
    const { calls, options } = this.core;
    const target = await resolveJoinTarget(this.core.graph, options, input);
    return this.records.withLock(target.lockKey, async () => {
      const existing = await this.records.find(target.lockKey);
      if (existing && existing.state !== 'left' && existing.callId) {
        const session = await calls.getCall(existing.callId);
        if (session && isLive(session)) {
          return { meetingKey: existing.meetingKey, callId: existing.callId, state: existing.state, alreadyJoined: true };
        }
      }
      const session = await calls.joinMeeting({
        meeting: target.meeting,
        tenantId: target.meeting.tenantId,
        purpose: 'meeting',
        context: { meetingKey: target.lockKey },
      });
      const meetingKey = session.chatInfo?.threadId && isMeetingThreadId(session.chatInfo.threadId) ? session.chatInfo.threadId : target.lockKey;
      if (meetingKey !== target.lockKey) await calls.updateContext(session.id, { context: { meetingKey } });
      const at = this.core.iso();
      const record: MeetingRecord = {
        ...(existing && existing.meetingKey === meetingKey ? existing : {}),
        ...target.details,
        meetingKey,
        state: session.state === 'established' ? 'joined' : 'joining',
        callId: session.id,
        joinedAt: at,
        updatedAt: at,
        ...(options.cluster ? { owner: options.cluster.instanceId } : {}),
      };
      delete record.leftAt;
      if (!record.threadId && session.chatInfo?.threadId && isMeetingThreadId(session.chatInfo.threadId)) {
        record.threadId = session.chatInfo.threadId;
        if (session.chatInfo.messageId) record.messageId = session.chatInfo.messageId;
      }
      await this.records.put(record);
      this.core.logger.info({ meetingKey, callId: session.id }, 'joining a meeting');
      this.core.publish({ type: MEETING_EVENTS.state, meetingKey, state: record.state, callId: session.id });
      await this.rosters.attach(record, session);
      return { meetingKey, callId: session.id, state: record.state, alreadyJoined: false };
    });
  }

  async leave(meetingKey: string): Promise<MeetingRecord> {
    const record = await this.records.require(meetingKey);
    if (record.state === 'left' || !record.callId) return record;
    const session = await this.core.calls.hangUp(record.callId);
    if (!isLive(session)) {
      await this.rosters.onCallEnded(record.callId);
    } else {
      await this.records.setState(record.meetingKey, 'leaving');
    }
    return (await this.records.find(record.meetingKey)) ?? record;
  }
}
