// Meetings as the chat and the tab see them: a front over its parts — online meetings (create and look up), joining
// and leaving through CallService (join-targets.ts says how to join), the meeting records, the live roster per
// meeting with its repair (and, in a cluster, its ownership), and participant controls.
import type { CallTarget, CommsOperation } from '../calls/index.js';
import { parseJoinLink } from './join-link.js';
import { MeetingError } from './meeting-error.js';
import { MEETING_EVENTS, type MeetingCallState, type RosterDiff, type MeetingState } from './meeting-events.js';
import type { CallEventInput } from './call-events.js';
import type { MeetingEventInput, RosterSnapshot } from './meeting-roster.js';
import {
  createOnlineMeeting,
  createOrGetOnlineMeeting,
  deleteOnlineMeeting,
  findOnlineMeetingByJoinMeetingId,
  findOnlineMeetingByJoinUrl,
  getOnlineMeeting,
  type CreateMeetingInput,
  type Meeting,
} from './online-meetings.js';
import { MeetingCore, type MeetingServiceOptions } from './meeting-core.js';
import { botCallIn, MeetingRecords, type MeetingRecord } from './meeting-records.js';
import { RosterKeeper } from './roster-keeper.js';
import { RosterOwnership } from './roster-ownership.js';
import { MeetingJoining, type JoinResult } from './meeting-joining.js';
import { MeetingParticipants } from './meeting-participants.js';
import { MuteAllJobs, type MuteAllReport, type MuteAllResult } from './mute-all.js';
import type { JoinInput } from './join-targets.js';


export interface MeetingRosterView extends RosterSnapshot {
  /** The bot's presence in the meeting; undefined when it never joined (roster from meeting events only). */
  botState?: MeetingState;
  callId?: string;
  /** The meeting's own call as its call events last said (meetingCallEvents); undefined when none were heard. */
  meetingCall?: MeetingCallState;
}

/** The meeting's call state per meeting key, from its call events. */
export const MEETING_CALLS_COLLECTION = 'meetingCalls';
/**
 * When each person's latest call event happened, per `<meetingKey>|<user id>` (for ordering). A key each, not a map in
 * the meeting's record: a town hall's record would grow with everyone ever seen and be rewritten on every join.
 */
const MEETING_CALL_PEOPLE_COLLECTION = 'meetingCallPeople';

export class MeetingService {
  private readonly core: MeetingCore;
  private readonly records: MeetingRecords;
  private readonly rosters: RosterKeeper;
  private readonly ownership: RosterOwnership | undefined;
  private readonly joining: MeetingJoining;
  private readonly participants: MeetingParticipants;
  private readonly muteAllJobs: MuteAllJobs;
  private unsubscribe: (() => void) | undefined;

  constructor(options: MeetingServiceOptions) {
    this.core = new MeetingCore(options);
    this.records = new MeetingRecords(this.core);
    this.rosters = new RosterKeeper(this.core, this.records, () => this.ownership);
    this.ownership = options.cluster ? new RosterOwnership(this.core, options.cluster, this.records, this.rosters) : undefined;
    this.joining = new MeetingJoining(this.core, this.records, this.rosters);
    this.muteAllJobs = new MuteAllJobs(this.core, this.rosters, options.cluster, options.scheduler);
    this.participants = new MeetingParticipants(this.core, this.records, this.rosters, this.muteAllJobs);
    this.unsubscribe = this.listen();
  }

  private listen(): () => void {
    return this.ownership ? this.ownership.listen() : this.core.bus.subscribe((event) => this.rosters.onBusEvent(event));
  }

  // ---- online meetings ----------------------------------------------------------------------------------------

  /** OnlineMeetings.ReadWrite.All (+ access policy) · application-post-onlinemeetings */
  async create(input: CreateMeetingInput): Promise<Meeting> {
    const meeting = await createOnlineMeeting(this.core.graph, input);
    if (meeting.chatInfo?.threadId && meeting.joinWebUrl) this.noteMeeting(meeting.chatInfo.threadId, meeting.joinWebUrl);
    return meeting;
  }

