// The calls service everyone else uses: records webhook notifications idempotently and applies them after the
// acknowledgement, keeps each call's durable state, runs every call operation, keepAlive and restart reconciliation.
import { createHash, randomUUID } from 'node:crypto';
import { GraphError, type GraphClient, type HttpTransport } from '../graph/index.js';
import type { EventBus, Store } from '../store/index.js';
import * as callActions from './call-actions.js';
import { CallError } from './call-error.js';
import { CALL_EVENTS, type CallEvent, type CallOperationEvent } from './call-events.js';
import { newCallSession, isLive, type CallSession, type JsonObject } from './call-session.js';
import { applyCallUpdate, INFERRED_END } from './call-state.js';
import { toInvitation, type CallTarget } from './call-targets.js';
import type { CommsOperation, Participant, ResultInfo, Tone } from './graph-shapes.js';
import { KeepAliveScheduler, isNotFound } from './keep-alive.js';
import type { Scheduler } from '../runtime/index.js';
import * as media from './media-actions.js';
import { parseNotificationBatch, type CallNotification } from './notification-schema.js';
import { OperationTracker } from './operation-tracker.js';
import { CallWatchdog } from './call-watchdog.js';
import { correlationOf, CORRELATION_PATTERN, CreateClaims, withCorrelation } from './create-claims.js';
import { classifyFailure, withRetry, type AmbiguousDecision } from './request-retry.js';
import * as participantActions from './participant-actions.js';
import { downloadRecording } from './recording.js';
import { diffRoster, isEmptyDiff } from './roster-diff.js';
import { systemClock, systemTimers, type Clock, type Timers } from '../runtime/clock.js';
import { describeError } from '../runtime/errors.js';
import type { Logger } from '../runtime/logger.js';
import { KeyedLock } from '../runtime/keyed-lock.js';

export const CALLS_COLLECTION = 'calls';
export const INBOX_COLLECTION = 'call-inbox';

export interface CallServiceOptions {
  graph: GraphClient;
  store: Store;
  bus: EventBus;
  logger: Logger;
  /** Where Graph sends this app's call notifications (the calling webhook). */
  callbackUri: string;
  appId: string;
  /** The app's home tenant: the tenant of calls it places unless told otherwise. */
  tenantId?: string;
  /** Used to download recordings. */
  transport: HttpTransport;
  /** Hosts recordings may be downloaded from (exact or `*.domain`). */
  recordingHosts: string[];
  /** Local mode only: loopback hosts (e.g. the emulator's `127.0.0.1:3979`) recordings may come from. */
  recordingLoopbackHosts?: string[];
  maxRecordingBytes?: number;
  now?: Clock;
  timers?: Timers;
  keepAliveIntervalMs?: number;
  /** Durable timers: given, keepAlive is a job any instance of a cluster can fire (distributed mode). */
  scheduler?: Scheduler;
  operationTimeoutMs?: number;
  /** How long processed notifications are remembered to drop redeliveries. */
  inboxRetentionMs?: number;
  /** How long notifications for a call not (yet) known are kept, in case its create request is still answering. */
  orphanTtlMs?: number;
  /** Runs inbox processing after the acknowledgement (default setImmediate). */
  defer?: (fn: () => void) => void;
  /** Deadlines and retry limits (tests shorten them). */
  deadlines?: CallDeadlines;
}

export interface CallDeadlines {
  /** Graph's answer window, from the arrival of the incoming-call notification (default 15 s). */
  answerWindowMs?: number;
  /** A call still establishing, transferring or terminating after this long is re-read from Graph (default 10 s). */
  stateCheckMs?: number;
  /** An answered call not established, or a hang-up not confirmed, after this long is ended again (default 30 s). */
  giveUpMs?: number;
  /** Attempts per request when Graph answers 429/503 or the outcome is re-checked (default 4). */
  maxAttempts?: number;
  /** Backoff base when a 429/503 carries no Retry-After (default 500 ms). */
  retryBaseMs?: number;
  /** Claims of creates whose outcome is unknown are kept this long (default 1 day). */
  claimRetentionMs?: number;
}

const DEFAULT_DEADLINES: Required<CallDeadlines> = {
  answerWindowMs: 15_000,
  stateCheckMs: 10_000,
  giveUpMs: 30_000,
  maxAttempts: 4,
  retryBaseMs: 500,
  claimRetentionMs: 24 * 3600_000,
};
/** The last answer attempt starts this long before the window closes (Graph must still get it in time). */
const ANSWER_MARGIN_MS = 1_000;

/** What is stored per notification (collection call-inbox, key = hash of the canonical notification JSON). */
interface InboxRecord {
  seq: string;
  receivedAt: string;
  tenantId?: string;
  notification?: CallNotification;
  processedAt?: string;
}

export interface PlaceCallInput {
  /**
   * The caller's id for this call (URL-safe, ≤ 100 characters). With it a create whose answer is lost is found again
   * instead of placed twice: placeCall then throws calls/outcome-unknown and publishes call.adopted when it turns up.
   */
  correlationId?: string;
  source?: CallTarget;
  subject?: string;
  tenantId?: string;
  preFetchMedia?: callActions.MediaInfoInput[];
  purpose?: string;
  context?: JsonObject;
  callbackUri?: string;
}

export interface OperationOptions {
  clientContext?: string;
  timeoutMs?: number;
  /**
   * After a dropped connection or a timeout Graph may or may not have started the operation. 'repeat' sends it again
   * (for requests whose repetition is harmless to the caller); the default 'fail' throws calls/outcome-unknown.
   */
  onAmbiguous?: 'repeat' | 'fail';
}

export interface RecordedResponse {
  audio: Buffer;
  contentType: string;
  resultInfo?: ResultInfo;
  completionReason?: string;
}

const MAX_ORPHAN_CALLS = 500;
/** States that must move on by notification; the watchdog re-reads a call that stays in one too long. */
const WATCHED_STATES = new Set<CallSession['state']>(['establishing', 'ringing', 'transferring', 'transferAccepted', 'terminating']);
const MAX_ORPHANS_PER_CALL = 200;
/** Cluster: published when an instance stores a new call; instances holding early notifications for it apply them. */
const CALL_STORED_EVENT = 'call.stored';
const ORPHAN_RECHECK_MS = 250;

