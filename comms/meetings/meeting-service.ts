// Meetings as the chat and the tab see them: create and look up online meetings, join one (by link, by meeting id, by
// join meeting id, or from the meeting chat) through CallService and remember which call is in which meeting, keep a
// live roster per meeting (diffs on the bus), repair it from Graph's participant list, and run participant controls
// (invite, mute, paced mute-all, remove) against the bot's call in that meeting.
import { z } from 'zod';
import {
  CallError,
  CALL_EVENTS,
  isLive,
  participantActions,
  type CallService,
  type CallSession,
  type CallTarget,
  type CommsOperation,
  type MeetingToJoin,
  type Participant,
} from '../calls/index.js';
import { GraphError, type GraphClient } from '../graph/index.js';
import type { CommsEvent, EventBus, Store } from '../store/index.js';
import { systemTimers, type Clock, type InstanceRegistry, type Timers } from '../runtime/index.js';
import { isMeetingThreadId, parseJoinLink, type JoinLink } from './join-link.js';
import { MeetingError } from './meeting-error.js';
import { MEETING_EVENTS, type MeetingEvent, type MeetingState, type RosterDiff } from './meeting-events.js';
import { MeetingRoster, type MeetingEventInput, type RosterSnapshot } from './meeting-roster.js';
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
import { describeError } from '../runtime/errors.js';
import type { Logger } from '../runtime/logger.js';
import { KeyedLock } from '../runtime/keyed-lock.js';

export const MEETINGS_COLLECTION = 'meetings';

/** Graph's participant list stops at 100 entries without a next link (comms-samples #648). */
export const PARTICIPANT_LIST_CAP = 100;
export const DEFAULT_REPAIR_INTERVAL_MS = 60_000;
/** Mute-all pace: at most 5 mute requests a second. */
export const MIN_MUTE_PACING_MS = 200;
const MAX_ROSTERS = 1_000;
const INVITES_PER_REQUEST = 5;

export interface MeetingServiceOptions {
  graph: GraphClient;
  calls: CallService;
  bus: EventBus;
  store: Store;
  logger: Logger;
  /** The app's tenant: where short (`/meet/<id>`) links and join-meeting-id joins run. */
  tenantId?: string;
  /** Tenants whose meetings may be joined; undefined: any. */
  allowedTenants?: string[];
  now?: Clock;
  timers?: Timers;
  repairIntervalMs?: number;
  /**
   * Distributed mode: a meeting's roster is kept by the instance that joined it (its owner, named in the record),
   * which hears the call's events from every instance; the others read its stored snapshot, hand it Teams meeting
   * events, and take the meeting over when the owner is gone.
   */
  cluster?: InstanceRegistry;
}

/** Where the owner keeps each meeting's latest roster snapshot for the other instances (distributed mode). */
export const ROSTER_SNAPSHOTS_COLLECTION = 'meeting-rosters';
const MEETING_INPUT_EVENT = 'meeting.input';
const SNAPSHOT_DELAY_MS = 25;
const OWNER_CHECK_MS = 2_000;

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

export type JoinInput =
  | { link: string }
  | { meetingId: string; organizerId: string }
  | { joinMeetingId: string; passcode?: string }
  | { threadId: string; organizerId: string; tenantId: string; messageId?: string };

export interface JoinResult {
  meetingKey: string;
  callId: string;
  state: MeetingState;
  /** The bot was already in this meeting: nothing new was placed. */
  alreadyJoined: boolean;
}

export interface MeetingRosterView extends RosterSnapshot {
  /** The bot's presence in the meeting; undefined when it never joined (roster from meeting events only). */
  botState?: MeetingState;
  callId?: string;
}