  /** OnlineMeetings.ReadWrite.All (+ access policy) · onlinemeeting-createorget — `created` false when it existed. */
  createOrGet(input: CreateMeetingInput & { externalId: string }): Promise<{ meeting: Meeting; created: boolean }> {
    return createOrGetOnlineMeeting(this.core.graph, input);
  }

  /** OnlineMeetings.Read.All (+ access policy) · onlinemeeting-get */
  get(organizerId: string, meetingId: string): Promise<Meeting> {
    return getOnlineMeeting(this.core.graph, organizerId, meetingId);
  }

  /** OnlineMeetings.ReadWrite.All (+ access policy) · onlinemeeting-delete */
  delete(organizerId: string, meetingId: string): Promise<boolean> {
    return deleteOnlineMeeting(this.core.graph, organizerId, meetingId);
  }

  /**
   * The online meeting behind a join link (onlinemeeting-get by JoinWebUrl, as the organizer named in the link). A short
   * `/meet/<id>` link names no organizer: pass `organizerId` to look it up by join meeting id.
   */
  async lookupByLink(link: string, options: { organizerId?: string } = {}): Promise<Meeting | undefined> {
    const parsed = parseJoinLink(link, { allowedTenants: this.core.options.allowedTenants });
    if (parsed.kind === 'meetup-join') return findOnlineMeetingByJoinUrl(this.core.graph, parsed.organizerId, parsed.url);
    if (!options.organizerId) {
      throw new MeetingError('meetings/organizer-unknown', 'A short meeting link does not say who organizes the meeting: give the organizer to look it up');
    }
    return findOnlineMeetingByJoinMeetingId(this.core.graph, options.organizerId, parsed.meetingId);
  }

  // ---- joining and leaving --------------------------------------------------------------------------------------

  /** Calls.JoinGroupCall.All · application-post-calls. Joining a meeting the bot is already in returns that call. */
  async join(input: JoinInput): Promise<JoinResult> {
    const result = await this.joining.join(input);
    const record = await this.records.find(result.meetingKey);
    if (record?.joinWebUrl) this.noteMeeting(result.meetingKey, record.joinWebUrl);
    return result;
  }

  /**
   * The app met a meeting (created it, joined it, or Teams told the bot it started): published as `meeting.seen`, so
   * that its call events are followed (MeetingCallEventSubscriptions subscribes once per cluster).
   */
  noteMeeting(meetingKey: string, joinWebUrl: string): void {
    if (typeof joinWebUrl !== 'string' || joinWebUrl.length === 0 || joinWebUrl.length > 2048) return;
    this.core.publish({ type: MEETING_EVENTS.seen, meetingKey, joinWebUrl });
  }

  /**
   * One of the meeting's call events (already verified and decrypted): the meeting's call started or ended
   * (`meeting.call`, kept for the roster view), and who joined, left, or waits in the lobby — the roster knows the
   * people in the meeting even when the bot is not in its call.
   */
  async applyCallEvent(meetingKey: string, event: CallEventInput): Promise<void> {
    // Graph does not promise order: what is older than the latest event already applied (for the call, or for that
    // person) is stale — a late join never brings back someone who left, a late callStarted never reopens the call.
    const at = Date.parse(event.eventDateTime);
    const newer = (last: string | undefined) => !(last && Date.parse(last) > at);
    if (event.eventType !== 'rosterUpdated') {
      const call: MeetingCallState = { state: event.eventType === 'callStarted' ? 'started' : 'ended', at: event.eventDateTime };
      const written = await this.core.store.update<MeetingCallState>(MEETING_CALLS_COLLECTION, meetingKey, (current) => (newer(current?.at) ? call : undefined));
      if (written.written) this.core.publish({ type: MEETING_EVENTS.call, meetingKey, ...call });
    }
    for (const p of event.participants) {
      const key = `${meetingKey}|${p.userId.toLowerCase()}`;
      const written = await this.core.store.update<string>(MEETING_CALL_PEOPLE_COLLECTION, key, (last) => (newer(last) ? event.eventDateTime : undefined));
      if (!written.written) continue;
      this.rosters.applyMeetingEvent(meetingKey, {
        kind: p.removed ? 'leave' : 'join',
        userId: p.userId,
        ...(p.displayName ? { displayName: p.displayName } : {}),
        inLobby: p.inLobby,
      });
    }
  }