export class CallService {
  private readonly graph: GraphClient;
  private readonly store: Store;
  private readonly bus: EventBus;
  private readonly logger: Logger;
  private readonly options: CallServiceOptions;
  private readonly now: Clock;
  private readonly tracker: OperationTracker;
  private readonly keepAlive: KeepAliveScheduler;
  private readonly inboxRetentionMs: number;
  private readonly orphanTtlMs: number;
  private readonly defer: (fn: () => void) => void;
  private readonly timers: Timers;
  private readonly deadlines: Required<CallDeadlines>;
  private readonly watchdog: CallWatchdog;
  private readonly claims: CreateClaims;
  private readonly resolving = new Set<string>();
  /** Unknown calls already re-read and found to be no claim's (or gone): not re-read again for a while. */
  private readonly notClaimed = new Map<string, number>();
  private readonly queue: Array<{ key: string; record: InboxRecord }> = [];
  private readonly queued = new Set<string>();
  private readonly locks = new KeyedLock();
  private readonly orphans = new Map<string, { since: number; items: Array<{ notification: CallNotification; tenantId?: string }> }>();
  private draining: Promise<void> | undefined;
  private seqCounter = 0;
  private lastPruneAt = 0;
  private stopped = false;
  private stopRemoteOperations: (() => void) | undefined;
  private stopRemoteStored: (() => void) | undefined;

  constructor(options: CallServiceOptions) {
    this.options = options;
    this.graph = options.graph;
    this.store = options.store;
    this.bus = options.bus;
    this.logger = options.logger;
    this.now = options.now ?? systemClock;
    const timers = options.timers ?? systemTimers;
    this.timers = timers;
    this.deadlines = { ...DEFAULT_DEADLINES, ...options.deadlines };
    this.claims = new CreateClaims(options.store);
    this.watchdog = new CallWatchdog({ timers, checkMs: this.deadlines.stateCheckMs, check: (callId) => this.recheck(callId), logger: options.logger });
    this.inboxRetentionMs = options.inboxRetentionMs ?? 60 * 60_000;
    this.orphanTtlMs = options.orphanTtlMs ?? 2 * 60_000;
    this.defer = options.defer ?? ((fn) => void setImmediate(fn));
    this.tracker = new OperationTracker({
      store: options.store,
      timers,
      now: this.now,
      defaultTimeoutMs: options.operationTimeoutMs,
      logger: options.logger,
    });
    this.keepAlive = new KeepAliveScheduler({
      intervalMs: options.keepAliveIntervalMs,
      scheduler: options.scheduler,
      stillLive: async (callId) => {
        const session = await this.getCall(callId);
        return session !== undefined && isLive(session);
      },
      timers,
      now: this.now,
      logger: options.logger,
      // Calls.Initiate.All · call-keepalive. A call the app asked to end is never kept alive: the hang-up is repeated
      // instead (DELETE is harmless to repeat; its 404 ends the call here), so no open line is held indefinitely.
      send: async (callId) => {
        const session = await this.getCall(callId);
        if (session?.endRequestedAt) {
          await callActions.hangUp(this.graph, callId);
          await this.setState(callId, 'terminating');
          return;
        }
        await callActions.keepAlive(this.graph, callId);
      },
      onEnded: async (callId) => {
        this.logger.info({ callId }, 'keepAlive found the call gone; marking it terminated');
        await this.markEnded(callId);
      },
      onScheduled: async (callId, dueAt) => {
        await this.update(callId, (s) => ({ ...s, nextKeepAliveAt: this.iso(dueAt) }));
      },
    });
  }

  // ---- notifications --------------------------------------------------------------------------------------------

  /**
   * Records a notification batch idempotently and returns at once; processing follows (answer 202 first).
   * Throws CallError('calls/invalid-notification') for a batch that is not valid.
   */
  async receive(body: unknown, tenantIdFromToken: string): Promise<{ recorded: number; duplicates: number }> {
    const notifications = parseNotificationBatch(body);
    const raws = (body as { value: unknown[] }).value;
    let recorded = 0;
    let duplicates = 0;
    for (const [index, notification] of notifications.entries()) {
      // A full roster identical to an earlier one is not necessarily a redelivery — someone joined and left again, and
      // the roster is back where it was — and applying a roster twice is harmless: rosters are never dropped as
      // duplicates (which also spares hashing their large bodies). Everything else is deduplicated by content.
      const key = notification.kind === 'participants' ? `roster:${randomUUID()}` : hashNotification(raws[index]);
      const record: InboxRecord = { seq: this.nextSeq(), receivedAt: this.iso(this.now()), tenantId: tenantIdFromToken, notification };
      if (await this.store.putIfAbsent(INBOX_COLLECTION, key, record)) {
        this.enqueue(key, record);
        recorded += 1;
      } else {
        duplicates += 1;
      }
    }
    if (recorded > 0 && !this.stopped) this.defer(() => void this.processInbox());
    if (duplicates > 0) this.logger.debug({ duplicates }, 'dropped redelivered call notifications');
    return { recorded, duplicates };
  }

