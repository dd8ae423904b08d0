// Call history: takes the callRecords change notifications the webhook route hands over (clientState checked on every
// item, lifecycle events passed to the subscription manager), queues each record fetch once, fetches and summarizes
// records after the acknowledgement, keeps the summaries in the store and announces each with `record.ready`.
import { systemTimers, type Clock, type Timers } from '../runtime/index.js';
import { GraphError, type GraphClient } from '../graph/index.js';
import type { EventBus, Store } from '../store/index.js';
import { fetchCallRecord, listCallRecordIds, checkRecordId } from './call-record-fetch.js';
import { summarizeCallRecord, type CallRecordSummary } from './call-record-summary.js';
import { parseChangeNotifications } from './change-notifications.js';
import { RecordsError } from './records-error.js';
import { RECORD_EVENTS, type RecordReadyEvent } from './records-events.js';
import { CallRecordSubscriptions, type CallRecordSubscriptionsOptions } from './subscription-manager.js';
import { describeError, warnOnFailure } from '../runtime/errors.js';
import type { Logger } from '../runtime/logger.js';

export const CALL_RECORDS_COLLECTION = 'call-records';
export const RECORD_INBOX_COLLECTION = 'call-record-inbox';
/** Graph keeps call records 30 days. */
export const RECORD_RETENTION_MS = 30 * 24 * 60 * 60_000;

export interface CallRecordsServiceOptions {
  graph: GraphClient;
  store: Store;
  bus: EventBus;
  logger: Logger;
  /** The callRecords subscription to keep alive; without it no notification can be verified (all are ignored). */
  subscription?: Pick<CallRecordSubscriptionsOptions, 'notificationUrl' | 'lifecycleNotificationUrl' | 'lifetimeMinutes' | 'retryDelayMs' | 'verifyIntervalMs' | 'instanceId'>;
  now?: Clock;
  timers?: Timers;
  /** First wait before fetching a record again (doubles each attempt). */
  retryDelayMs?: number;
  maxAttempts?: number;
  /** How far back a resync lists records (default 24 h, at most 30 days). */
  resyncWindowMs?: number;
  /** Runs queue processing after the acknowledgement (default setImmediate). */
  defer?: (fn: () => void) => void;
}

export interface IntakeResult {
  /** Record fetches newly queued. */
  queued: number;
  /** Records already queued or fetched. */
  duplicates: number;
  /** Items dropped: wrong clientState or subscription, not a call record, not parsable. Still acknowledged. */
  ignored: number;
  lifecycle: number;
}

interface InboxItem {
  id: string;
  receivedAt: string;
  state: 'queued' | 'done' | 'failed';
  attempts: number;
  notBefore?: string;
  lastError?: string;
}

const RETRYABLE = new Set(['graph/not-found', 'graph/throttled', 'graph/unavailable', 'graph/timeout', 'graph/network', 'graph/server-error']);

export class CallRecordsService {
  readonly subscriptions: CallRecordSubscriptions | undefined;
  /** Counters for the health page: notifications that failed the clientState check, and unparsable items. */
  readonly stats = { clientStateMismatches: 0, invalidItems: 0, fetched: 0, failed: 0 };
  private readonly graph: GraphClient;
  private readonly store: Store;
  private readonly bus: EventBus;
  private readonly logger: Logger;
  private readonly now: Clock;
  private readonly timers: Timers;
  private readonly retryDelayMs: number;
  private readonly maxAttempts: number;
  private readonly resyncWindowMs: number;
  private readonly defer: (fn: () => void) => void;
  private readonly pending: string[] = [];
  private readonly pendingSet = new Set<string>();
  private readonly retryTimers = new Map<string, unknown>();
  private draining: Promise<void> | undefined;
  private stopped = false;

  constructor(options: CallRecordsServiceOptions) {
    this.graph = options.graph;
    this.store = options.store;
    this.bus = options.bus;
    this.logger = options.logger;
    this.now = options.now ?? (() => Date.now());
    this.timers = options.timers ?? systemTimers;
    this.retryDelayMs = Math.max(1_000, options.retryDelayMs ?? 2 * 60_000);
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.resyncWindowMs = Math.min(RECORD_RETENTION_MS, Math.max(60_000, options.resyncWindowMs ?? 24 * 60 * 60_000));
    this.defer = options.defer ?? ((fn) => void setImmediate(fn));
    this.subscriptions = options.subscription
      ? new CallRecordSubscriptions({
          ...options.subscription,
          graph: options.graph,
          store: options.store,
          logger: options.logger,
          now: this.now,
          timers: this.timers,
          onResync: async () => {
            await this.resync();
          },
        })
      : undefined;
  }

