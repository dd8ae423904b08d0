// The emulated calling service's core: the calls, conversations and recordings it holds, and the primitives every
// flow uses — state and roster notifications, operation completion, ringing, keep-alive, ending a call.

import { randomBytes, randomUUID } from 'node:crypto';
import type { CallingService } from '../calling/calling-service.js';
import type { UserDirectory } from '../directory/user-directory.js';
import { EmulatorError } from '../emulator-error.js';
import type { EmulatedUser, EmulatorLogger } from '../emulator-options.js';
import { GraphError } from '../graph/graph-error.js';
import type { AppRegistry, RegisteredApp } from '../identity/app-registry.js';
import type { CallKind, Conversation, EmulatedCall, Json, OperationExtra, OperationRecord, OperationType, Participant } from './call-model.js';
import type { CallIdentitySet, CallModality, CommsOperationType, Graph, ODataAnnotations, WireCall } from '../../graph-models/index.js';
import { CallingEvents } from './calling-events.js';
import { ContentSharing } from './content-sharing.js';
import { DirectCalls } from './direct-calls.js';
import { loadEmulatedVoice, type EmulatedVoice } from './emulated-voice.js';
import { callPath, operationPath, personIdentitySet, resultInfo, type OperationJson } from './graph-shapes.js';
import { MediaRunner, type OperationOutcome } from './media-runner.js';
import { NotificationFaults } from './notification-faults.js';
import { Notifier, type CommsNotification } from './notifier.js';
import { ParticipantMap, type ParticipantChange } from './participant-map.js';
import { PeopleBehavior, type PeopleDefaults } from './people-behavior.js';
import { PromptFetcher } from './prompt-fetcher.js';
import { RESULTS, type ResultCode } from './result-codes.js';
import type { Recorded } from './record-session.js';
import { Ringing, type RingOutcome, type RingReason } from './ringing.js';
import { RosterPublisher } from './roster-publisher.js';
import { Scheduler, type Cancel } from './scheduler.js';
import { Variations } from './variations.js';

export interface CallsEngineOptions {
  notificationDelayMs: number;
  answerWindowMs: number;
  ringTimeoutMs: number;
  keepAliveTimeoutMs: number;
  mediaSpeed: number;
  variations: boolean;
  /** Roster changes from meeting people and scripts are coalesced within this window (scheduleRoster). Default 250. */
  rosterBatchMs?: number;
  /** What people nobody set do when the bot calls them (default: manual). */
  people?: Partial<PeopleDefaults>;
  /** false: people cannot say words (speak with text answers 503, as when the optional espeak-ng is missing). Default true. */
  speechSynthesis?: boolean;
}

/** Told when participants join or leave any conversation (presence, call records, Teams meeting events). */
export interface ConversationObserver {
  participantAdded?(conversation: Conversation, participant: Participant): void;
  /** `emptied`: the last participant left (a meeting's call is over; its next one gets a new callChainId). */
  participantRemoved?(conversation: Conversation, participant: Participant, emptied: boolean): void;
}

/** Resolves the meetings the emulator knows (onlineMeetings) when a bot joins by joinMeetingId. */
export interface MeetingLookup {
  byJoinMeetingId(joinMeetingId: string): { threadId: string; passcode: string | null; isPasscodeRequired: boolean } | undefined;
}

export interface CallsEngineDeps {
  options: CallsEngineOptions;
  /** The emulator's base URL (recordings are served under it). */
  baseUrl: string;
  graphUrl: string;
  tenantId: string;
  apps: AppRegistry;
  directory: UserDirectory;
  calling: CallingService;
  logger: EmulatorLogger;
}

export interface Recording {
  id: string;
  callId: string;
  operationId: string;
  token: string;
  wav: Buffer;
  seconds: number;
  createdAt: string;
}

