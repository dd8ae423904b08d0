// The webhook's inbox: notification batches are recorded idempotently (keyed by a hash of the notification) and
// acknowledged at once; they are applied afterwards in arrival order, one per turn of the event loop and not while
// webhook requests are being answered (for at most ackFirstMaxLagMs), so that acknowledging never waits for a backlog.
// A new incoming call goes ahead of the queue: Graph's 15 s answer window runs from its notification, and a backlog of
// other calls' notifications (a meeting's rosters in churn) must not eat it; each call's own notifications keep their
// order (the incoming one is always its first). Answers first, too, on the webhook: while new incoming calls wait to
// be applied or answered, a batch that brings none waits (at most answersFirstMaxWaitMs) before it is recorded and
// acknowledged, so a burst of calls is answered before the answered calls' own notifications are taken in. What is
// held in memory is bounded: past the bound a notification is only in the store until the backlog is worked off, then
// read back in order (nothing is dropped). Rosters of one call queued behind each other are applied together (one read and one
// write of the roster). Processed ones leave a tombstone, pruned later.
import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Context } from '@opentelemetry/api';
import { describeError, warnOnFailure } from '../runtime/errors.js';
import { parseJsonText } from '../runtime/json-text.js';
import { parseNotificationBatch, type CallNotification, type RosterNotification } from './notification-schema.js';
import { processInTrace, requestContext, tagWebhookRequest } from './notification-traces.js';
import type { CallCore } from './call-core.js';
import type { LogRef } from '../store/index.js';

export const INBOX_COLLECTION = 'call-inbox';

/** What is stored per notification (collection call-inbox, key = hash of the canonical notification JSON). */
interface InboxRecord {
  seq: string;
  receivedAt: string;
  tenantId?: string;
  notification?: CallNotification;
  processedAt?: string;
}

/**
 * `delivered`: the traced webhook request that brought it (memory only, never stored). `ref`: where a roster recorded
 * in the roster log is (it has no record in the store).
 */
interface QueuedNotification {
  key: string;
  record: InboxRecord;
  delivered?: Context;
  queuedAt: number;
  ref?: LogRef;
}

/** The header of a roster in the roster log; its payload is the webhook request's body as it came. */
interface LoggedRoster {
  key: string;
  seq: string;
  receivedAt: string;
  tenantId?: string;
  /** Which notification of the batch it is. */
  index: number;
}

/** A notification recorded while the queue was full: in the store under its key, or in the roster log. */
interface Spilled {
  key: string;
  logged?: { ref: LogRef; header: LoggedRoster };
}

/**
 * The most rosters of one call applied together (each is still recorded and tombstoned on its own): 16 spread the
 * roster's read and write (~4.5 ms at 1,000 people) thin, and keep one stretch of applying them near 10 ms.
 */
const MAX_FOLDED_ROSTERS = 16;
/** How long an incoming call announced here counts as being answered, at most (a front desk may let it ring). */
const ANSWERING_AT_MOST_MS = 1_000;

export class NotificationInbox {
  private readonly queue: QueuedNotification[] = [];
  /** New incoming calls, applied before the rest of the queue (Graph's answer window runs). */
  private readonly urgent: QueuedNotification[] = [];
  private readonly queued = new Set<string>();
  private readonly retentionMs: number;
  private readonly maxHeld: number;
  /** The weight (see heldWeight) of what the queue holds. */
  private held = 0;
  /**
   * Keys of notifications recorded while the queue was full, in arrival order: they are in the store only (this
   * instance's own, also when the store is shared) and read back from it once the queue is worked off.
   */
  private readonly spilled: Spilled[] = [];
  private readonly maxLagMs: number;
  /** Webhook requests being read or answered right now, and the drain waiting for them to finish. */
  private arriving = 0;
  private wake: (() => void) | undefined;
  /** Webhook requests held back while new incoming calls are applied and answered (answers first); what wakes them. */
  private holding = 0;
  private readonly holders = new Set<() => void>();
  private readonly answersFirstMaxWaitMs: number;
  /** Incoming calls applied here and not answered (nor refused) yet: until when they count as being answered. */
  private readonly unanswered = new Map<string, number>();
  private readonly defer: (fn: () => void) => void;
  private draining: Promise<void> | undefined;
  private seqCounter = 0;
  private lastPruneAt = 0;