  /** Applies every recorded notification not processed yet, in arrival order. */
  processInbox(): Promise<void> {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  /** Resolves once nothing recorded is waiting to be applied (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.queue.length > 0 || this.draining) await this.processInbox();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const { key, record } = this.queue.shift()!;
      this.queued.delete(key);
      try {
        if (record.notification) await this.apply(record.notification, record.tenantId, record.receivedAt);
        // Keep a tombstone only: enough to drop redeliveries, nothing of the call (nor any recording token) at rest.
        await this.store.put<InboxRecord>(INBOX_COLLECTION, key, { seq: record.seq, receivedAt: record.receivedAt, processedAt: this.iso(this.now()) });
      } catch (err) {
        // Left unprocessed in the store: start() applies it again.
        this.logger.error({ err: describeError(err), notification: key }, 'could not apply a call notification');
      }
    }
    await this.pruneInbox();
  }

  private enqueue(key: string, record: InboxRecord): void {
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push({ key, record });
  }

  private nextSeq(): string {
    this.seqCounter = (this.seqCounter + 1) % 1_000_000;
    return `${String(this.now()).padStart(15, '0')}-${String(this.seqCounter).padStart(6, '0')}`;
  }

  private async pruneInbox(): Promise<void> {
    const now = this.now();
    if (now - this.lastPruneAt < Math.min(this.inboxRetentionMs, 10 * 60_000)) return;
    this.lastPruneAt = now;
    for (const item of await this.store.list<InboxRecord>(INBOX_COLLECTION)) {
      if (item.value.processedAt && now - Date.parse(item.value.processedAt) > this.inboxRetentionMs) {
        await this.store.delete(INBOX_COLLECTION, item.key);
      }
    }
  }

  private async apply(notification: CallNotification, tenantId: string | undefined, receivedAt?: string): Promise<void> {
    if (notification.kind === 'other') {
      this.logger.debug({ resourceUrl: notification.resourceUrl, changeType: notification.changeType }, 'ignored a call notification of another kind');
      return;
    }
    const callId = notification.callId;
    // Decided under the call's lock, so a call being stored by placeCall either is seen here or gets this replayed.
    const found = await this.withLock(callId, async () => {
      const existing = await this.store.get<CallSession>(CALLS_COLLECTION, callId);
      if (existing) return { session: existing, created: false };
      if (notification.kind === 'call' && notification.changeType === 'created' && notification.call.state === 'incoming') {
        // createdAt is when the notification arrived: Graph's answer window is counted from then.
        const fresh = newCallSession({ id: callId, state: 'incoming', createdAt: receivedAt ?? this.iso(this.now()), direction: 'incoming', tenantId });
        const session = applyCallUpdate(fresh, notification);
        // Only one instance of a cluster creates the call (and so announces it, once).
        if (await this.store.putIfAbsent(CALLS_COLLECTION, callId, session)) return { session, created: true };
        const raced = await this.store.get<CallSession>(CALLS_COLLECTION, callId);
        return raced ? { session: raced, created: false } : undefined;
      }
      this.keepOrphan(notification, tenantId);
      return undefined;
    });
    if (!found) {
      if (this.claims.anyUncertain) void this.resolveOrphan(callId);
      return;
    }
    if (found.created) {
      this.announceStored(callId);
      this.announceIncoming(found.session, tenantId);
      // Notifications that overtook the call's first one (a reordered delivery) apply now.
      for (const item of this.takeOrphans(callId)) await this.apply(item.notification, item.tenantId);
      return;
    }
    const session = found.session;
    if (session.tenantId && tenantId && session.tenantId !== tenantId) {
      this.logger.warn({ callId, tenantId }, 'ignored a notification signed for another tenant than the call');
      return;
    }
    if (notification.kind === 'operation') {
      await this.applyOperation(notification);
      return;
    }
    await this.update(callId, (s) => applyCallUpdate(s, notification));
  }

  private async applyOperation(n: Extract<CallNotification, { kind: 'operation' }>): Promise<void> {
    const op = n.operation;
    if (op.status === 'completed' || op.status === 'failed' || n.changeType === 'deleted') {
      await this.tracker.complete(n.callId, op);
    }
    this.publish({
      type: CALL_EVENTS.operation,
      callId: n.callId,
      operationId: op.id,
      operationType: op.type,
      status: op.status,
      ...(op.resultInfo ? { resultInfo: op.resultInfo } : {}),
      ...(op.clientContext !== undefined ? { clientContext: op.clientContext } : {}),
      ...(op.completionReason ? { completionReason: op.completionReason } : {}),
      ...(op.type === 'recordOperation' ? { hasRecording: Boolean(op.recordingLocation) } : {}),
    });
  }

  private announceIncoming(session: CallSession, tenantId: string | undefined): void {
    this.logger.info({ callId: session.id, tenantId }, 'incoming call');
    this.publish({
      type: CALL_EVENTS.incoming,
      callId: session.id,
      tenantId: tenantId ?? '',
      ...pick(session, ['direction', 'source', 'targets', 'requestedModalities', 'meetingInfo', 'chatInfo', 'incomingContext', 'myParticipantId', 'callChainId']),
    });
  }

  private keepOrphan(notification: CallNotification & { callId: string }, tenantId: string | undefined): void {
    const now = this.now();
    for (const [id, entry] of this.orphans) if (now - entry.since > this.orphanTtlMs) this.orphans.delete(id);
    let entry = this.orphans.get(notification.callId);
    if (!entry) {
      if (this.orphans.size >= MAX_ORPHAN_CALLS) this.orphans.delete(this.orphans.keys().next().value as string);
      entry = { since: now, items: [] };
      this.orphans.set(notification.callId, entry);
    }
    if (entry.items.length < MAX_ORPHANS_PER_CALL) entry.items.push({ notification, tenantId });
    this.logger.info({ callId: notification.callId, kind: notification.kind }, 'notification for an unknown call: acknowledged and held briefly');
    // In a cluster the call may be stored by another instance right now, its announcement crossing this read.
    if (this.bus.distributed) this.timers.setTimeout(() => void this.replayOrphans(notification.callId), ORPHAN_RECHECK_MS);
  }

  /** Cluster: tells the other instances a call is now stored, so notifications they hold for it are applied. */
  private announceStored(callId: string): void {
    if (this.bus.distributed) this.bus.publish({ type: CALL_STORED_EVENT, callId });
  }

  /** Applies held notifications for a call that is stored now (by another instance of the cluster). */
  private async replayOrphans(callId: string): Promise<void> {
    if (!this.orphans.has(callId) || !(await this.store.get<CallSession>(CALLS_COLLECTION, callId))) return;
    for (const item of this.takeOrphans(callId)) await this.apply(item.notification, item.tenantId);
  }

  private takeOrphans(callId: string): Array<{ notification: CallNotification; tenantId?: string }> {
    const entry = this.orphans.get(callId);
    if (!entry) return [];
    this.orphans.delete(callId);
    return this.now() - entry.since > this.orphanTtlMs ? [] : entry.items;
  }

  // ---- durable state ----------------------------------------------------------------------------------------------

  private withLock<T>(callId: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(callId, fn);
  }

  /** Read-modify-write of one call, serialized per call; publishes what changed. */
  private async update(callId: string, change: (s: CallSession) => CallSession): Promise<CallSession | undefined> {
    return this.withLock(callId, async () => {
      // Compare-and-set in the store: another instance of a cluster may change the same call at the same moment, so
      // `change` is pure (it may run again on the newer state) and what changed is published once, by the winner.
      const updatedAt = this.iso(this.now());
      const result = await this.store.update<CallSession>(CALLS_COLLECTION, callId, (before) => {
        if (!before) return undefined;
        const changed = change(before);
        if (changed === before || JSON.stringify(changed) === JSON.stringify(before)) return undefined;
        const after: CallSession = { ...changed, updatedAt };
        if (!isLive(after)) delete after.nextKeepAliveAt;
        return after;
      });
      const before = result.previous;
      if (!before) return undefined;
      if (!result.written) return before;
      let after = result.value!;
      if (isLive(after) && after.state !== 'incoming' && !this.stopped && !after.nextKeepAliveAt) {
        const dueAt = this.iso(this.keepAlive.track(callId));
        after = (await this.store.update<CallSession>(CALLS_COLLECTION, callId, (s) => (s && isLive(s) && !s.nextKeepAliveAt ? { ...s, nextKeepAliveAt: dueAt } : undefined))).value ?? after;
      }
      await this.afterChange(before, after);
      return after;
    });
  }

  private async afterChange(before: CallSession, after: CallSession): Promise<void> {
    const callId = after.id;
    if (before.state !== after.state) {
      this.publish({
        type: CALL_EVENTS.state,
        callId,
        state: after.state,
        previous: before.state,
        ...(after.resultInfo ? { resultInfo: after.resultInfo } : {}),
        ...(after.terminationReason ? { terminationReason: after.terminationReason } : {}),
      });
      if (WATCHED_STATES.has(after.state)) this.watchdog.watch(callId);
      else this.watchdog.unwatch(callId);
      if (after.state === 'terminated') {
        this.keepAlive.untrack(callId);
        await this.tracker.failCall(callId);
        this.logger.info({ callId, resultInfo: after.resultInfo }, 'call ended');
      }
    }
    const heard = new Set(before.toneHistory.map((t) => t.sequenceId));
    for (const tone of after.toneHistory) {
      if (!heard.has(tone.sequenceId)) this.publish({ type: CALL_EVENTS.tone, callId, tone: tone.tone, sequenceId: tone.sequenceId });
    }
    if (before.participants !== after.participants) {
      const diff = diffRoster(before.participants, after.participants);
      if (!isEmptyDiff(diff)) this.publish({ type: CALL_EVENTS.participants, callId, ...diff, count: after.participants.length });
    }
  }

  private async markEnded(callId: string, resultInfo: ResultInfo = INFERRED_END): Promise<void> {
    await this.update(callId, (s) => applyCallUpdate(s, { kind: 'call', callId, changeType: 'deleted', call: { state: 'terminated', resultInfo } }));
  }

  private setState(callId: string, state: 'establishing' | 'terminating'): Promise<CallSession | undefined> {
    return this.update(callId, (s) => applyCallUpdate(s, { kind: 'call', callId, changeType: 'updated', call: { state } }));
  }

  private publish(event: CallEvent): void {
    this.bus.publish({ ...event, at: this.iso(this.now()) });
  }

  private iso(ms: number): string {
    return new Date(ms).toISOString();
  }

  // ---- reads ------------------------------------------------------------------------------------------------------

  async getCall(callId: string): Promise<CallSession | undefined> {
    return this.store.get<CallSession>(CALLS_COLLECTION, callId);
  }

  async listCalls(filter: { live?: boolean } = {}): Promise<CallSession[]> {
    const all = (await this.store.list<CallSession>(CALLS_COLLECTION)).map((i) => i.value);
    return all
      .filter((s) => filter.live === undefined || isLive(s) === filter.live)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Lets a feature keep its data on the call (merged shallowly into `context`). */
  async updateContext(callId: string, patch: { purpose?: string; context?: JsonObject }): Promise<CallSession> {
    const updated = await this.update(callId, (s) => ({
      ...s,
      ...(patch.purpose !== undefined ? { purpose: patch.purpose } : {}),
      context: { ...s.context, ...(patch.context ?? {}) },
    }));
    if (!updated) throw notFound(callId);
    return updated;
  }

  // ---- flows ------------------------------------------------------------------------------------------------------

  private async requireCall(callId: string): Promise<CallSession> {
    const session = await this.store.get<CallSession>(CALLS_COLLECTION, callId);
    if (!session) throw notFound(callId);
    return session;
  }

  private async requireLive(callId: string, states?: CallSession['state'][]): Promise<CallSession> {
    const session = await this.requireCall(callId);
    if (!isLive(session)) throw new CallError('calls/call-ended', `Call ${callId} has ended`, { callId });
    if (states && !states.includes(session.state)) {
      throw new CallError('calls/invalid-state', `Call ${callId} is ${session.state}; this needs it ${states.join(' or ')}`, { callId });
    }
    return session;
  }

  /** Runs one Graph request of a flow: on failure the call keeps a known state and call.error is published. */
  private async step<T>(callId: string, what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof GraphError) {
        this.logger.warn({ err: err.toJSON(), callId }, `${what} failed`);
        await this.recordError(callId, err.code, err.message);
        if (isNotFound(err)) await this.markEnded(callId);
      }
      throw err;
    }
  }