/** How a call ends: its resultInfo or terminationReason, and the documented shape of the `deleted` notification. */
export interface CallEnding {
  reason: string;
  result?: ResultCode;
  terminationReason?: string;
  /** full: state + resultInfo; minimal: only @odata.type/@odata.id (call-reject); redirect: the call without resultInfo (call-redirect). */
  shape?: 'full' | 'minimal' | 'redirect';
  /** Send `terminating` first (DELETE). */
  terminating?: boolean;
  /** Where the `deleted` notification goes (reject/redirect may name a callbackUri). */
  url?: string;
  transferCompletion?: boolean;
}

const MAX_CALLS_KEPT = 1000;

interface CallTimers {
  answerWindow?: Cancel;
  keepAlive?: Cancel;
  establish?: Cancel;
}

export class CallsEngine {
  readonly scheduler: Scheduler;
  readonly events = new CallingEvents();
  readonly notificationFaults = new NotificationFaults();
  readonly behaviors: PeopleBehavior;
  readonly variations: Variations;
  readonly notifier: Notifier;
  readonly fetcher = new PromptFetcher();
  readonly ringing: Ringing;
  readonly calls = new Map<string, EmulatedCall>();
  readonly recordings = new Map<string, Recording>();
  private readonly meetings = new Map<string, Conversation>();
  private readonly media = new Map<string, MediaRunner>();
  private readonly timers = new Map<string, CallTimers>();
  private readonly observers = new Set<ConversationObserver>();
  readonly roster: RosterPublisher;
  /** Screen-sharing sessions per conversation and their contentSharingSession notifications. */
  readonly contentSharing: ContentSharing;
  /** Calls between two people after a transfer: no bot leg, emulator truth only. */
  readonly directCalls: DirectCalls = new DirectCalls(this);
  /** Set by the meetings service: joinMeetingIdMeetingInfo then joins the meeting with that id (or fails). */
  meetingLookup?: MeetingLookup;
  private voiceLoad?: Promise<EmulatedVoice | undefined>;

  constructor(readonly deps: CallsEngineDeps) {
    this.scheduler = new Scheduler(deps.logger);
    this.variations = new Variations(deps.options.variations);
    this.behaviors = new PeopleBehavior(deps.options.people);
    this.ringing = new Ringing(this.scheduler, this.behaviors);
    this.notifier = new Notifier({
      delayMs: deps.options.notificationDelayMs,
      calling: deps.calling,
      events: this.events,
      faults: this.notificationFaults,
      scheduler: this.scheduler,
      logger: deps.logger,
    });
    this.roster = new RosterPublisher({
      scheduler: this.scheduler,
      variations: this.variations,
      batchMs: deps.options.rosterBatchMs ?? 250,
      leg: (callId) => this.calls.get(callId),
      isConnected,
      send: (call, notification) => this.send(call, notification),
      published: (conversation, info) => this.events.emit('roster.published', { threadId: conversation.threadId, conversationId: conversation.id, ...info }),
    });
    this.contentSharing = new ContentSharing({
      leg: (callId) => this.calls.get(callId),
      isConnected,
      send: (call, notification) => this.send(call, notification),
      events: this.events,
    });
  }