export interface MuteAllResult {
  id: string;
  displayName: string;
  outcome: 'muted' | 'already-muted' | 'skipped' | 'failed';
  /** Error code when failed; why when skipped. */
  code?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JOIN_MEETING_ID = /^\d{6,20}$/;
const PASSCODE = /^[A-Za-z0-9]{1,64}$/;

const meetingEventSchema = z.object({
  kind: z.enum(['join', 'leave']),
  userId: z.string().min(1).max(128).regex(/^[A-Za-z0-9:._@-]+$/),
  displayName: z.string().max(256).optional(),
  role: z.string().max(64).optional(),
});

interface JoinTarget {
  lockKey: string;
  meeting: MeetingToJoin;
  details: Partial<MeetingRecord>;
}

function invalid(message: string): MeetingError {
  return new MeetingError('meetings/invalid-argument', message);
}

function errorCode(err: unknown): string {
  if (err instanceof GraphError || err instanceof CallError || err instanceof MeetingError) return err.code;
  return 'unknown';
}

export class MeetingService {
  private readonly graph: GraphClient;
  private readonly calls: CallService;
  private readonly bus: EventBus;
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly options: MeetingServiceOptions;
  private readonly now: Clock;
  private readonly timers: Timers;
  private readonly repairIntervalMs: number;
  private readonly rosters = new Map<string, MeetingRoster>();
  /** callId → meetingKey for the bot's live meeting calls. */
  private readonly callIndex = new Map<string, string>();
  private readonly locks = new KeyedLock();
  private readonly repairing = new Set<string>();
  /** Distributed mode: meetings kept by other instances (meetingKey → owner), calls checked lately (callId → when). */
  private readonly owners = new Map<string, string>();
  private readonly foreignCalls = new Map<string, number>();
  private readonly snapshotTimers = new Map<string, unknown>();
  private unsubscribe: (() => void) | undefined;
  private repairTimer: unknown;
  private stopped = true;

  constructor(options: MeetingServiceOptions) {
    this.options = options;
    this.graph = options.graph;
    this.calls = options.calls;
    this.bus = options.bus;
    this.store = options.store;
    this.logger = options.logger;
    this.now = options.now ?? (() => Date.now());
    this.timers = options.timers ?? systemTimers;
    this.repairIntervalMs = Math.max(1_000, options.repairIntervalMs ?? DEFAULT_REPAIR_INTERVAL_MS);
    this.unsubscribe = this.listen();
  }

  private listen(): () => void {
    const cluster = this.options.cluster;
    if (!cluster) return this.bus.subscribe((event) => this.onBusEvent(event));
    const offs = [
      this.bus.subscribe((event) => this.onBusEvent(event), { scope: 'cluster' }),
      this.bus.subscribe((event) => this.adoptIfOrphaned(event)),
      this.bus.on(MEETING_INPUT_EVENT, (event) => {
        const meetingKey = typeof event.meetingKey === 'string' ? event.meetingKey : undefined;
        if (meetingKey && this.rosters.has(meetingKey) && event.owner === cluster.instanceId) this.applyMeetingEvent(meetingKey, event.input as MeetingEventInput);
      }, { scope: 'remote' }),
    ];
    return () => offs.forEach((off) => off());
  }

  // ---- online meetings ----------------------------------------------------------------------------------------

  /** OnlineMeetings.ReadWrite.All (+ access policy) · application-post-onlinemeetings */
  create(input: CreateMeetingInput): Promise<Meeting> {
    return createOnlineMeeting(this.graph, input);
  }

  /** OnlineMeetings.ReadWrite.All (+ access policy) · onlinemeeting-createorget — `created` false when it existed. */
  createOrGet(input: CreateMeetingInput & { externalId: string }): Promise<{ meeting: Meeting; created: boolean }> {
    return createOrGetOnlineMeeting(this.graph, input);
  }

  /** OnlineMeetings.Read.All (+ access policy) · onlinemeeting-get */
  get(organizerId: string, meetingId: string): Promise<Meeting> {
    return getOnlineMeeting(this.graph, organizerId, meetingId);
  }

  /** OnlineMeetings.ReadWrite.All (+ access policy) · onlinemeeting-delete */
  delete(organizerId: string, meetingId: string): Promise<boolean> {
    return deleteOnlineMeeting(this.graph, organizerId, meetingId);
  }