  private async recordError(callId: string, code: string, message: string): Promise<void> {
    await this.update(callId, (s) => ({ ...s, lastError: { code, message, at: this.iso(this.now()) } }));
    this.publish({ type: CALL_EVENTS.error, callId, code, message });
  }

  /** Sends an operation request: 429/503 retried; after an ambiguous failure repeated (optionally after `beforeRepeat`) or reported as unknown. */
  private sendOperation(callId: string, what: string, onAmbiguous: 'repeat' | 'fail' | undefined, send: () => Promise<CommsOperation>, beforeRepeat?: () => Promise<void>): Promise<CommsOperation> {
    return withRetry(send, {
      ...this.retryOptions(what, callId),
      onAmbiguous: async (err) => {
        if (onAmbiguous !== 'repeat') {
          throw new CallError('calls/outcome-unknown', `${what} on call ${callId}: Graph's answer was lost, so it may or may not have started (${err.code})`, { callId, cause: err });
        }
        await beforeRepeat?.();
        return { retry: true };
      },
    });
  }

  /**
   * Waits for an operation's completion notification; when it is overdue, re-reads the operation (GET
   * …/operations/{id}): completed or failed settles it, running waits once more, anything else is a timeout.
   */
  private async awaitOperation(callId: string, op: CommsOperation, timeoutMs?: number): Promise<CommsOperation> {
    for (let round = 0; ; round += 1) {
      try {
        return await this.tracker.track(callId, op, { timeoutMs });
      } catch (err) {
        if (!(err instanceof CallError) || err.code !== 'calls/operation-timeout') throw err;
        let current: CommsOperation | undefined;
        try {
          current = await media.getOperation(this.graph, callId, op.id, op.type);
        } catch (readErr) {
          this.logger.warn({ err: describeError(readErr), callId, operationId: op.id }, 'an overdue operation could not be re-read');
        }
        if (current && (current.status === 'completed' || current.status === 'failed')) {
          this.logger.info({ callId, operationId: op.id, status: current.status }, 'an operation completion notification was overdue; re-read it');
          return this.tracker.track(callId, { ...op, ...current });
        }
        if (current && round === 0 && (await this.getCall(callId).then((s) => s && isLive(s)))) continue;
        await this.recordError(callId, err.code, err.message);
        throw err;
      }
    }
  }

  private retryOptions(what: string, callId: string) {
    return {
      timers: this.timers,
      now: this.now,
      maxAttempts: this.deadlines.maxAttempts,
      baseDelayMs: this.deadlines.retryBaseMs,
      onRetry: (err: GraphError, attempt: number, delayMs: number) =>
        this.logger.warn({ err: err.toJSON(), callId, attempt, delayMs, kind: classifyFailure(err) }, `${what} failed; trying again`),
    };
  }