  // ---- webhook intake ---------------------------------------------------------------------------------------------

  /**
   * A change-notification POST body (the notification URL and the lifecycle URL may both point here). Answer 202 once
   * this resolves, whatever the counts: ignored items are acknowledged too, so a sender learns nothing by probing.
   * Throws RecordsError('records/invalid-notification') only for a body that is not a `{ value: [...] }` batch.
   */
  async receiveChangeNotifications(body: unknown): Promise<IntakeResult> {
    const items = parseChangeNotifications(body);
    const result: IntakeResult = { queued: 0, duplicates: 0, ignored: 0, lifecycle: 0 };
    for (const item of items) {
      if (item.kind === 'invalid') {
        result.ignored += 1;
        this.stats.invalidItems += 1;
        continue;
      }
      if (!(await this.subscriptions?.verifyFresh(item.subscriptionId, item.clientState))) {
        result.ignored += 1;
        this.stats.clientStateMismatches += 1;
        continue;
      }
      if (item.kind === 'lifecycle') {
        result.lifecycle += 1;
        const subscriptions = this.subscriptions!;
        this.logger.info({ lifecycleEvent: item.lifecycleEvent, subscriptionId: item.subscriptionId }, 'callRecords lifecycle notification');
        this.defer(() => {
          subscriptions.handleLifecycle(item.lifecycleEvent).catch((err) => this.logger.warn({ err: describeError(err) }, 'handling a lifecycle notification failed'));
        });
        continue;
      }
      if (!item.recordId || (item.changeType !== 'created' && item.changeType !== 'updated')) {
        result.ignored += 1;
        continue;
      }
      if (await this.enqueue(item.recordId)) result.queued += 1;
      else result.duplicates += 1;
    }
    if (result.ignored > 0) this.logger.warn({ ignored: result.ignored, total: items.length }, 'ignored change notifications (clientState, subscription or shape)');
    if (result.queued > 0 && !this.stopped) this.defer(() => this.processSoon());
    return result;
  }

  /** Queues a record fetch once; false when that record was already queued or fetched. */
  async enqueue(recordId: string): Promise<boolean> {
    const id = checkRecordId(recordId);
    const item: InboxItem = { id, receivedAt: this.iso(this.now()), state: 'queued', attempts: 0 };
    if (!(await this.store.putIfAbsent(RECORD_INBOX_COLLECTION, id, item))) return false;
    this.push(id);
    return true;
  }

  /** Lists records of the last day (or since `since`) and queues those not seen yet. Returns how many were new. */
  async resync(since?: Date): Promise<number> {
    const now = this.now();
    const from = since ?? new Date(now - this.resyncWindowMs);
    const floor = new Date(now - RECORD_RETENTION_MS);
    const ids = await listCallRecordIds(this.graph, from < floor ? floor : from);
    let added = 0;
    for (const id of ids) if (await this.enqueue(id)) added += 1;
    this.logger.info({ listed: ids.length, added }, 'call records resynced');
    if (added > 0 && !this.stopped) this.defer(() => this.processSoon());
    return added;
  }

  // ---- processing -------------------------------------------------------------------------------------------------

  /** Fetches every queued record that is due, one at a time. */
  processQueue(): Promise<void> {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  /** Processing nobody waits for: a store failure is logged (the records stay queued in the store for the next start). */
  private processSoon(): void {
    this.processQueue().catch(warnOnFailure(this.logger, 'processing queued call records failed'));
  }

  /** Resolves once nothing due is waiting (tests, shutdown). */
  async idle(): Promise<void> {
    while ((this.pending.length > 0 && !this.stopped) || this.draining) await this.processQueue();
  }

  private push(id: string): void {
    if (this.pendingSet.has(id)) return;
    this.pendingSet.add(id);
    this.pending.push(id);
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.stopped) {
      const id = this.pending.shift()!;
      this.pendingSet.delete(id);
      const item = await this.store.get<InboxItem>(RECORD_INBOX_COLLECTION, id);
      if (!item || item.state !== 'queued') continue;
      const due = item.notBefore ? Date.parse(item.notBefore) : 0;
      if (due > this.now()) {
        this.retryLater(id, due - this.now());
        continue;
      }
      await this.fetchOne(item);
    }
  }