  /**
   * The online meeting behind a join link (onlinemeeting-get by JoinWebUrl, as the organizer named in the link). A short
   * `/meet/<id>` link names no organizer: pass `organizerId` to look it up by join meeting id.
   */
  async lookupByLink(link: string, options: { organizerId?: string } = {}): Promise<Meeting | undefined> {
    const parsed = parseJoinLink(link, { allowedTenants: this.options.allowedTenants });
    if (parsed.kind === 'meetup-join') return findOnlineMeetingByJoinUrl(this.graph, parsed.organizerId, parsed.url);
    if (!options.organizerId) {
      throw new MeetingError('meetings/organizer-unknown', 'A short meeting link does not say who organizes the meeting: give the organizer to look it up');
    }
    return findOnlineMeetingByJoinMeetingId(this.graph, options.organizerId, parsed.meetingId);
  }

  // ---- joining and leaving --------------------------------------------------------------------------------------

  /** Calls.JoinGroupCall.All · application-post-calls. Joining a meeting the bot is already in returns that call. */
  async join(input: JoinInput): Promise<JoinResult> {
    const target = await this.resolveJoinTarget(input);
    return this.withLock(target.lockKey, async () => {
      const existing = await this.findRecord(target.lockKey);
      if (existing && existing.state !== 'left' && existing.callId) {
        const session = await this.calls.getCall(existing.callId);
        if (session && isLive(session)) {
          return { meetingKey: existing.meetingKey, callId: existing.callId, state: existing.state, alreadyJoined: true };
        }
      }
      const session = await this.calls.joinMeeting({
        meeting: target.meeting,
        tenantId: target.meeting.tenantId,
        purpose: 'meeting',
        context: { meetingKey: target.lockKey },
      });
      const meetingKey = session.chatInfo?.threadId && isMeetingThreadId(session.chatInfo.threadId) ? session.chatInfo.threadId : target.lockKey;
      if (meetingKey !== target.lockKey) await this.calls.updateContext(session.id, { context: { meetingKey } });
      const at = this.iso();
      const record: MeetingRecord = {
        ...(existing && existing.meetingKey === meetingKey ? existing : {}),
        ...target.details,
        meetingKey,
        state: session.state === 'established' ? 'joined' : 'joining',
        callId: session.id,
        joinedAt: at,
        updatedAt: at,
        ...(this.options.cluster ? { owner: this.options.cluster.instanceId } : {}),
      };
      delete record.leftAt;
      if (!record.threadId && session.chatInfo?.threadId && isMeetingThreadId(session.chatInfo.threadId)) {
        record.threadId = session.chatInfo.threadId;
        if (session.chatInfo.messageId) record.messageId = session.chatInfo.messageId;
      }
      await this.store.put(MEETINGS_COLLECTION, meetingKey, record);
      this.logger.info({ meetingKey, callId: session.id }, 'joining a meeting');
      this.publish({ type: MEETING_EVENTS.state, meetingKey, state: record.state, callId: session.id });
      await this.attach(record, session);
      return { meetingKey, callId: session.id, state: record.state, alreadyJoined: false };
    });
  }

  /** call-delete on the bot's leg only; the meeting goes on. Resolves once the hang-up was sent. */
  async leave(meetingKey: string): Promise<MeetingRecord> {
    const record = await this.requireRecord(meetingKey);
    if (record.state === 'left' || !record.callId) return record;
    const session = await this.calls.hangUp(record.callId);
    if (!isLive(session)) {
      await this.onCallEnded(record.callId);
    } else {
      await this.setState(record.meetingKey, 'leaving');
    }
    return (await this.findRecord(record.meetingKey)) ?? record;
  }

  async getRecord(meetingKey: string): Promise<MeetingRecord | undefined> {
    return this.findRecord(meetingKey);
  }

  async list(filter: { live?: boolean } = {}): Promise<MeetingRecord[]> {
    const all = (await this.store.list<MeetingRecord>(MEETINGS_COLLECTION)).map((i) => i.value);
    return all
      .filter((r) => filter.live === undefined || (r.state !== 'left') === filter.live)
      .sort((a, b) => (b.joinedAt ?? '').localeCompare(a.joinedAt ?? ''));
  }

  // ---- roster ---------------------------------------------------------------------------------------------------

  /** "Who is here now", with the version to apply later `meeting.roster` diffs on. */
  async roster(meetingKey: string): Promise<MeetingRosterView> {
    const record = await this.findRecord(meetingKey);
    const key = record?.meetingKey ?? meetingKey;
    const roster = this.rosters.get(key);
    if (!record && !roster) throw new MeetingError('meetings/not-found', `The bot knows no meeting ${meetingKey}`, { meetingKey });
    const snapshot = await this.currentSnapshot(key);
    return {
      ...snapshot,
      ...(record ? { botState: record.state } : {}),
      ...(record?.callId && record.state !== 'left' ? { callId: record.callId } : {}),
    };
  }