  private async storeNewCall(call: callActions.GraphCall, extra: Partial<CallSession>, adopted = false): Promise<CallSession> {
    const session = applyCallUpdate(
      newCallSession({ id: call.id, state: 'establishing', createdAt: this.iso(this.now()), direction: 'outgoing', ...extra }),
      { kind: 'call', callId: call.id, changeType: 'created', call },
    );
    if (!this.stopped && isLive(session)) session.nextKeepAliveAt = this.iso(this.keepAlive.track(call.id));
    const { raced, stored } = await this.withLock(call.id, async () => {
      const stored = await this.store.putIfAbsent(CALLS_COLLECTION, call.id, session);
      return { raced: this.takeOrphans(call.id), stored };
    });
    if (stored) this.announceStored(call.id);
    if (session.correlationId) await this.claims.settle(session.correlationId, call.id);
    if (WATCHED_STATES.has(session.state)) this.watchdog.watch(call.id);
    this.logger.info({ callId: call.id, adopted }, adopted ? 'call adopted: its create answer was lost, its callbackUri names it' : 'call placed');
    if (adopted && stored && session.correlationId) {
      this.publish({ type: CALL_EVENTS.adopted, callId: call.id, correlationId: session.correlationId, state: session.state, ...(session.purpose ? { purpose: session.purpose } : {}) });
    }
    // Notifications that raced ahead of the create response.
    for (const item of raced) await this.apply(item.notification, item.tenantId);
    return (await this.getCall(call.id)) ?? session;
  }

  private createCommon(input: PlaceCallInput): callActions.CreateCallCommon {
    const callbackUri = input.callbackUri ?? this.options.callbackUri;
    if (input.correlationId !== undefined && (typeof input.correlationId !== 'string' || !CORRELATION_PATTERN.test(input.correlationId))) {
      throw new CallError('calls/invalid-argument', 'correlationId must be 1-100 characters of letters, digits, ".", "_", ":" or "-"');
    }
    return {
      callbackUri: input.correlationId !== undefined ? withCorrelation(callbackUri, input.correlationId) : callbackUri,
      ...(input.source !== undefined ? { source: input.source } : {}),
      ...(input.subject !== undefined ? { subject: input.subject } : {}),
      ...(input.tenantId !== undefined ? { tenantId: input.tenantId } : {}),
      ...(input.preFetchMedia !== undefined ? { preFetchMedia: input.preFetchMedia } : {}),
    };
  }

  // 429/503: Graph did not create the call, so the POST is sent again after Retry-After. A lost answer (reset,
  // timeout, 502/504) is never repeated: with a correlationId the claim waits for the call to turn up (see
  // create-claims.ts) and calls/outcome-unknown is thrown; without one the GraphError is.
  private async create(input: PlaceCallInput, post: () => Promise<callActions.GraphCall>, extra: Partial<CallSession>): Promise<CallSession> {
    const fields: Partial<CallSession> = {
      tenantId: input.tenantId ?? this.options.tenantId,
      ...(input.subject !== undefined ? { subject: input.subject } : {}),
      ...(input.purpose !== undefined ? { purpose: input.purpose } : {}),
      context: input.context ?? {},
      ...(input.correlationId !== undefined ? { correlationId: input.correlationId } : {}),
      ...extra,
    };
    const correlationId = input.correlationId;
    if (correlationId !== undefined) {
      const existing = await this.claims.get(correlationId);
      if (existing?.callId) {
        const known = await this.getCall(existing.callId);
        if (known) return known; // this correlation id already has its call: never a second one
      } else if (existing) {
        throw new CallError('calls/outcome-unknown', `A call for ${correlationId} may already be ringing: wait for it, or abandon it first`);
      }
      await this.claims.open({ correlationId, createdAt: this.iso(this.now()), status: 'sending', session: fields });
    }
    let call: callActions.GraphCall;
    try {
      call = await withRetry(post, this.retryOptions('placing a call', ''));
    } catch (err) {
      if (err instanceof GraphError) {
        this.logger.warn({ err: err.toJSON() }, 'placing a call failed');
        this.publish({ type: CALL_EVENTS.error, callId: '', code: err.code, message: err.message });
      }
      if (correlationId === undefined) throw err;
      if (classifyFailure(err) !== 'ambiguous') {
        await this.claims.drop(correlationId);
        throw err;
      }
      await this.claims.markUncertain(correlationId);
      // Its notifications may already be here, held as orphans.
      for (const callId of [...this.orphans.keys()]) await this.resolveOrphan(callId);
      const claim = await this.claims.get(correlationId);
      const adopted = claim?.callId ? await this.getCall(claim.callId) : undefined;
      if (adopted) return adopted;
      throw new CallError('calls/outcome-unknown', `Graph's answer to creating the call was lost; if the call exists it is adopted when its notifications arrive (${correlationId})`, { cause: err });
    }
    return this.storeNewCall(call, fields);
  }

  /** The caller stops waiting for a create whose outcome was unknown: a call turning up later is no longer adopted. */
  async abandonCreate(correlationId: string): Promise<void> {
    await this.claims.drop(correlationId);
  }

  /** The call placed or adopted for a correlation id, if any. */
  async callFor(correlationId: string): Promise<CallSession | undefined> {
    const claim = await this.claims.get(correlationId);
    return claim?.callId ? this.getCall(claim.callId) : undefined;
  }

  /** A notification for an unknown call while a create is uncertain: re-read it, adopt it if its callbackUri names a claim. */
  private async resolveOrphan(callId: string): Promise<void> {
    if (this.resolving.has(callId) || this.stopped) return;
    const checkedAt = this.notClaimed.get(callId);
    if (checkedAt !== undefined && this.now() - checkedAt < this.orphanTtlMs) return;
    if (this.notClaimed.size >= MAX_ORPHAN_CALLS) this.notClaimed.clear();
    this.resolving.add(callId);
    try {
      if (await this.getCall(callId)) return;
      let call: callActions.GraphCall;
      try {
        // Calls.Initiate.All · call-get
        call = await callActions.getCall(this.graph, callId);
      } catch (err) {
        if (isNotFound(err)) this.notClaimed.set(callId, this.now());
        else this.logger.warn({ err: describeError(err), callId }, 'could not re-read an unknown call');
        return;
      }
      const correlationId = correlationOf(call.callbackUri);
      const claim = correlationId ? await this.claims.get(correlationId) : undefined;
      if (!claim || claim.callId) this.notClaimed.set(callId, this.now());
      if (!claim || claim.callId || claim.status !== 'uncertain') return;
      await this.storeNewCall(call, { ...claim.session, correlationId: claim.correlationId }, true);
    } finally {
      this.resolving.delete(callId);
    }
  }

