// What is stored per meeting the bot joined (collection `meetings`): finding a record (a join by meeting id is filed
// under the meeting chat's id once Graph reports it), and the record's state moves, each published as meeting.state.
import { KeyedLock } from '../runtime/keyed-lock.js';
import { MeetingError } from './meeting-error.js';
import { MEETING_EVENTS, type MeetingState } from './meeting-events.js';
import { invalid, type MeetingCore } from './meeting-core.js';

export const MEETINGS_COLLECTION = 'meetings';

/** What is stored per meeting the bot joined (collection `meetings`, key = meetingKey). */
export interface MeetingRecord {
  /** The meeting chat's thread id when known (`19:meeting_…@thread.v2`), else `joinMeetingId:<digits>`. */
  meetingKey: string;
  state: MeetingState;
  callId?: string;
  threadId?: string;
  messageId?: string;
  replyChainMessageId?: string;
  organizerId?: string;
  tenantId?: string;
  joinMeetingId?: string;
  onlineMeetingId?: string;
  joinWebUrl?: string;
  subject?: string;
  joinedAt?: string;
  leftAt?: string;
  updatedAt: string;
  /** Distributed mode: the instance keeping this meeting's roster. */
  owner?: string;
}

/** "Is the bot in": the bot's call in the meeting when its record says it has not left, else undefined. */
export function botCallIn(record: Pick<MeetingRecord, 'state' | 'callId'> | undefined): string | undefined {
  return record?.callId && record.state !== 'left' ? record.callId : undefined;
}

export class MeetingRecords {
  private readonly locks = new KeyedLock();

  constructor(private readonly core: MeetingCore) {}

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(key, fn);
  }

  async put(record: MeetingRecord): Promise<void> {
    await this.core.store.put(MEETINGS_COLLECTION, record.meetingKey, record);
  }

  async find(meetingKey: string): Promise<MeetingRecord | undefined> {
    if (typeof meetingKey !== 'string' || meetingKey.length === 0 || meetingKey.length > 600) throw invalid('meetingKey must be a meeting key');
    const direct = await this.core.store.get<MeetingRecord>(MEETINGS_COLLECTION, meetingKey);
    if (direct) return direct;
    const match = /^joinMeetingId:(\d{6,20})$/.exec(meetingKey);
    if (!match) return undefined;
    // A join by meeting id is filed under the meeting's chat id once Graph reports it.
    const all = await this.list();
    return all.find((r) => r.joinMeetingId === match[1]);
  }

  async require(meetingKey: string): Promise<MeetingRecord> {
    const record = await this.find(meetingKey);
    if (!record) throw new MeetingError('meetings/not-found', `The bot knows no meeting ${meetingKey}`, { meetingKey });
    return record;
  }

  async list(filter: { live?: boolean } = {}): Promise<MeetingRecord[]> {
    const all = (await this.core.store.list<MeetingRecord>(MEETINGS_COLLECTION)).map((i) => i.value);
    return all
      .filter((r) => filter.live === undefined || (r.state !== 'left') === filter.live)
      .sort((a, b) => (b.joinedAt ?? '').localeCompare(a.joinedAt ?? ''));
  }

  async markLeft(meetingKey: string, callId?: string): Promise<void> {
    const updated = await this.withLock(meetingKey, async () => {
      const record = await this.core.store.get<MeetingRecord>(MEETINGS_COLLECTION, meetingKey);
      if (!record || record.state === 'left' || (callId && record.callId !== callId)) return undefined;
      const at = this.core.iso();
      const next: MeetingRecord = { ...record, state: 'left', leftAt: at, updatedAt: at };
      await this.put(next);
      return next;
    });
    if (updated) {
      this.core.logger.info({ meetingKey, callId: updated.callId }, 'left the meeting');
      this.core.publish({ type: MEETING_EVENTS.state, meetingKey, state: 'left', ...(updated.callId ? { callId: updated.callId } : {}) });
    }
  }

  async setState(meetingKey: string, state: MeetingState, from?: MeetingState[]): Promise<void> {
    const updated = await this.withLock(meetingKey, async () => {
      const record = await this.core.store.get<MeetingRecord>(MEETINGS_COLLECTION, meetingKey);
      if (!record || record.state === state || record.state === 'left' || (from && !from.includes(record.state))) return undefined;
      const next: MeetingRecord = { ...record, state, updatedAt: this.core.iso() };
      await this.put(next);
      return next;
    });
    if (updated) this.core.publish({ type: MEETING_EVENTS.state, meetingKey, state, ...(updated.callId ? { callId: updated.callId } : {}) });
  }
}