  private async fetchOne(item: InboxItem): Promise<void> {
    try {
      const record = await fetchCallRecord(this.graph, item.id);
      const summary = summarizeCallRecord(record, this.now());
      await this.store.put(CALL_RECORDS_COLLECTION, summary.id, summary);
      await this.store.put<InboxItem>(RECORD_INBOX_COLLECTION, item.id, { ...item, state: 'done', attempts: item.attempts + 1 });
      this.stats.fetched += 1;
      this.publishReady(summary);
    } catch (err) {
      const code = err instanceof GraphError || err instanceof RecordsError ? err.code : 'unknown';
      const attempts = item.attempts + 1;
      if (RETRYABLE.has(code) && attempts < this.maxAttempts) {
        // A record can be announced a little before it is readable; throttling says wait.
        const retryAfter = err instanceof GraphError && err.retryAfterSeconds !== undefined ? err.retryAfterSeconds * 1000 : 0;
        const delay = Math.max(retryAfter, this.retryDelayMs * 2 ** (attempts - 1));
        await this.store.put<InboxItem>(RECORD_INBOX_COLLECTION, item.id, { ...item, attempts, lastError: code, notBefore: this.iso(this.now() + delay) });
        this.retryLater(item.id, delay);
        this.logger.debug({ recordId: item.id, code, attempts }, 'call record not fetched yet; trying again later');
        return;
      }
      await this.store.put<InboxItem>(RECORD_INBOX_COLLECTION, item.id, { ...item, attempts, lastError: code, state: 'failed' });
      this.stats.failed += 1;
      this.logger.warn({ err: describeError(err), recordId: item.id, attempts }, 'could not fetch a call record');
    }
  }

  private retryLater(id: string, delayMs: number): void {
    if (this.stopped || this.retryTimers.has(id)) return;
    const handle = this.timers.setTimeout(() => {
      this.retryTimers.delete(id);
      this.push(id);
      this.processSoon();
    }, delayMs);
    this.retryTimers.set(id, handle);
  }

  private publishReady(summary: CallRecordSummary): void {
    const event: RecordReadyEvent = {
      type: RECORD_EVENTS.ready,
      recordId: summary.id,
      callType: summary.type,
      participantCount: summary.participants.length,
      poorQuality: summary.poorQuality,
      ...(summary.start ? { start: summary.start } : {}),
      ...(summary.end ? { end: summary.end } : {}),
      ...(summary.durationSeconds !== undefined ? { durationSeconds: summary.durationSeconds } : {}),
      ...(summary.joinWebUrl ? { joinWebUrl: summary.joinWebUrl } : {}),
      ...(summary.organizer ? { organizer: { ...(summary.organizer.id ? { id: summary.organizer.id } : {}), ...(summary.organizer.displayName ? { displayName: summary.organizer.displayName } : {}) } } : {}),
    };
    this.bus.publish({ ...event, at: this.iso(this.now()) });
  }

  // ---- reads --------------------------------------------------------------------------------------------------------

  async getSummary(recordId: string): Promise<CallRecordSummary | undefined> {
    return this.store.get<CallRecordSummary>(CALL_RECORDS_COLLECTION, checkRecordId(recordId));
  }

  /** Newest first. */
  async listSummaries(options: { limit?: number } = {}): Promise<CallRecordSummary[]> {
    const all = (await this.store.list<CallRecordSummary>(CALL_RECORDS_COLLECTION)).map((i) => i.value);
    all.sort((a, b) => (b.start ?? b.summarizedAt).localeCompare(a.start ?? a.summarizedAt));
    return all.slice(0, Math.max(1, Math.min(1_000, options.limit ?? 100)));
  }

  // ---- lifecycle ------------------------------------------------------------------------------------------------

  /** Keeps the subscription alive, forgets inbox entries past Graph's retention, and resumes queued fetches. */
  async start(): Promise<void> {
    this.stopped = false;
    const now = this.now();
    for (const { key, value } of await this.store.list<InboxItem>(RECORD_INBOX_COLLECTION)) {
      if (value.state !== 'queued' && now - Date.parse(value.receivedAt) > RECORD_RETENTION_MS) {
        await this.store.delete(RECORD_INBOX_COLLECTION, key);
      } else if (value.state === 'queued') {
        this.push(value.id);
      }
    }
    await this.subscriptions?.start();
    if (this.pending.length > 0) this.defer(() => this.processSoon());
  }

  stop(): void {
    this.stopped = true;
    this.subscriptions?.stop();
    for (const handle of this.retryTimers.values()) this.timers.clearTimeout(handle);
    this.retryTimers.clear();
  }

  private iso(ms: number): string {
    return new Date(ms).toISOString();
  }
}