  /** The watchdog's re-read of a call whose next notification is overdue. Resolves true to keep watching. */
  private async recheck(callId: string): Promise<boolean> {
    const before = await this.getCall(callId);
    if (!before || !WATCHED_STATES.has(before.state) || this.stopped) return false;
    try {
      // Calls.Initiate.All · call-get
      const call = await callActions.getCall(this.graph, callId);
      await this.update(callId, (s) => applyCallUpdate(s, { kind: 'call', callId, changeType: 'updated', call }));
    } catch (err) {
      if (isNotFound(err)) {
        await this.markEnded(callId);
        return false;
      }
      this.logger.warn({ err: describeError(err), callId }, 'could not re-read a call whose notification is overdue');
    }
    const after = await this.getCall(callId);
    if (!after || !WATCHED_STATES.has(after.state)) return false;
    if (after.state !== before.state) return true;
    this.logger.info({ callId, state: after.state }, 'a call notification is overdue: re-read the call, still the same');
    const since = Date.parse(after.updatedAt);
    const stuck = Number.isFinite(since) && this.now() - since >= this.deadlines.giveUpMs;
    // An answered call that never connects, or a hang-up never confirmed: end it (again) rather than hold it open.
    if (stuck && ((after.state === 'establishing' && after.direction === 'incoming') || after.state === 'terminating')) {
      this.logger.warn({ callId, state: after.state }, 'a call is stuck; hanging up');
      await callActions.hangUp(this.graph, callId).catch(async (err) => {
        if (isNotFound(err)) await this.markEnded(callId);
      });
    }
    return true;
  }

  /** Calls.Initiate.All · application-post-calls — a peer-to-peer call to one user or phone number. */
  async placeCall(input: PlaceCallInput & { target: CallTarget }): Promise<CallSession> {
    const common = this.createCommon(input);
    return this.create(input, () => callActions.createPeerToPeerCall(this.graph, { ...common, target: input.target }), {
      targets: [toInvitation(input.target)],
    });
  }

  /** Calls.InitiateGroupCall.All · application-post-calls — a group call with up to 5 users. */
  async placeGroupCall(input: PlaceCallInput & { targets: CallTarget[] }): Promise<CallSession> {
    const common = this.createCommon(input);
    return this.create(input, () => callActions.createGroupCall(this.graph, { ...common, targets: input.targets }), {
      targets: Array.isArray(input.targets) ? input.targets.map((t) => toInvitation(t)) : [],
    });
  }

  /** Calls.JoinGroupCall.All · application-post-calls — the bot joins a scheduled meeting. */
  async joinMeeting(input: PlaceCallInput & { meeting: callActions.MeetingToJoin }): Promise<CallSession> {
    const common = this.createCommon({ ...input, tenantId: input.tenantId ?? input.meeting?.tenantId });
    return this.create({ ...input, tenantId: common.tenantId }, () => callActions.joinMeeting(this.graph, { ...common, meeting: input.meeting }), {});
  }

  /** Calls.JoinGroupCall.All · call-answer — the call moves to establishing. */
  // One 429/503 is retried (Graph did not process it) after Retry-After, as long as the attempt still starts inside
  // Graph's answer window; a reset or timeout is ambiguous, so the call is re-read: still incoming → answer again;
  // establishing or established → it was answered, carry on. A 409 after an ambiguous attempt means the same.
  async answer(callId: string, options: { acceptedModalities?: callActions.AnswerInput['acceptedModalities']; preFetchMedia?: callActions.MediaInfoInput[]; callbackUri?: string } = {}): Promise<CallSession> {
    const session = await this.requireLive(callId, ['incoming']);
    const arrivedAt = Date.parse(session.createdAt);
    const deadlineAt = (Number.isFinite(arrivedAt) ? arrivedAt : this.now()) + this.deadlines.answerWindowMs - ANSWER_MARGIN_MS;
    let ambiguous = false;
    const answeredAlready = async (): Promise<AmbiguousDecision<void>> => {
      // Calls.Initiate.All · call-get
      const call = await callActions.getCall(this.graph, callId);
      if (call.state === 'incoming') return { retry: true };
      await this.update(callId, (s) => applyCallUpdate(s, { kind: 'call', callId, changeType: 'updated', call }));
      if (call.state === 'establishing' || call.state === 'established') return { done: undefined };
      throw new CallError('calls/call-ended', `Call ${callId} is ${call.state ?? 'gone'}: it can no longer be answered`, { callId });
    };
    await this.step(callId, 'answer', () =>
      withRetry(
        async () => {
          try {
            await callActions.answer(this.graph, callId, { callbackUri: options.callbackUri ?? this.options.callbackUri, ...pick(options, ['acceptedModalities', 'preFetchMedia']) });
          } catch (err) {
            if (ambiguous && err instanceof GraphError && err.status === 409) {
              const decision = await answeredAlready();
              if ('done' in decision) return;
            }
            throw err;
          }
        },
        {
          ...this.retryOptions('answer', callId),
          deadlineAt,
          onAmbiguous: async () => {
            ambiguous = true;
            return answeredAlready();
          },
        },
      ),
    );
    const after = (await this.setState(callId, 'establishing'))!;
    if (after.state === 'establishing') this.watchdog.watch(callId);
    return after;
  }

  /** call-reject — Graph then ends the call (a deleted notification). */
  async reject(callId: string, reason: callActions.RejectReason = 'none'): Promise<void> {
    await this.requireLive(callId, ['incoming']);
    await this.step(callId, 'reject', () => callActions.reject(this.graph, callId, { reason }));
  }

  /** Calls.Initiate.All · call-redirect — forward an unanswered incoming call (or send it to voicemail). */
  async redirect(callId: string, input: Omit<callActions.RedirectInput, 'callbackUri'>): Promise<void> {
    await this.requireLive(callId, ['incoming']);
    await this.step(callId, 'redirect', () => callActions.redirect(this.graph, callId, { ...input, callbackUri: this.options.callbackUri }));
  }