  /**
   * A Teams meeting participant event from the bot (onTeamsMeetingParticipantsJoinEvent/LeaveEvent: aadObjectId, name,
   * meeting.role). `meetingKey` is the meeting chat's thread id (the conversation id). Works before the bot joins too.
   */
  applyMeetingEvent(meetingKey: string, event: MeetingEventInput): RosterDiff | undefined {
    if (typeof meetingKey !== 'string' || (!isMeetingThreadId(meetingKey) && !/^joinMeetingId:\d{6,20}$/.test(meetingKey))) throw invalid('meetingKey must be the meeting chat thread id');
    const parsed = meetingEventSchema.safeParse(event);
    if (!parsed.success) throw invalid('a meeting event needs kind (join or leave) and the user id');
    const owner = this.options.cluster && !this.rosters.has(meetingKey) ? this.owners.get(meetingKey) : undefined;
    if (owner && owner !== this.options.cluster!.instanceId) {
      // Another instance keeps this meeting's roster: hand it the event.
      this.bus.publish({ type: MEETING_INPUT_EVENT, meetingKey, owner, input: parsed.data });
      return undefined;
    }
    return this.rosterFor(meetingKey).applyMeetingEvent(parsed.data);
  }

  /**
   * Re-reads the participant list (call-list-participants) and reconciles the roster with it: people who were there
   * before the bot joined appear, missed leaves disappear. A list at Graph's cap of 100 only adds.
   */
  async repair(meetingKey: string): Promise<boolean> {
    const key = (await this.findRecord(meetingKey))?.meetingKey ?? meetingKey;
    const roster = this.rosters.get(key);
    const callId = this.callIdOf(key);
    if (!roster || !callId || this.repairing.has(key)) return false;
    this.repairing.add(key);
    try {
      const since = roster.version;
      // Calls.Initiate.All (checked at join) · call-list-participants — read only: the call's own roster stays as notified.
      const listed = await participantActions.listParticipants(this.graph, callId);
      if (this.callIdOf(key) !== callId) return false;
      roster.reconcile(listed, { since, additiveOnly: listed.length >= PARTICIPANT_LIST_CAP });
      return true;
    } catch (err) {
      this.logger.warn({ err: describeError(err), meetingKey: key, callId }, 'could not repair the meeting roster');
      return false;
    } finally {
      this.repairing.delete(key);
    }
  }

  // ---- participant control ------------------------------------------------------------------------------------------

  /** Calls.InitiateGroupCall.All · participant-invite — in requests of at most 5; resolves when each completed. */
  async invite(meetingKey: string, people: CallTarget[], options: { clientContext?: string; timeoutMs?: number } = {}): Promise<CommsOperation[]> {
    if (!Array.isArray(people) || people.length === 0 || people.length > 50) throw invalid('invite takes 1 to 50 people');
    const callId = await this.liveCallId(meetingKey);
    const ops: CommsOperation[] = [];
    for (let i = 0; i < people.length; i += INVITES_PER_REQUEST) {
      const chunk = people.slice(i, i + INVITES_PER_REQUEST).map((target) => ({ target }));
      ops.push(await this.calls.invite(callId, chunk, options));
    }
    return ops;
  }

  /** participant-mute (server mute; Graph cannot unmute someone else). */
  async mute(meetingKey: string, participantId: string): Promise<CommsOperation> {
    return this.calls.muteParticipant(await this.liveCallId(meetingKey), participantId);
  }