  constructor(
    private readonly core: CallCore,
    private readonly apply: (notification: CallNotification, tenantId: string | undefined, receivedAt: string) => Promise<void>,
    /** Several rosters of one call at once, in order (see drain); without it every roster is applied alone. */
    private readonly applyRosters?: (notifications: RosterNotification[], tenantId: string | undefined, receivedAt: string) => Promise<void>,
  ) {
    this.retentionMs = core.options.inboxRetentionMs ?? 60 * 60_000;
    this.maxHeld = Math.max(1, core.options.inboxMaxHeld ?? 500);
    this.maxLagMs = Math.max(0, core.options.ackFirstMaxLagMs ?? 2_000);
    this.defer = core.options.defer ?? ((fn) => void setImmediate(fn));
    this.answersFirstMaxWaitMs = Math.max(0, core.options.answersFirstMaxWaitMs ?? 500);
  }

  /** Records a batch (throws calls/invalid-notification for one that is not valid); processing follows. */
  async receive(body: unknown, tenantIdFromToken: string, bodyBytes?: Uint8Array): Promise<{ recorded: number; duplicates: number }> {
    if (this.answersFirstMaxWaitMs > 0 && this.answeringCalls() && !bringsIncomingCall(body)) await this.answersFirst();
    const notifications = parseNotificationBatch(body);
    const raws = (body as { value: unknown[] }).value;
    tagWebhookRequest(notifications);
    const delivered = requestContext();
    let recorded = 0;
    let duplicates = 0;
    // Only a batch of rosters alone goes to the roster log: its bytes stay on disk until their segment is deleted,
    // and a batch with anything else in it may carry what must not outlive its processing (a recording's token).
    const log = bodyBytes && notifications.every((n) => n.kind === 'participants') ? this.core.options.rosterLog : undefined;
    for (const [index, notification] of notifications.entries()) {
      // A full roster identical to an earlier one is not necessarily a redelivery — someone joined and left again, and
      // the roster is back where it was — and applying a roster twice is harmless: rosters are never dropped as
      // duplicates (which also spares hashing their large bodies). Everything else is deduplicated by content.
      const key = notification.kind === 'participants' ? `roster:${randomUUID()}` : hashNotification(raws[index]);
      const record: InboxRecord = { seq: this.nextSeq(), receivedAt: this.core.iso(this.core.now()), tenantId: tenantIdFromToken, notification };
      if (log && bodyBytes && notification.kind === 'participants') {
        // The body's bytes as they came, appended: no JSON made again, no store transaction (throws store/unavailable).
        const header: LoggedRoster = { key, seq: record.seq, receivedAt: record.receivedAt, tenantId: tenantIdFromToken, index };
        const ref = log.append(header, bodyBytes);
        if (this.hasRoomFor(record)) this.enqueue(key, record, delivered, ref);
        else this.spilled.push({ key, logged: { ref, header } });
        recorded += 1;
        continue;
      }
      if (await this.core.store.putIfAbsent(INBOX_COLLECTION, key, record)) {
        // Recorded, so acknowledged and never lost: past the bound, applied after what is queued, read back.
        if (this.hasRoomFor(record)) this.enqueue(key, record, delivered);
        else this.spilled.push({ key });
        recorded += 1;
      } else {
        duplicates += 1;
      }
    }
    // drain() logs a notification that fails to apply; a store failure while pruning ends up here.
    if (recorded > 0 && !this.core.stopped) this.defer(() => void this.process().catch(warnOnFailure(this.core.logger, 'could not process recorded call notifications')));
    if (duplicates > 0) this.core.logger.debug({ duplicates }, 'dropped redelivered call notifications');
    return { recorded, duplicates };
  }