  /** Calls.Initiate.All · call-transfer — blind, or consultative with replacesCallId. Outcome arrives as call.state. */
  // 429/503 retried; a reset or timeout re-reads the call: transferring (or gone) means Graph took the transfer,
  // still established means it did not, and it is sent again.
  async transfer(callId: string, input: callActions.TransferInput): Promise<void> {
    await this.requireLive(callId, ['established', 'hold']);
    await this.step(callId, 'transfer', () =>
      withRetry(() => callActions.transfer(this.graph, callId, input), {
        ...this.retryOptions('transfer', callId),
        onAmbiguous: async () => {
          let call: callActions.GraphCall;
          try {
            call = await callActions.getCall(this.graph, callId);
          } catch (err) {
            if (isNotFound(err)) return { done: undefined }; // already transferred away
            throw err;
          }
          if (call.state === 'established' || call.state === 'hold') return { retry: true };
          await this.update(callId, (s) => applyCallUpdate(s, { kind: 'call', callId, changeType: 'updated', call }));
          return { done: undefined };
        },
      }),
    );
  }

  /** Calls.Initiate.All · call-delete — the call moves to terminating (terminated when Graph confirms). */
  async hangUp(callId: string): Promise<CallSession> {
    const session = await this.requireCall(callId);
    if (!isLive(session)) return session;
    if (!session.endRequestedAt) await this.update(callId, (s) => ({ ...s, endRequestedAt: this.iso(this.now()) }));
    try {
      // DELETE is harmless to repeat (a second one answers 404: the call is gone), so ambiguous failures repeat too.
      await withRetry(() => callActions.hangUp(this.graph, callId), { ...this.retryOptions('hang up', callId), onAmbiguous: async () => ({ retry: true }) });
    } catch (err) {
      if (isNotFound(err)) {
        await this.markEnded(callId);
        return (await this.getCall(callId))!;
      }
      return this.step(callId, 'hang up', () => Promise.reject(err));
    }
    return (await this.setState(callId, 'terminating'))!;
  }

  /** Calls.Initiate.All, Calls.AccessMedia.All · call-playprompt — resolves when the prompts finished playing. */
  async playPrompt(callId: string, prompts: media.PromptInput[], options: OperationOptions = {}): Promise<CommsOperation> {
    await this.requireLive(callId);
    const op = await this.step(callId, 'playPrompt', () => this.sendOperation(callId, 'playPrompt', options.onAmbiguous, () => media.playPrompt(this.graph, callId, prompts, options)));
    return this.awaitOperation(callId, op, options.timeoutMs);
  }

  /** Calls.AccessMedia.All · call-record — resolves with the recording, downloaded into memory only. */
  async recordResponse(callId: string, input: media.RecordResponseInput & { timeoutMs?: number; onAmbiguous?: 'repeat' | 'fail' } = {}): Promise<RecordedResponse> {
    await this.requireLive(callId);
    const { timeoutMs, onAmbiguous, ...request } = input;
    // A repeated recordResponse would queue a second recording behind the first: before repeating, cancel media
    // processing (harmless when nothing runs), so at most one recording is running.
    const started = await this.step(callId, 'recordResponse', () =>
      this.sendOperation(callId, 'recordResponse', onAmbiguous, () => media.recordResponse(this.graph, callId, request), () =>
        media.cancelMediaProcessing(this.graph, callId, { clientContext: 'retry-record' }).then(() => undefined),
      ),
    );
    const op = await this.awaitOperation(callId, started, timeoutMs);
    if (!op.recordingLocation || !op.recordingAccessToken) {
      throw new CallError('calls/recording-missing', `recordResponse ${op.id} on call ${callId} completed without a recording`, {
        callId,
        operationId: op.id,
        resultInfo: op.resultInfo,
      });
    }
    const recording = await downloadRecording({
      transport: this.options.transport,
      recordingLocation: op.recordingLocation,
      recordingAccessToken: op.recordingAccessToken,
      allowedHosts: this.options.recordingHosts,
      loopbackHosts: this.options.recordingLoopbackHosts ?? [],
      maxBytes: this.options.maxRecordingBytes,
    });
    return {
      audio: recording.audio,
      contentType: recording.contentType,
      ...(op.resultInfo ? { resultInfo: op.resultInfo } : {}),
      ...(op.completionReason ? { completionReason: op.completionReason } : {}),
    };
  }

  /** Calls.AccessMedia.All · call-subscribetotone — key presses then arrive as call.tone events. */
  async subscribeToTone(callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    await this.requireLive(callId);
    return this.step(callId, 'subscribeToTone', () => media.subscribeToTone(this.graph, callId, options));
  }

  /** call-senddtmftones — resolves when the tones were sent. */
  async sendDtmfTones(callId: string, tones: Tone[], options: OperationOptions & { delayBetweenTonesMs?: number } = {}): Promise<CommsOperation> {
    await this.requireLive(callId);
    const op = await this.step(callId, 'sendDtmfTones', () => media.sendDtmfTones(this.graph, callId, tones, options));
    return this.awaitOperation(callId, op, options.timeoutMs);
  }

  /** call-cancelmediaprocessing — running and queued prompts/recordings fail with 400/8508. */
  async cancelMediaProcessing(callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    await this.requireLive(callId);
    return this.step(callId, 'cancelMediaProcessing', () => media.cancelMediaProcessing(this.graph, callId, options));
  }

  /** call-mute — the bot mutes itself (group calls). */
  async mute(callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    await this.requireLive(callId);
    return this.step(callId, 'mute', () => media.muteSelf(this.graph, callId, options));
  }

  /** call-unmute — the bot unmutes itself (group calls). */
  async unmute(callId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    await this.requireLive(callId);
    return this.step(callId, 'unmute', () => media.unmuteSelf(this.graph, callId, options));
  }

  /** call-updaterecordingstatus */
  async updateRecordingStatus(callId: string, status: media.RecordingStatus, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    await this.requireLive(callId);
    return this.step(callId, 'updateRecordingStatus', () => media.updateRecordingStatus(this.graph, callId, status, options));
  }

  /** call-changescreensharingrole */
  async changeScreenSharingRole(callId: string, role: 'viewer' | 'sharer'): Promise<void> {
    await this.requireLive(callId);
    await this.step(callId, 'changeScreenSharingRole', () => callActions.changeScreenSharingRole(this.graph, callId, role));
  }

  /** call-keepalive, on demand (the scheduler does it every interval anyway). */
  async sendKeepAlive(callId: string): Promise<void> {
    await this.requireLive(callId);
    await this.step(callId, 'keepAlive', () => callActions.keepAlive(this.graph, callId));
    if (!this.stopped) {
      const due = this.keepAlive.track(callId);
      await this.update(callId, (s) => ({ ...s, nextKeepAliveAt: this.iso(due) }));
    }
  }

  /** call-list-participants — also refreshes the stored roster (and publishes the difference). */
  async listParticipants(callId: string): Promise<Participant[]> {
    await this.requireCall(callId);
    const participants = await this.step(callId, 'list participants', () => participantActions.listParticipants(this.graph, callId));
    await this.update(callId, (s) => ({ ...s, participants }));
    return participants;
  }