  /**
   * Mutes everyone in the bot's call except the bots and `except` (participant or user ids), one participant-mute at
   * a time at most every `pacingMs` (≥ 200 ms: ≤ 5/s) — Graph v1.0 has no mute-all. One result per person.
   */
  async muteAll(meetingKey: string, options: { except?: string[]; pacingMs?: number } = {}): Promise<MuteAllResult[]> {
    const callId = await this.liveCallId(meetingKey);
    const key = this.callIndex.get(callId)!;
    const except = new Set(options.except ?? []);
    const pacingMs = Math.max(MIN_MUTE_PACING_MS, options.pacingMs ?? MIN_MUTE_PACING_MS);
    const entries = (await this.currentSnapshot(key)).entries.filter((e) => !e.isBot && !except.has(e.id) && !(e.userId && except.has(e.userId)));
    const results: MuteAllResult[] = [];
    let sent = 0;
    let stopCode: string | undefined;
    for (const entry of entries) {
      const base = { id: entry.id, displayName: entry.displayName };
      if (stopCode) {
        results.push({ ...base, outcome: 'failed', code: stopCode });
        continue;
      }
      if (entry.id.startsWith('user:')) {
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
      if (sent > 0) await this.sleep(pacingMs);
      sent += 1;
      try {
        await this.calls.muteParticipant(callId, entry.id);
        results.push({ ...base, outcome: 'muted' });
      } catch (err) {
        const code = errorCode(err);
        results.push({ ...base, outcome: 'failed', code });
        if (code === 'calls/call-ended' || code === 'calls/not-found') stopCode = code;
      }
    }
    return results;
  }

  /** Calls.JoinGroupCall.All (+ AllowRemoveParticipantAppIds) · participant-delete */
  async remove(meetingKey: string, participantId: string): Promise<void> {
    await this.calls.removeParticipant(await this.liveCallId(meetingKey), participantId);
  }

  // ---- lifecycle ------------------------------------------------------------------------------------------------

  /** Re-attaches the meetings the bot was in before a restart and starts the periodic roster repair. */
  async start(): Promise<void> {
    this.stopped = false;
    this.unsubscribe ??= this.listen();
    for (const record of await this.list({ live: true })) {
      const cluster = this.options.cluster;
      if (cluster && record.owner && record.owner !== cluster.instanceId && (await cluster.isAlive(record.owner))) {
        this.owners.set(record.meetingKey, record.owner);
        continue; // kept by another instance
      }
      const session = record.callId ? await this.calls.getCall(record.callId) : undefined;
      if (!session || !isLive(session)) {
        await this.markLeft(record.meetingKey);
        continue;
      }
      await this.attach(cluster ? await this.takeOwnership(record) : record, session);
    }
    this.scheduleRepair();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.repairTimer !== undefined) this.timers.clearTimeout(this.repairTimer);
    this.repairTimer = undefined;
  }

  // ---- internals ------------------------------------------------------------------------------------------------

  private async resolveJoinTarget(input: JoinInput): Promise<JoinTarget> {
    if (!input || typeof input !== 'object') throw invalid('say which meeting to join');
    if ('link' in input) {
      const link: JoinLink = parseJoinLink(input.link, { allowedTenants: this.options.allowedTenants });
      if (link.kind === 'meet') return this.byJoinMeetingId(link.meetingId, link.passcode, { joinWebUrl: link.url });
      return this.byThread(
        { threadId: link.threadId, messageId: link.messageId, organizerId: link.organizerId, tenantId: link.tenantId, replyChainMessageId: link.replyChainMessageId },
        { joinWebUrl: link.url },
      );
    }
    if ('joinMeetingId' in input) return this.byJoinMeetingId(input.joinMeetingId, input.passcode, {});
    if ('meetingId' in input) {
      const meeting = await getOnlineMeeting(this.graph, input.organizerId, input.meetingId);
      if (!meeting.chatInfo) throw new MeetingError('meetings/invalid-response', 'Graph gave the meeting without its chat; it cannot be joined this way');
      const tenantId = meeting.organizer?.tenantId ?? (meeting.joinWebUrl ? tenantFromLink(meeting.joinWebUrl) : undefined) ?? this.options.tenantId;
      if (!tenantId) throw invalid('the organizer\'s tenant is unknown: set the app tenant');
      return this.byThread(
        {
          threadId: meeting.chatInfo.threadId,
          messageId: meeting.chatInfo.messageId,
          organizerId: input.organizerId,
          tenantId,
          replyChainMessageId: meeting.chatInfo.replyChainMessageId,
        },
        {
          onlineMeetingId: meeting.id,
          ...(meeting.subject ? { subject: meeting.subject } : {}),
          ...(meeting.joinWebUrl ? { joinWebUrl: meeting.joinWebUrl } : {}),
          ...(meeting.joinMeetingId ? { joinMeetingId: meeting.joinMeetingId } : {}),
        },
      );
    }
    if ('threadId' in input) return this.byThread({ ...input }, {});
    throw invalid('say which meeting to join: a link, a meeting id, a join meeting id or the meeting chat');
  }

