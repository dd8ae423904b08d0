// Everything the app knows about one meeting, gathered for the tab: the bot's record of it (comms/meetings), what
// Teams told the bot about the meeting chat, the online meeting from Graph (subject, times, organizer, invited
// attendees and their roles) and the live roster. Graph reads are cached briefly: every API call checks membership.
import { lookupUser } from '../../comms/people/index.js';
import {
  findOnlineMeetingByJoinUrl,
  getOnlineMeeting,
  isMeetingThreadId,
  MeetingError,
  type Meeting,
  type MeetingRecord,
  type MeetingRosterView,
  type MeetingService,
  MEETING_CHATS_COLLECTION,
  type MeetingChatInfo,
} from '../../comms/meetings/index.js';
import type { GraphClient } from '../../comms/graph/index.js';
import type { Store } from '../../comms/store/index.js';
import { TabError } from './tab-error.js';

export interface MeetingFacts {
  /** The key the app files the meeting under (the meeting chat's thread id once known). */
  meetingKey: string;
  record?: MeetingRecord;
  chat?: MeetingChatInfo;
  online?: Meeting;
  organizerName?: string;
  roster?: MeetingRosterView;
}

export interface MeetingFactsOptions {
  meetings: MeetingService;
  graph: GraphClient;
  store: Store;
  logger: { warn(obj: object, msg?: string): void };
  /** How long a Graph read of the online meeting (or its failure) is reused. */
  cacheMs?: number;
  now?: () => number;
}

const MAX_CACHED = 500;
const JOIN_MEETING_KEY = /^joinMeetingId:\d{6,20}$/;

export function isMeetingKey(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 600 && (isMeetingThreadId(value) || JOIN_MEETING_KEY.test(value));
}

interface Cached {
  at: number;
  online?: Meeting;
  organizerName?: string;
}

export class MeetingFactsReader {
  private readonly cache = new Map<string, Cached>();
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(private readonly options: MeetingFactsOptions) {
    this.cacheMs = options.cacheMs ?? 60_000;
    this.now = options.now ?? (() => Date.now());
  }

  /** Throws TabError('tab/meeting-unknown') when the app has never heard of the meeting. */
  async read(meetingKey: string): Promise<MeetingFacts> {
    if (!isMeetingKey(meetingKey)) throw new TabError('tab/invalid-request', 'That is not a Teams meeting id: open the tab from the meeting, or pass ?meeting=<the meeting chat id>.');
    const { meetings, store } = this.options;
    const record = await meetings.getRecord(meetingKey);
    const key = record?.meetingKey ?? meetingKey;
    const [roster, chat] = await Promise.all([
      meetings.roster(key).catch((err: unknown) => {
        if (err instanceof MeetingError && err.code === 'meetings/not-found') return undefined;
        throw err;
      }),
      store.get<MeetingChatInfo>(MEETING_CHATS_COLLECTION, key),
    ]);
    if (!record && !roster && !chat) {
      throw new TabError('tab/meeting-unknown', 'Switchboard has not seen this meeting yet: add the Switchboard bot to the meeting (or ask it to join), then open the tab again.');
    }
    const facts: MeetingFacts = { meetingKey: key };
    if (record) facts.record = record;
    if (roster) facts.roster = roster;
    if (chat) facts.chat = chat;
    const cached = await this.onlineMeeting(key, record);
    if (cached.online) facts.online = cached.online;
    if (cached.organizerName) facts.organizerName = cached.organizerName;
    return facts;
  }

  /** Forget what was read from Graph (after the bot joined: the record now names the online meeting). */
  forget(meetingKey: string): void {
    this.cache.delete(meetingKey);
  }

  private async onlineMeeting(key: string, record: MeetingRecord | undefined): Promise<Cached> {
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < this.cacheMs) return hit;
    const entry: Cached = { at: this.now() };
    const organizerId = record?.organizerId;
    if (organizerId) {
      const { graph, logger } = this.options;
      try {
        // OnlineMeetings.Read.All (+ access policy for the organizer) · onlinemeeting-get
        if (record.onlineMeetingId) entry.online = await getOnlineMeeting(graph, organizerId, record.onlineMeetingId);
        else if (record.joinWebUrl) entry.online = await findOnlineMeetingByJoinUrl(graph, organizerId, record.joinWebUrl);
      } catch (err) {
        logger.warn({ meetingKey: key, code: (err as { code?: string }).code }, 'tab: the online meeting could not be read; showing what the bot knows');
      }
      entry.organizerName = entry.online?.organizer?.displayName;
      if (!entry.organizerName) {
        try {
          // User.Read.All · user-get
          entry.organizerName = (await lookupUser(graph, organizerId))?.displayName;
        } catch {
          // a name is nice to have
        }
      }
    }
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, entry);
    return entry;
  }
}