  /** Registers an observer of participants joining and leaving; returns the unsubscribe. */
  observe(observer: ConversationObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /** Every meeting conversation (keyed by chat thread id) the calling service holds. */
  meetingConversations(): Conversation[] {
    return [...this.meetings.values()];
  }

  /** The meeting conversation for a thread, if one exists (does not create it). */
  findMeetingConversation(threadId: string): Conversation | undefined {
    return this.meetings.get(threadId.toLowerCase());
  }

  get options(): CallsEngineOptions {
    return this.deps.options;
  }

  // ── lookups ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** A directory person by id or UPN, or a number on the phone network (its id is the E.164 number). */
  person(idOrUpn: string): EmulatedUser | undefined {
    return this.deps.directory.find(idOrUpn) ?? this.deps.directory.findPhone(idOrUpn);
  }

  requirePerson(idOrUpn: string | undefined): EmulatedUser {
    const user = idOrUpn ? this.person(idOrUpn) : undefined;
    if (!user) throw new EmulatorError('emulator/unknown-person', `There is no emulated person or phone '${idOrUpn ?? ''}': GET /emulator/people and GET /emulator/phones list them.`, 404);
    return user;
  }

  app(clientId: string): RegisteredApp | undefined {
    return this.deps.apps.find(clientId);
  }

  /** The app's live call (Graph): 404 for unknown, ended, or another app's calls. */
  liveCall(callId: string, appId: string): EmulatedCall {
    const call = this.calls.get(callId.toLowerCase());
    if (!call || call.state === 'terminated' || call.appId.toLowerCase() !== appId.toLowerCase()) {
      throw new GraphError(404, 'itemNotFound', `Call '${callId}' was not found or has already ended.`);
    }
    return call;
  }

  /** Any call the emulator knows (control API). */
  knownCall(callId: string): EmulatedCall {
    const call = this.calls.get(callId.toLowerCase());
    if (!call) throw new EmulatorError('emulator/unknown-call', `There is no call '${callId}': GET /emulator/calls lists them.`, 404);
    return call;
  }

  mediaFor(call: EmulatedCall): MediaRunner {
    let runner = this.media.get(call.id);
    if (!runner) {
      runner = new MediaRunner(
        {
          scheduler: this.scheduler,
          fetcher: this.fetcher,
          events: this.events,
          mediaSpeed: this.options.mediaSpeed,
          finishOperation: (c, op, outcome) => this.finishOperation(c, op, outcome),
          storeRecording: (c, op, recorded) => this.storeRecording(c, op, recorded),
        },
        call,
      );
      this.media.set(call.id, runner);
    }
    return runner;
  }

  /** The people's voice (eSpeak NG), loaded on first use; undefined when turned off or the optional package is missing. */
  voice(): Promise<EmulatedVoice | undefined> {
    if (this.options.speechSynthesis === false) return Promise.resolve(undefined);
    this.voiceLoad ??= loadEmulatedVoice().then((voice) => {
      if (!voice) this.deps.logger.warn({}, 'emulated people cannot say words: the optional espeak-ng package is not installed');
      return voice;
    });
    return this.voiceLoad;
  }

  listeningOperationId(call: EmulatedCall): string | undefined {
    return this.media.get(call.id)?.listeningOperationId;
  }

  // ── creation ─────────────────────────────────────────────────────────────────────────────────────────────────

  newCall(fields: {
    app: RegisteredApp;
    kind: CallKind;
    direction: 'incoming' | 'outgoing';
    state: EmulatedCall['state'];
    callbackUri: string;
    source: Json;
    targets: Json[];
    conversation: Conversation;
    requestedModalities?: CallModality[];
    mediaConfig?: Json;
    chatInfo?: Json;
    meetingInfo?: Json;
    subject?: string;
    callOptions?: Json;
    tenantId?: string;
    peerPersonId?: string;
  }): EmulatedCall {
    const now = new Date().toISOString();
    const mediaType = String(fields.mediaConfig?.['@odata.type'] ?? '');
    const call: EmulatedCall = {
      id: randomUUID(),
      appId: fields.app.clientId,
      appDisplayName: fields.app.displayName,
      tenantId: fields.tenantId ?? this.deps.tenantId,
      kind: fields.kind,
      direction: fields.direction,
      state: fields.state,
      callbackUri: fields.callbackUri,
      callChainId: fields.conversation.callChainId,
      myParticipantId: randomUUID(),
      source: fields.source,
      targets: fields.targets,
      requestedModalities: fields.requestedModalities ?? ['audio'],
      ...(fields.mediaConfig ? { mediaConfig: fields.mediaConfig } : {}),
      mediaHosting: /appHostedMediaConfig$/i.test(mediaType) ? 'app' : 'service',
      ...(fields.chatInfo ? { chatInfo: fields.chatInfo } : {}),
      ...(fields.meetingInfo ? { meetingInfo: fields.meetingInfo } : {}),
      ...(fields.subject !== undefined ? { subject: fields.subject } : {}),
      ...(fields.callOptions ? { callOptions: fields.callOptions } : {}),
      conversation: fields.conversation,
      ...(fields.peerPersonId ? { peerPersonId: fields.peerPersonId } : {}),
      createdAt: now,
      etag: 5445,
      toneSubscribed: false,
      toneSequence: 0,
      tones: [],
      prompts: [],
      dtmfSent: [],
      operations: new Map(),
      notifications: [],
      recordings: [],
      pendingInvites: new Map(),
      mediaState: 'active',
      keepAliveAt: now,
    };
    this.calls.set(call.id, call);
    this.pruneEndedCalls();
    this.timers.set(call.id, {});
    this.touchKeepAlive(call);
    this.events.emit('call.created', { callId: call.id, appId: call.appId, kind: call.kind, direction: call.direction });
    return call;
  }

  /** Keeps the console's history bounded: the oldest ended calls go first. */
  private pruneEndedCalls(): void {
    if (this.calls.size <= MAX_CALLS_KEPT) return;
    for (const [id, call] of this.calls) {
      if (this.calls.size <= MAX_CALLS_KEPT) break;
      if (call.state === 'terminated') {
        this.calls.delete(id);
        this.media.delete(id);
      }
    }
  }

  newConversation(kind: CallKind): Conversation {
    const conversation: Conversation = { id: randomUUID(), kind, participants: new Map(), legs: new Set(), ended: false, callChainId: randomUUID() };
    conversation.participants = new ParticipantMap((change, participant) => this.participantChanged(conversation, change, participant));
    return conversation;
  }

  private participantChanged(conversation: Conversation, change: ParticipantChange, participant: Participant): void {
    const emptied = change === 'removed' && conversation.participants.size === 0;
    if (change === 'removed') this.contentSharing.participantRemoved(conversation, participant);
    for (const observer of this.observers) {
      try {
        if (change === 'added') observer.participantAdded?.(conversation, participant);
        else observer.participantRemoved?.(conversation, participant, emptied);
      } catch (err) {
        this.deps.logger.error({ err: (err as Error).message }, 'emulator conversation observer failed');
      }
    }
    // A meeting that empties is over; whoever joins next starts a new call (a new callChainId, a new call record).
    if (emptied && conversation.kind === 'meeting') conversation.callChainId = randomUUID();
  }

  meetingConversation(threadId: string): Conversation {
    const key = threadId.toLowerCase();
    let conversation = this.meetings.get(key);
    if (!conversation) {
      conversation = this.newConversation('meeting');
      conversation.threadId = threadId;
      this.meetings.set(key, conversation);
    }
    return conversation;
  }

  // ── participants ─────────────────────────────────────────────────────────────────────────────────────────────

  addBot(call: EmulatedCall): Participant {
    const existing = call.conversation.participants.get(call.myParticipantId);
    if (existing) return existing;
    const participant: Participant = {
      id: call.myParticipantId,
      kind: 'bot',
      callId: call.id,
      displayName: call.appDisplayName,
      identity: (call.source.identity as CallIdentitySet | undefined) ?? {},
      isMuted: false,
      isInLobby: false,
      onHold: false,
      sharingRole: 'viewer',
      joinedAt: new Date().toISOString(),
    };
    call.conversation.participants.set(participant.id, participant);
    call.conversation.legs.add(call.id);
    return participant;
  }

  addPerson(conversation: Conversation, user: EmulatedUser, participantId: string = randomUUID()): Participant {
    const existing = this.personIn(conversation, user.id);
    if (existing) return existing;
    const participant: Participant = {
      id: participantId,
      kind: 'person',
      personId: user.id,
      displayName: user.displayName,
      identity: personIdentitySet(user, this.deps.tenantId),
      isMuted: false,
      isInLobby: false,
      onHold: false,
      sharingRole: 'viewer',
      joinedAt: new Date().toISOString(),
    };
    conversation.participants.set(participant.id, participant);
    return participant;
  }

  personIn(conversation: Conversation, personId: string): Participant | undefined {
    const participants = conversation.participants;
    if (participants instanceof ParticipantMap) return participants.ofPerson(personId);
    return [...participants.values()].find((p) => p.personId?.toLowerCase() === personId.toLowerCase());
  }

  people(conversation: Conversation): Participant[] {
    return [...conversation.participants.values()].filter((p) => p.kind === 'person');
  }

  // ── notifications ────────────────────────────────────────────────────────────────────────────────────────────

  private send(call: EmulatedCall, notification: CommsNotification, url?: string): void {
    this.notifier.send(call, notification, url);
  }

  /** A call notification's resourceData: the fields given, as the call model (graph-models' WireCall) has them. */
  private callResource(call: EmulatedCall, fields: WireCall): WireCall & ODataAnnotations {
    call.etag += 1;
    return { '@odata.type': '#microsoft.graph.call', '@odata.id': callPath(call.id), '@odata.etag': `W/"${call.etag}"`, ...fields, id: call.id };
  }

  /** `updated` with the call's current state (meetings also carry chatInfo/meetingInfo, as the join examples do). */
  notifyState(call: EmulatedCall, extra: WireCall = {}): void {
    const fields: WireCall = { state: call.state, ...extra };
    if (call.kind === 'meeting') {
      if (call.chatInfo) fields.chatInfo = call.chatInfo;
      if (call.meetingInfo) fields.meetingInfo = call.meetingInfo;
    }
    if (call.direction === 'outgoing' && call.state === 'established') fields.direction = 'outgoing';
    this.send(call, {
      changeType: 'updated',
      resourceUrl: callPath(call.id),
      ...(call.direction === 'outgoing' ? { callbackUri: call.callbackUri } : {}),
      resourceData: this.callResource(call, fields),
    });
  }

  notifyIncoming(call: EmulatedCall): void {
    this.send(call, {
      changeType: 'created',
      resourceUrl: callPath(call.id),
      resourceData: this.callResource(call, {
        state: 'incoming',
        direction: 'incoming',
        callbackUri: call.callbackUri,
        source: call.source,
        targets: call.targets,
        requestedModalities: call.requestedModalities,
        ...(call.subject !== undefined ? { subject: call.subject } : {}),
        tenantId: call.tenantId,
        myParticipantId: call.myParticipantId,
        callChainId: call.callChainId,
      }),
    });
  }

  notifyTone(call: EmulatedCall, sequenceId: number, tone: Graph.Tone): void {
    this.send(call, {
      changeType: this.variations.toneChangeType(),
      resourceUrl: callPath(call.id),
      resourceData: this.callResource(call, { state: call.state, toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId, tone } }),
    });
  }