  private byThread(
    m: { threadId: string; messageId?: string; organizerId: string; tenantId: string; replyChainMessageId?: string },
    details: Partial<MeetingRecord>,
  ): JoinTarget {
    if (!isMeetingThreadId(m.threadId)) throw invalid('threadId must be a Teams meeting chat id (19:…@thread.v2)');
    if (typeof m.organizerId !== 'string' || !GUID.test(m.organizerId)) throw invalid('organizerId must be the organizer\'s object id (a GUID)');
    if (typeof m.tenantId !== 'string' || !GUID.test(m.tenantId)) throw invalid('tenantId must be a GUID');
    if (m.messageId !== undefined && !/^\d{1,20}$/.test(m.messageId)) throw invalid('messageId must be digits');
    const tenantId = m.tenantId.toLowerCase();
    const allowed = this.options.allowedTenants?.map((t) => t.toLowerCase());
    if (allowed && !allowed.includes(tenantId)) throw new MeetingError('meetings/invalid-join-link', 'the meeting belongs to another organization');
    const meeting: MeetingToJoin = {
      kind: 'organizer',
      organizerId: m.organizerId,
      tenantId,
      threadId: m.threadId,
      messageId: m.messageId ?? '0',
      ...(m.replyChainMessageId ? { replyChainMessageId: m.replyChainMessageId } : {}),
    };
    return {
      lockKey: m.threadId,
      meeting,
      details: {
        ...details,
        threadId: m.threadId,
        messageId: m.messageId ?? '0',
        organizerId: m.organizerId,
        tenantId,
        ...(m.replyChainMessageId ? { replyChainMessageId: m.replyChainMessageId } : {}),
      },
    };
  }

  private byJoinMeetingId(joinMeetingId: string, passcode: string | undefined, details: Partial<MeetingRecord>): JoinTarget {
    if (typeof joinMeetingId !== 'string' || !JOIN_MEETING_ID.test(joinMeetingId)) throw invalid('joinMeetingId must be the digits of the meeting id');
    if (passcode !== undefined && (typeof passcode !== 'string' || !PASSCODE.test(passcode))) throw invalid('passcode must be letters and digits');
    const tenantId = this.options.tenantId;
    if (!tenantId) throw invalid('joining by meeting id needs the app tenant (MicrosoftAppTenantId)');
    return {
      lockKey: `joinMeetingId:${joinMeetingId}`,
      // The passcode goes to Graph and nowhere else: it is not stored.
      meeting: { kind: 'joinMeetingId', joinMeetingId, tenantId, ...(passcode !== undefined ? { passcode } : {}) },
      details: { ...details, joinMeetingId, tenantId },
    };
  }

  private rosterFor(meetingKey: string): MeetingRoster {
    let roster = this.rosters.get(meetingKey);
    if (roster) return roster;
    if (this.rosters.size >= MAX_ROSTERS) {
      const live = new Set(this.callIndex.values());
      for (const key of this.rosters.keys()) {
        if (!live.has(key)) {
          this.rosters.delete(key);
          break;
        }
      }
    }
    roster = new MeetingRoster(meetingKey, { now: this.now, publish: (diff) => this.publish({ type: MEETING_EVENTS.roster, ...diff }) });
    this.rosters.set(meetingKey, roster);
    return roster;
  }

  private async attach(record: MeetingRecord, session: CallSession): Promise<void> {
    const roster = this.rosterFor(record.meetingKey);
    roster.setBotParticipantId(session.myParticipantId);
    this.callIndex.set(session.id, record.meetingKey);
    // From here on every call.participants diff reaches the roster; the re-read covers what came before.
    const since = roster.version;
    const fresh = await this.calls.getCall(session.id);
    if (fresh) {
      roster.setBotParticipantId(fresh.myParticipantId);
      roster.reconcile(fresh.participants, { since });
      // Not awaited: this may run under the meeting's lock (join), which markLeft and setState take too.
      if (!isLive(fresh)) void this.onCallEnded(fresh.id);
      else if (fresh.state === 'established') void this.setState(record.meetingKey, 'joined', ['joining']).then(() => this.repair(record.meetingKey));
    }
  }