  /** call-delete on the bot's leg only; the meeting goes on. Resolves once the hang-up was sent. */
  leave(meetingKey: string): Promise<MeetingRecord> {
    return this.joining.leave(meetingKey);
  }

  getRecord(meetingKey: string): Promise<MeetingRecord | undefined> {
    return this.records.find(meetingKey);
  }

  list(filter: { live?: boolean } = {}): Promise<MeetingRecord[]> {
    return this.records.list(filter);
  }

  // ---- roster ---------------------------------------------------------------------------------------------------

  /** "Who is here now", with the version to apply later `meeting.roster` diffs on. */
  async roster(meetingKey: string): Promise<MeetingRosterView> {
    const record = await this.records.find(meetingKey);
    const key = record?.meetingKey ?? meetingKey;
    const stored = await this.core.store.get<MeetingCallState>(MEETING_CALLS_COLLECTION, key);
    const meetingCall: MeetingCallState | undefined = stored?.state && stored.at ? { state: stored.state, at: stored.at } : undefined;
    if (!record && !this.rosters.get(key) && !meetingCall) throw new MeetingError('meetings/not-found', `The bot knows no meeting ${meetingKey}`, { meetingKey });
    const snapshot = await this.rosters.snapshot(key);
    const callId = botCallIn(record);
    return {
      ...snapshot,
      ...(record ? { botState: record.state } : {}),
      ...(callId ? { callId } : {}),
      ...(meetingCall ? { meetingCall } : {}),
    };
  }

  /**
   * A Teams meeting participant event from the bot (onTeamsMeetingParticipantsJoinEvent/LeaveEvent: aadObjectId, name,
   * meeting.role). `meetingKey` is the meeting chat's thread id (the conversation id). Works before the bot joins too.
   */
  applyMeetingEvent(meetingKey: string, event: MeetingEventInput): RosterDiff | undefined {
    return this.rosters.applyMeetingEvent(meetingKey, event);
  }

  /**
   * Re-reads the participant list (call-list-participants) and reconciles the roster with it: people who were there
   * before the bot joined appear, missed leaves disappear. A list at Graph's cap of 100 only adds.
   */
  repair(meetingKey: string): Promise<boolean> {
    return this.rosters.repair(meetingKey);
  }

  // ---- participant control ------------------------------------------------------------------------------------------

  /** Calls.InitiateGroupCall.All · participant-invite — in requests of at most 5; resolves when each completed. */
  invite(meetingKey: string, people: CallTarget[], options: { clientContext?: string; timeoutMs?: number } = {}): Promise<CommsOperation[]> {
    return this.participants.invite(meetingKey, people, options);
  }

  /** participant-mute (server mute; Graph cannot unmute someone else). */
  mute(meetingKey: string, participantId: string): Promise<CommsOperation> {
    return this.participants.mute(meetingKey, participantId);
  }

  /**
   * Mutes everyone in the bot's call except the bots and `except` (participant or user ids), one participant-mute at
   * a time at most every `pacingMs` (≥ 200 ms: ≤ 5/s) — Graph v1.0 has no mute-all. One result per person. A job in
   * the store: finished by another instance if this one dies (or on the next start), each person muted once; its
   * outcome is published as `meeting.mute-all` with `report` wherever it ends.
   */
  muteAll(meetingKey: string, options: { except?: string[]; pacingMs?: number; report?: MuteAllReport } = {}): Promise<MuteAllResult[]> {
    return this.participants.muteAll(meetingKey, options);
  }

  /** Calls.JoinGroupCall.All (+ AllowRemoveParticipantAppIds) · participant-delete */
  remove(meetingKey: string, participantId: string): Promise<void> {
    return this.participants.remove(meetingKey, participantId);
  }

  // ---- lifecycle ------------------------------------------------------------------------------------------------

  /** Re-attaches the meetings the bot was in before a restart and starts the periodic roster repair. */
  async start(): Promise<void> {
    this.core.stopped = false;
    this.unsubscribe ??= this.listen();
    await this.rosters.reattach();
    this.rosters.scheduleRepair();
    await this.muteAllJobs.resume();
  }

  stop(): void {
    this.core.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.rosters.stopRepair();
  }
}