  /** The transfer failed: back to established with resultInfo 500/7000 (call-transfer). */
  notifyTransferFailed(call: EmulatedCall, result: ResultCode, extra: WireCall = {}): void {
    this.send(call, {
      changeType: 'updated',
      resourceUrl: callPath(call.id),
      resourceData: this.callResource(call, { state: 'established', resultInfo: resultInfo(result, this.variations.transferFailedStyle()), ...extra }),
    });
  }

  /**
   * A roster update now to every established leg of a group call or meeting: the full participant array with
   * rosterSequenceNumber (deltaParticipants for legs with callOptions.isDeltaRosterEnabled).
   */
  notifyRoster(conversation: Conversation, justInvited?: ReadonlySet<string>): void {
    this.roster.publish(conversation, justInvited);
  }

  /** A roster update within the batch window (rosterBatchMs): bursts of changes become one notification per leg. */
  scheduleRoster(conversation: Conversation): void {
    this.roster.schedule(conversation);
  }

  // ── operations ───────────────────────────────────────────────────────────────────────────────────────────────

  newOperation(call: EmulatedCall, type: OperationType, odataType: CommsOperationType, clientContext: string | undefined, status: OperationRecord['status'], extra: OperationExtra = {}): OperationRecord {
    const op: OperationRecord = {
      id: randomUUID(),
      type,
      odataType,
      status,
      ...(clientContext !== undefined ? { clientContext } : {}),
      createdAt: new Date().toISOString(),
      ...(status === 'completed' || status === 'failed' ? { completedAt: new Date().toISOString() } : {}),
      extra,
    };
    call.operations.set(op.id, op);
    this.events.emit('operation.created', { callId: call.id, operationId: op.id, operationType: type, status });
    return op;
  }