  private onBusEvent(event: CommsEvent): void {
    const callId = typeof event.callId === 'string' ? event.callId : undefined;
    if (!callId) return;
    const meetingKey = this.callIndex.get(callId);
    if (!meetingKey) return;
    if (event.type === CALL_EVENTS.participants) {
      const e = event as unknown as { joined: Participant[]; left: Participant[]; updated: Participant[] };
      this.rosters.get(meetingKey)?.applyCallDiff(e);
      return;
    }
    if (event.type === CALL_EVENTS.state) {
      const state = event.state;
      if (state === 'established') {
        void this.setState(meetingKey, 'joined', ['joining']).then(() => this.repair(meetingKey));
      } else if (state === 'terminated') {
        void this.onCallEnded(callId);
      }
    }
  }

  private async onCallEnded(callId: string): Promise<void> {
    const meetingKey = this.callIndex.get(callId);
    if (!meetingKey) return;
    this.callIndex.delete(callId);
    this.rosters.get(meetingKey)?.clear();
    await this.markLeft(meetingKey, callId);
  }

  private async markLeft(meetingKey: string, callId?: string): Promise<void> {
    const updated = await this.withLock(meetingKey, async () => {
      const record = await this.store.get<MeetingRecord>(MEETINGS_COLLECTION, meetingKey);
      if (!record || record.state === 'left' || (callId && record.callId !== callId)) return undefined;
      const at = this.iso();
      const next: MeetingRecord = { ...record, state: 'left', leftAt: at, updatedAt: at };
      await this.store.put(MEETINGS_COLLECTION, meetingKey, next);
      return next;
    });
    if (updated) {
      this.logger.info({ meetingKey, callId: updated.callId }, 'left the meeting');
      this.publish({ type: MEETING_EVENTS.state, meetingKey, state: 'left', ...(updated.callId ? { callId: updated.callId } : {}) });
    }
  }

  private async setState(meetingKey: string, state: MeetingState, from?: MeetingState[]): Promise<void> {
    const updated = await this.withLock(meetingKey, async () => {
      const record = await this.store.get<MeetingRecord>(MEETINGS_COLLECTION, meetingKey);
      if (!record || record.state === state || record.state === 'left' || (from && !from.includes(record.state))) return undefined;
      const next: MeetingRecord = { ...record, state, updatedAt: this.iso() };
      await this.store.put(MEETINGS_COLLECTION, meetingKey, next);
      return next;
    });
    if (updated) this.publish({ type: MEETING_EVENTS.state, meetingKey, state, ...(updated.callId ? { callId: updated.callId } : {}) });
  }

  private callIdOf(meetingKey: string): string | undefined {
    for (const [callId, key] of this.callIndex) if (key === meetingKey) return callId;
    return undefined;
  }

  private async findRecord(meetingKey: string): Promise<MeetingRecord | undefined> {
    if (typeof meetingKey !== 'string' || meetingKey.length === 0 || meetingKey.length > 600) throw invalid('meetingKey must be a meeting key');
    const direct = await this.store.get<MeetingRecord>(MEETINGS_COLLECTION, meetingKey);
    if (direct) return direct;
    const match = /^joinMeetingId:(\d{6,20})$/.exec(meetingKey);
    if (!match) return undefined;
    // A join by meeting id is filed under the meeting's chat id once Graph reports it.
    const all = await this.list();
    return all.find((r) => r.joinMeetingId === match[1]);
  }

  private async requireRecord(meetingKey: string): Promise<MeetingRecord> {
    const record = await this.findRecord(meetingKey);
    if (!record) throw new MeetingError('meetings/not-found', `The bot knows no meeting ${meetingKey}`, { meetingKey });
    return record;
  }