  /**
   * A webhook request has started (its token and body are still to be read): applying waits until it is answered,
   * so that acknowledging never queues behind applying. Call the returned function when it is answered (once is
   * enough; more are ignored).
   */
  receiving(): () => void {
    this.arriving += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.arriving -= 1;
      if (this.arriving - this.holding <= 0) this.wake?.();
    };
  }

  /** An incoming call was announced: until its state changes (or ANSWERING_AT_MOST_MS), it is being answered. */
  answering(callId: string): void {
    this.unanswered.set(callId, performance.now() + ANSWERING_AT_MOST_MS);
  }

  /** The call left the incoming state (answered, refused, redirected, ended). */
  answered(callId: string): void {
    if (this.unanswered.delete(callId) && this.holders.size > 0 && !this.answeringCalls()) this.releaseHeld();
  }

  /** New incoming calls wait to be applied, or were applied and are being answered. */
  private answeringCalls(): boolean {
    if (this.urgent.length > 0) return true;
    if (this.unanswered.size === 0) return false;
    const now = performance.now();
    for (const [callId, until] of this.unanswered) if (until <= now) this.unanswered.delete(callId);
    return this.unanswered.size > 0;
  }

  /**
   * Waits until no new incoming call waits to be applied or answered, or answersFirstMaxWaitMs. Meanwhile this
   * request does not count as one being answered (applying does not wait for it: it waits for applying).
   */
  private async answersFirst(): Promise<void> {
    this.holding += 1;
    if (this.arriving - this.holding <= 0) this.wake?.();
    try {
      await new Promise<void>((resolve) => {
        const release = () => {
          clearTimeout(timer);
          this.holders.delete(release);
          resolve();
        };
        const timer = setTimeout(release, this.answersFirstMaxWaitMs);
        this.holders.add(release);
      });
    } finally {
      this.holding -= 1;
    }
  }

  /** No incoming call waits any more: the requests held back go on. */
  private releaseHeld(): void {
    for (const release of [...this.holders]) release();
  }

  /** Applies every recorded notification not processed yet, in arrival order. */
  process(): Promise<void> {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  /** Resolves once nothing recorded is waiting to be applied. */
  async idle(): Promise<void> {
    while (this.pending() > 0 || this.spilled.length > 0 || this.draining) await this.process();
  }

  /** Queues what a previous run recorded but did not apply (in the store and in the roster log); resolves with how many. */
  async loadLeftover(): Promise<number> {
    const leftover: Array<{ key: string; value: InboxRecord; ref?: LogRef }> = await this.unprocessed();
    for (const { ref, header } of this.core.options.rosterLog?.leftovers<LoggedRoster>() ?? []) {
      const value = this.readLogged(ref, header);
      if (value) leftover.push({ key: header.key, value, ref });
    }
    leftover.sort((a, b) => a.value.seq.localeCompare(b.value.seq));
    for (const item of leftover) this.enqueue(item.key, item.value, undefined, item.ref);
    return leftover.length;
  }

  private hasRoomFor(record: InboxRecord): boolean {
    return this.spilled.length === 0 && (this.pending() === 0 || this.held + heldWeight(record) <= this.maxHeld);
  }

  /** A roster read back from the roster log (undefined, and marked done, when it cannot be: it is logged). */
  private readLogged(ref: LogRef, header: LoggedRoster): InboxRecord | undefined {
    const log = this.core.options.rosterLog!;
    try {
      const bytes = log.read(ref);
      if (!bytes) return undefined;
      // Parsed as the webhook parsed it: no prototype keys kept.
      const notification = parseNotificationBatch(parseJsonText(bytes.toString('utf8')))[header.index];
      if (notification?.kind !== 'participants') throw new Error('not a roster');
      return { seq: header.seq, receivedAt: header.receivedAt, ...(header.tenantId ? { tenantId: header.tenantId } : {}), notification };
    } catch (err) {
      this.core.logger.error({ err: describeError(err), notification: header.key }, 'could not read back a roster from the inbox log');
      log.done(ref);
      return undefined;
    }
  }

  private async unprocessed(): Promise<Array<{ key: string; value: InboxRecord }>> {
    return (await this.core.store.list<InboxRecord>(INBOX_COLLECTION))
      .filter((i) => !i.value.processedAt && i.value.notification)
      .sort((a, b) => a.value.seq.localeCompare(b.value.seq));
  }

  /** The queue is worked off: the oldest spilled notifications come back from the store, as many as may be held. */
  private async readBackSpilled(): Promise<void> {
    try {
      while (this.spilled.length > 0) {
        // Reading one back is parsing it (~2.5 ms for a 1,000-person roster): requests get a turn between them.
        await yieldToEventLoop();
        const next = this.spilled[0]!;
        const record = next.logged ? this.readLogged(next.logged.ref, next.logged.header) : await this.core.store.get<InboxRecord>(INBOX_COLLECTION, next.key);
        if (record?.notification && !record.processedAt) {
          if (this.pending() > 0 && this.held + heldWeight(record) > this.maxHeld) return;
          this.enqueue(next.key, record, undefined, next.logged?.ref);
        }
        this.spilled.shift();
      }
    } catch (err) {
      // Still unprocessed in the store: the next start applies them.
      this.core.logger.error({ err: describeError(err), count: this.spilled.length }, 'could not read back spilled call notifications');
      this.spilled.length = 0;
    }
  }

  private async drain(): Promise<void> {
    while (this.pending() > 0 || this.spilled.length > 0) {
      if (this.pending() === 0) {
        await this.readBackSpilled();
        continue;
      }
      // The store answers synchronously (SQLite), so without this the whole backlog would be applied in one stretch
      // of microtasks while requests wait unread: each notification gives the event loop a turn first, so
      // acknowledgements (and everything else) keep flowing while a burst is applied.
      await yieldToEventLoop();
      await this.acknowledgementsFirst(this.nextLane()[0]!.queuedAt);
      const head = this.nextLane().shift()!;
      this.unhold(head);
      if (this.holders.size > 0 && !this.answeringCalls()) this.releaseHeld();
      const { key, record, delivered } = head;
      // Rosters of the same call queued behind this one go with it: one read and one write of the roster instead of
      // one each (a 1,000-person roster is ~600 KB to parse and to write), the same roster in the end.
      const later = this.laterRostersOf(head);
      try {
        const notification = record.notification;
        if (notification) {
          await processInTrace(this.core.traces, notification, delivered, () =>
            later.length > 0 && this.applyRosters && notification.kind === 'participants'
              ? this.applyRosters([notification, ...later.map((item) => item.record.notification as RosterNotification)], record.tenantId, record.receivedAt)
              : this.apply(notification, record.tenantId, record.receivedAt),
          );
        }
        // Keep a tombstone only: enough to drop redeliveries, nothing of the call (nor any recording token) at rest.
        for (const item of [head, ...later]) {
          if (item.ref) this.core.options.rosterLog!.done(item.ref);
          else await this.core.store.put<InboxRecord>(INBOX_COLLECTION, item.key, { seq: item.record.seq, receivedAt: item.record.receivedAt, processedAt: this.core.iso(this.core.now()) });
        }
      } catch (err) {
        // Left unprocessed in the store: start() applies it again.
        this.core.logger.error({ err: describeError(err), notification: key, ...(later.length > 0 ? { withLater: later.length } : {}) }, 'could not apply a call notification');
      }
    }
    await this.prune();
  }

  private unhold(item: QueuedNotification): void {
    this.queued.delete(item.key);
    this.held -= heldWeight(item.record);
  }

  /**
   * Taken out of the queue: the rosters of head's call (head being one, from the same tenant) that come after it with
   * nothing else of that call in between, at most MAX_FOLDED_ROSTERS. Notifications of other calls keep their places.
   */
  private laterRostersOf(head: QueuedNotification): QueuedNotification[] {
    const first = head.record.notification;
    if (!this.applyRosters || first?.kind !== 'participants') return [];
    const taken: number[] = [];
    for (let i = 0; i < this.queue.length && taken.length < MAX_FOLDED_ROSTERS; i++) {
      const item = this.queue[i]!;
      const n = item.record.notification;
      if (n?.callId !== first.callId) continue;
      if (n.kind !== 'participants' || item.record.tenantId !== head.record.tenantId) break;
      taken.push(i);
    }
    const later = taken.map((i) => this.queue[i]!);
    for (let j = taken.length - 1; j >= 0; j--) this.queue.splice(taken[j]!, 1);
    for (const item of later) this.unhold(item);
    return later;
  }

  private enqueue(key: string, record: InboxRecord, delivered?: Context, ref?: LogRef): void {
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.held += heldWeight(record);
    if (this.crowded()) this.wake?.();
    const n = record.notification;
    const lane = n?.kind === 'call' && n.changeType === 'created' && n.call.state === 'incoming' ? this.urgent : this.queue;
    lane.push({ key, record, ...(delivered ? { delivered } : {}), queuedAt: performance.now(), ...(ref ? { ref } : {}) });
  }

  private pending(): number {
    return this.queue.length + this.urgent.length;
  }

  /** Where the next notification to apply is: new incoming calls first. */
  private nextLane(): QueuedNotification[] {
    return this.urgent.length > 0 ? this.urgent : this.queue;
  }

  /**
   * Waits while webhook requests are in progress, but not past maxLagMs since the next notification was queued, nor
   * once the queue is half full: under a steady stream of requests, waiting would fill it, and everything after would
   * be read back from where it was recorded (a 1,000-person roster costs as much to read back as to receive).
   */
  private async acknowledgementsFirst(queuedAt: number): Promise<void> {
    while (this.arriving - this.holding > 0 && !this.crowded()) {
      const left = this.maxLagMs - (performance.now() - queuedAt);
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private crowded(): boolean {
    return this.held * 2 >= this.maxHeld;
  }

  private nextSeq(): string {
    this.seqCounter = (this.seqCounter + 1) % 1_000_000;
    return `${String(this.core.now()).padStart(15, '0')}-${String(this.seqCounter).padStart(6, '0')}`;
  }

  private async prune(): Promise<void> {
    const now = this.core.now();
    if (now - this.lastPruneAt < Math.min(this.retentionMs, 10 * 60_000)) return;
    this.lastPruneAt = now;
    for (const item of await this.core.store.list<InboxRecord>(INBOX_COLLECTION)) {
      if (item.value.processedAt && now - Date.parse(item.value.processedAt) > this.retentionMs) {
        await this.core.store.delete(INBOX_COLLECTION, item.key);
      }
    }
  }
}

/** Whether a (not yet validated) batch holds a new incoming call: such a batch is never held back (answers first). */
function bringsIncomingCall(body: unknown): boolean {
  const value = (body as { value?: unknown } | null)?.value;
  if (!Array.isArray(value)) return true; // not a batch: let validation answer it at once
  return value.some((n) => {
    const data = (n as { resourceData?: unknown } | null)?.resourceData as { state?: unknown } | null | undefined;
    return typeof data?.state === 'string' && data.state.toLowerCase() === 'incoming';
  });
}

/** What a queued notification weighs against inboxMaxHeld: 1, and a roster 1 more per 100 people. */
function heldWeight(record: InboxRecord): number {
  const n = record.notification;
  return n?.kind === 'participants' ? 1 + Math.floor(n.participants.length / 100) : 1;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Canonical JSON (keys sorted at every level) so the same notification always hashes the same. */
export function canonicalJson(value: unknown): string {
  // Built as one string, without an array per object or per key (this runs on the webhook's ack path).
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return out + ']';
  }
  const object = value as Record<string, unknown>;
  let out = '{';
  for (const key of Object.keys(object).sort()) {
    const item = object[key];
    if (item === undefined) continue;
    out += (out.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + canonicalJson(item);
  }
  return out + '}';
}

export function hashNotification(raw: unknown): string {
  return createHash('sha256').update(canonicalJson(raw)).digest('hex');
}