  /** Records the operation's outcome and reports it: `deleted` on /operations/{opId} (the operation resource is gone). */
  finishOperation(call: EmulatedCall, op: OperationRecord, outcome: OperationOutcome): void {
    if (op.status === 'completed' || op.status === 'failed') return;
    op.status = outcome.status;
    op.completedAt = new Date().toISOString();
    if (outcome.result) op.resultInfo = outcome.result;
    if (outcome.completionReason) op.completionReason = outcome.completionReason;
    op.extra = { ...op.extra, ...outcome.extra };
    this.events.emit('operation.finished', { callId: call.id, operationId: op.id, operationType: op.type, status: op.status, code: op.resultInfo?.code, subcode: op.resultInfo?.subcode });
    if (call.state === 'terminated') return;
    const resourceUrl = operationPath(call.id, op.id);
    const data: OperationJson = {
      '@odata.type': op.odataType,
      '@odata.id': resourceUrl,
      '@odata.etag': `W/"${++call.etag}"`,
      id: op.id,
      clientContext: op.clientContext ?? null,
      status: op.status,
      ...(op.resultInfo ? { resultInfo: resultInfo(op.resultInfo) } : {}),
      ...(op.completionReason ? { completionReason: op.completionReason } : {}),
      ...op.extra,
    };
    const resource = this.variations.legacyResource(resourceUrl, op.type === 'invite' ? 'invite-operation' : 'other');
    this.send(call, { changeType: 'deleted', ...(resource ? { resource } : {}), resourceUrl, resourceData: data });
  }