  private async liveCallId(meetingKey: string): Promise<string> {
    const record = await this.requireRecord(meetingKey);
    if (record.state === 'left' || !record.callId || !this.callIndex.has(record.callId)) {
      throw new MeetingError('meetings/not-joined', 'The bot is not in this meeting: join it first', { meetingKey: record.meetingKey });
    }
    return record.callId;
  }

  private withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(key, fn);
  }

  private scheduleRepair(): void {
    if (this.stopped) return;
    this.repairTimer = this.timers.setTimeout(() => {
      void (async () => {
        for (const key of new Set(this.callIndex.values())) await this.repair(key);
        this.scheduleRepair();
      })();
    }, this.repairIntervalMs);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.timers.setTimeout(resolve, ms));
  }

  private publish(event: MeetingEvent): void {
    this.bus.publish({ ...event, at: this.iso() });
    if (this.options.cluster && event.type === MEETING_EVENTS.roster) this.persistSnapshot(event.meetingKey);
  }

  /** The roster as this instance knows it, or (distributed mode) as its owner last stored it. */
  private async currentSnapshot(meetingKey: string): Promise<RosterSnapshot> {
    const roster = this.rosters.get(meetingKey);
    if (roster) return roster.snapshot();
    const stored = this.options.cluster ? await this.store.get<RosterSnapshot>(ROSTER_SNAPSHOTS_COLLECTION, meetingKey) : undefined;
    return stored ?? { meetingKey, version: 0, count: 0, entries: [] };
  }

  /** The owner writes its snapshot shortly after each change (coalesced), for the other instances to read. */
  private persistSnapshot(meetingKey: string): void {
    if (this.snapshotTimers.has(meetingKey)) return;
    this.snapshotTimers.set(
      meetingKey,
      this.timers.setTimeout(() => {
        this.snapshotTimers.delete(meetingKey);
        const roster = this.rosters.get(meetingKey);
        if (!roster) return;
        this.store.put(ROSTER_SNAPSHOTS_COLLECTION, meetingKey, roster.snapshot()).catch((err: unknown) => this.logger.warn({ err: describeError(err), meetingKey }, 'could not store the roster snapshot'));
      }, SNAPSHOT_DELAY_MS),
    );
  }

  private async takeOwnership(record: MeetingRecord): Promise<MeetingRecord> {
    const owned = { ...record, owner: this.options.cluster!.instanceId, updatedAt: this.iso() };
    await this.store.put(MEETINGS_COLLECTION, record.meetingKey, owned);
    this.owners.set(record.meetingKey, owned.owner);
    return owned;
  }

  /**
   * Distributed mode: an event this instance processed for a meeting call it does not keep. When the meeting's
   * owner is gone, take the meeting over: re-read the call and reconcile the roster from it, as after a restart.
   */
  private adoptIfOrphaned(event: CommsEvent): void {
    const callId = typeof event.callId === 'string' ? event.callId : undefined;
    if (!callId || this.callIndex.has(callId) || (event.type !== CALL_EVENTS.participants && event.type !== CALL_EVENTS.state)) return;
    const checked = this.foreignCalls.get(callId);
    if (checked && this.now() - checked < OWNER_CHECK_MS) return;
    this.foreignCalls.set(callId, this.now());
    void (async () => {
      const cluster = this.options.cluster!;
      const record = (await this.list({ live: true })).find((r) => r.callId === callId);
      if (!record) return;
      if (record.owner) this.owners.set(record.meetingKey, record.owner);
      if (record.owner === cluster.instanceId || (record.owner && (await cluster.isAlive(record.owner)))) return;
      const session = await this.calls.getCall(callId);
      if (!session || !isLive(session) || this.callIndex.has(callId)) return;
      this.logger.info({ meetingKey: record.meetingKey, callId, from: record.owner }, 'took over a meeting whose instance is gone');
      this.foreignCalls.delete(callId);
      await this.attach(await this.takeOwnership(record), session);
      if (session.state === 'established') await this.repair(record.meetingKey);
    })().catch((err: unknown) => this.logger.warn({ err: describeError(err), callId }, 'could not take over a meeting'));
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

function tenantFromLink(link: string): string | undefined {
  try {
    const parsed = parseJoinLink(link);
    return parsed.kind === 'meetup-join' ? parsed.tenantId : undefined;
  } catch {
    return undefined;
  }
}