  /** participant-get */
  async getParticipant(callId: string, participantId: string): Promise<Participant> {
    await this.requireCall(callId);
    return this.step(callId, 'get participant', () => participantActions.getParticipant(this.graph, callId, participantId));
  }

  /** Calls.InitiateGroupCall.All · participant-invite — resolves when the invitation completed. */
  async invite(callId: string, invitees: participantActions.Invitee[], options: OperationOptions = {}): Promise<CommsOperation> {
    await this.requireLive(callId);
    // Never repeated after an ambiguous failure: a second invite could ring the person twice (calls/outcome-unknown).
    const op = await this.step(callId, 'invite', () => this.sendOperation(callId, 'invite', 'fail', () => participantActions.inviteParticipants(this.graph, callId, invitees, options)));
    return this.awaitOperation(callId, op, options.timeoutMs);
  }

  /** participant-mute */
  async muteParticipant(callId: string, participantId: string, options: { clientContext?: string } = {}): Promise<CommsOperation> {
    await this.requireLive(callId);
    return this.step(callId, 'mute participant', () => participantActions.muteParticipant(this.graph, callId, participantId, options));
  }

  /** participant-delete */
  async removeParticipant(callId: string, participantId: string): Promise<void> {
    await this.requireLive(callId);
    await this.step(callId, 'remove participant', () => participantActions.removeParticipant(this.graph, callId, participantId));
  }

  /** participant-startholdmusic — resolves when the hold music operation completed. */
  async startHoldMusic(callId: string, participantId: string, options: OperationOptions & { customPrompt?: media.PromptInput } = {}): Promise<CommsOperation> {
    await this.requireLive(callId);
    const op = await this.step(callId, 'startHoldMusic', () => participantActions.startHoldMusic(this.graph, callId, participantId, options));
    return this.awaitOperation(callId, op, options.timeoutMs);
  }

  /** participant-stopholdmusic */
  async stopHoldMusic(callId: string, participantId: string, options: OperationOptions = {}): Promise<CommsOperation> {
    await this.requireLive(callId);
    const op = await this.step(callId, 'stopHoldMusic', () => participantActions.stopHoldMusic(this.graph, callId, participantId, options));
    return this.awaitOperation(callId, op, options.timeoutMs);
  }

  // ---- lifecycle --------------------------------------------------------------------------------------------------

  /** Applies the inbox left by a previous run, re-reads every live call from Graph, and schedules keepAlive. */
  async start(): Promise<void> {
    this.stopped = false;
    this.watchdog.start();
    if (this.bus.distributed) {
      // An operation this instance waits for may complete by a notification another instance received. (A recording
      // operation's location and token never travel between instances: its waiter re-reads the operation.)
      this.stopRemoteStored ??= this.bus.on(CALL_STORED_EVENT, (event) => {
        if (typeof event.callId === 'string') void this.replayOrphans(event.callId).catch((err: unknown) => this.logger.warn({ err: describeError(err), callId: event.callId }, 'could not apply held notifications'));
      }, { scope: 'remote' });
      this.stopRemoteOperations ??= this.bus.on(CALL_EVENTS.operation, (event) => {
        const e = operationEventOf(event);
        if (e && (e.status === 'completed' || e.status === 'failed')) {
          void this.tracker.complete(e.callId, { id: e.operationId, type: e.operationType, status: e.status, ...(e.resultInfo ? { resultInfo: e.resultInfo } : {}), ...(e.clientContext !== undefined ? { clientContext: e.clientContext } : {}), ...(e.completionReason ? { completionReason: e.completionReason } : {}) });
        }
      }, { scope: 'remote' });
    }
    await this.claims.load(this.now(), this.deadlines.claimRetentionMs);
    const leftover = (await this.store.list<InboxRecord>(INBOX_COLLECTION))
      .filter((i) => !i.value.processedAt && i.value.notification)
      .sort((a, b) => a.value.seq.localeCompare(b.value.seq));
    for (const item of leftover) this.enqueue(item.key, item.value);
    if (leftover.length > 0) this.logger.info({ count: leftover.length }, 'applying call notifications left from the last run');
    await this.idle();

    for (const session of await this.listCalls({ live: true })) {
      try {
        // Calls.Initiate.All · call-get
        const call = await callActions.getCall(this.graph, session.id);
        await this.update(session.id, (s) => applyCallUpdate(s, { kind: 'call', callId: s.id, changeType: 'updated', call }));
      } catch (err) {
        if (isNotFound(err)) {
          await this.markEnded(session.id);
          continue;
        }
        this.logger.warn({ err: describeError(err), callId: session.id }, 'could not re-read a call at start; keeping it');
      }
      const current = await this.getCall(session.id);
      if (current && WATCHED_STATES.has(current.state)) this.watchdog.watch(current.id);
      if (current && isLive(current) && current.state !== 'incoming') {
        const last = current.nextKeepAliveAt ? Date.parse(current.nextKeepAliveAt) - this.keepAlive.intervalMs : this.now();
        const due = this.keepAlive.track(current.id, Number.isFinite(last) ? last : this.now());
        await this.update(current.id, (s) => ({ ...s, nextKeepAliveAt: this.iso(due) }));
      }
    }
    // Operations left pending on calls that are gone can never complete.
    for (const record of await this.tracker.pending()) {
      const call = await this.getCall(record.callId);
      if (!call || !isLive(call)) await this.tracker.failCall(record.callId);
    }
  }

  stop(): void {
    this.stopped = true;
    this.stopRemoteOperations?.();
    this.stopRemoteOperations = undefined;
    this.stopRemoteStored?.();
    this.stopRemoteStored = undefined;
    this.watchdog.stop();
    this.keepAlive.stop();
    this.tracker.stop();
  }
}

function notFound(callId: string): CallError {
  return new CallError('calls/not-found', `No call ${callId} is known`, { callId });
}

function pick<T extends object, K extends keyof T>(obj: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (obj[key] !== undefined) out[key] = obj[key];
  return out;
}


/** Canonical JSON (keys sorted at every level) so the same notification always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function hashNotification(raw: unknown): string {
  return createHash('sha256').update(canonicalJson(raw)).digest('hex');
}

/** The operation event as published by any instance (events from other instances arrive as plain JSON). */
function operationEventOf(event: { type: string; [key: string]: unknown }): (CallOperationEvent & { status: CommsOperation['status'] }) | undefined {
  if (event.type !== CALL_EVENTS.operation || typeof event.callId !== 'string' || typeof event.operationId !== 'string' || typeof event.status !== 'string') return undefined;
  return event as unknown as CallOperationEvent & { status: CommsOperation['status'] };
}