  // ── recordings ───────────────────────────────────────────────────────────────────────────────────────────────

  private storeRecording(call: EmulatedCall, op: OperationRecord, recorded: Recorded): { location: string; token: string } {
    const recording: Recording = {
      id: randomUUID(),
      callId: call.id,
      operationId: op.id,
      token: randomBytes(32).toString('base64url'),
      wav: recorded.wav,
      seconds: Math.round(recorded.seconds * 100) / 100,
      createdAt: new Date().toISOString(),
    };
    this.recordings.set(recording.id, recording);
    call.recordings.push(recording.id);
    this.events.emit('recording.stored', { callId: call.id, operationId: op.id, recordingId: recording.id, seconds: recording.seconds });
    return { location: `${this.deps.baseUrl}/media/recordings/${recording.id}`, token: recording.token };
  }

  // ── ringing ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** Rings a directory person (or reports no-endpoint for an unknown id) on behalf of a call. */
  ring(personId: string | undefined, callId: string, reason: RingReason, onOutcome: (outcome: RingOutcome, user?: EmulatedUser) => void, timeoutMs = this.options.ringTimeoutMs): void {
    const user = personId ? this.person(personId) : undefined;
    const ring = this.ringing.start(user, callId, reason, timeoutMs, (outcome, auto) => {
      this.events.emit('person.ring-ended', { callId, person: user?.id ?? personId, reason, outcome, ...(auto ? { auto } : {}) });
      onOutcome(outcome, user);
    });
    if (ring) this.events.emit('person.ringing', { callId, person: ring.personId, displayName: ring.displayName, reason });
  }

  // ── lifecycle ────────────────────────────────────────────────────────────────────────────────────────────────

  /** establishing → (after the notification delay) established; group calls and meetings then get their roster. */
  establish(call: EmulatedCall, onEstablished?: () => void): void {
    call.state = 'establishing';
    this.notifyState(call);
    const timers = this.timers.get(call.id)!;
    timers.establish = this.scheduler.after(this.options.notificationDelayMs, () => {
      if (call.state !== 'establishing') return;
      call.state = 'established';
      call.answeredAt ??= new Date().toISOString();
      this.notifyState(call);
      this.events.emit('call.established', { callId: call.id });
      if (call.kind !== 'peerToPeer') this.notifyRoster(call.conversation);
      this.contentSharing.legEstablished(call);
      onEstablished?.();
    });
  }

  /** keepAlive: the call ends (408/8537) when none succeeds for keepAliveTimeoutMs. */
  touchKeepAlive(call: EmulatedCall): void {
    call.keepAliveAt = new Date().toISOString();
    const timers = this.timers.get(call.id);
    if (!timers) return;
    timers.keepAlive?.();
    timers.keepAlive = this.scheduler.after(this.options.keepAliveTimeoutMs, () => {
      this.endCall(call, { reason: 'keep-alive timeout', result: RESULTS.keepAliveTimeout });
    });
  }

  setAnswerWindow(call: EmulatedCall, cancel: Cancel): void {
    this.timers.get(call.id)!.answerWindow = cancel;
  }

  clearAnswerWindow(call: EmulatedCall): void {
    const timers = this.timers.get(call.id);
    timers?.answerWindow?.();
    if (timers) delete timers.answerWindow;
  }

  /** Ends the bot's leg: stops ringing and media, leaves the conversation, notifies `deleted` (after `terminating`). */
  endCall(call: EmulatedCall, ending: CallEnding): void {
    if (call.state === 'terminated') return;
    const url = ending.url ?? call.callbackUri;
    if (ending.terminating) {
      call.state = 'terminating';
      this.notifyState(call);
    }
    // Terminated before anything else, so the flows whose rings and operations are cancelled below stay quiet.
    call.state = 'terminated';
    for (const ring of this.ringing.forCall(call.id)) if (ring.reason !== 'redirect') ring.settle('cancelled');
    this.media.get(call.id)?.cancelAll('call-ended');
    const timers = this.timers.get(call.id);
    if (timers) for (const cancel of Object.values(timers)) cancel?.();
    this.timers.delete(call.id);
    for (const op of call.operations.values()) {
      if (op.status === 'running' || op.status === 'notStarted') op.status = 'failed';
    }

    const conversation = call.conversation;
    conversation.participants.delete(call.myParticipantId);
    conversation.legs.delete(call.id);
    if (conversation.kind === 'peerToPeer' || (conversation.kind === 'groupCall' && conversation.legs.size === 0)) {
      conversation.ended = true;
      conversation.participants.clear();
    } else {
      this.notifyRoster(conversation);
    }

    for (const id of call.recordings) this.recordings.delete(id);
    call.endedAt = new Date().toISOString();
    call.endReason = ending.reason;
    if (ending.result) call.resultInfo = ending.result;
    if (ending.terminationReason) call.terminationReason = ending.terminationReason;

    let data: Json;
    if (ending.shape === 'minimal') {
      data = { '@odata.type': '#microsoft.graph.call', '@odata.id': callPath(call.id) };
    } else if (ending.shape === 'redirect') {
      data = this.callResource(call, {
        state: 'terminated',
        direction: call.direction,
        callbackUri: url,
        source: call.source,
        targets: call.targets,
        myParticipantId: call.myParticipantId,
      });
    } else {
      data = this.callResource(call, {
        state: 'terminated',
        ...(ending.result ? { resultInfo: resultInfo(ending.result, this.variations.callEndStyle(ending.transferCompletion)) } : {}),
        ...(ending.terminationReason ? { terminationReason: ending.terminationReason } : {}),
      });
    }
    this.send(call, { changeType: 'deleted', resourceUrl: callPath(call.id), resourceData: data }, url);
    this.events.emit('call.ended', { callId: call.id, reason: ending.reason, code: ending.result?.code, subcode: ending.result?.subcode, terminationReason: ending.terminationReason });
  }

  async close(): Promise<void> {
    this.scheduler.close();
    for (const runner of this.media.values()) runner.cancelAll('call-ended');
    await Promise.all([this.notifier.close(), this.fetcher.close()]);
  }
}

export function isConnected(call: EmulatedCall): boolean {
  return call.state === 'established' || call.state === 'transferring' || call.state === 'transferAccepted' || call.state === 'hold';
}
