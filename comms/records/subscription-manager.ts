// Keeps one Graph change-notification subscription to /communications/callRecords alive: creates it with a random
// clientState kept in the store, renews it (PATCH) at 75 % of its lifetime (callRecords allow at most 4,230 minutes),
// recreates it when Graph removed it or a renewal answers 404, reauthorizes it on `reauthorizationRequired`, and asks
// for a resync when notifications may have been missed. A stored subscription is verified (GET) on start and every
// hour between renewals, and re-created when Graph answers 404: Graph (or a restarted emulator) can lose one without
// telling us. Clock and timers are injected.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { systemTimers, type Clock, type Timers } from '../runtime/index.js';
import { GraphError, type GraphClient } from '../graph/index.js';
import type { Store } from '../store/index.js';
import { clientStateMatches, type LifecycleEvent } from './change-notifications.js';
import { RecordsError } from './records-error.js';
import { describeError } from '../runtime/errors.js';
import type { Logger } from '../runtime/logger.js';
import type { CreateSubscriptionRequest, UpdateSubscriptionRequest } from '../../graph-models/index.js';

export const SUBSCRIPTIONS_COLLECTION = 'subscriptions';
export const CALL_RECORDS_RESOURCE = '/communications/callRecords';
export const MAX_CALL_RECORD_SUBSCRIPTION_MINUTES = 4_230;
/** A little under the maximum, so clock skew never makes Graph refuse the expiration. */
export const DEFAULT_SUBSCRIPTION_MINUTES = 4_200;
/** Graph raises anything shorter to 45 minutes. */
export const MIN_SUBSCRIPTION_MINUTES = 45;
export const RENEW_AT_FRACTION = 0.75;
export const DEFAULT_SUBSCRIPTION_RETRY_MS = 5 * 60_000;
/** How often the subscription is checked with Graph between renewals (a lost one stops call history silently). */
export const DEFAULT_SUBSCRIPTION_VERIFY_MS = 60 * 60_000;
/** How long notifications signed with a replaced subscription's clientState are still accepted. */
const PREVIOUS_GRACE_MS = 10 * 60_000;
const STORE_KEY = 'callRecords';

export interface StoredSubscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  /** The secret Graph echoes on every notification (≤ 128 characters). */
  clientState: string;
  createdAt: string;
  expiresAt: string;
  /** When the next renewal is due (75 % of the way to expiresAt). */
  renewAt: string;
  renewedAt?: string;
  renewals: number;
  previous?: { id: string; clientState: string; until: string };
}

export interface CallRecordSubscriptionsOptions {
  graph: GraphClient;
  store: Store;
  logger: Logger;
  /** Where Graph POSTs change notifications (https; http only on a loopback host, for local mode). */
  notificationUrl: string;
  /** Where Graph POSTs lifecycle notifications; can only be set when the subscription is created. */
  lifecycleNotificationUrl?: string;
  lifetimeMinutes?: number;
  now?: Clock;
  timers?: Timers;
  retryDelayMs?: number;
  /** How often Graph is asked whether the subscription still exists (default hourly). */
  verifyIntervalMs?: number;
  /** Called when notifications may have been missed (lifecycle `missed`, subscription recreated). */
  onResync?: () => Promise<void>;
  /**
   * Distributed mode: this instance's id. One instance of the cluster (the lease holder) creates, renews and
   * verifies the subscription; the others read it from the store. A holder that is gone loses its lease.
   */
  instanceId?: string;
}

const LEASE_KEY = 'callRecords.lease';
const LEASE_MS = 60_000;

const subscriptionResponse = z.object({ id: z.string().min(1).max(256), expirationDateTime: z.string().max(64).nullish() }).loose();
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function checkWebhookUrl(value: unknown, what: string): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new RecordsError('records/invalid-argument', `${what} must be an absolute URL`);
  }
  const ok = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (typeof value !== 'string' || !ok || url.username || url.password || url.hash) {
    throw new RecordsError('records/invalid-argument', `${what} must be an https URL (http only on a loopback address)`);
  }
  return value;
}

export class CallRecordSubscriptions {
  private readonly graph: GraphClient;
  private readonly store: Store;
  private readonly logger: Logger;
  private readonly notificationUrl: string;
  private readonly lifecycleNotificationUrl: string | undefined;
  private readonly lifetimeMs: number;
  private readonly retryDelayMs: number;
  private readonly verifyIntervalMs: number;
  private readonly now: Clock;
  private readonly timers: Timers;
  private readonly onResync: (() => Promise<void>) | undefined;
  private current: StoredSubscription | undefined;
  /** The last failure to create or renew, until one succeeds (for /readyz). */
  private failure: { code: string; at: number } | undefined;
  /** Whether this instance holds the lease (distributed mode; always with one instance). */
  private holding = true;
  private timer: unknown;
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = true;
  private readonly options: CallRecordSubscriptionsOptions;

  constructor(options: CallRecordSubscriptionsOptions) {
    this.options = options;
    this.graph = options.graph;
    this.store = options.store;
    this.logger = options.logger;
    this.notificationUrl = checkWebhookUrl(options.notificationUrl, 'notificationUrl');
    this.lifecycleNotificationUrl =
      options.lifecycleNotificationUrl === undefined ? undefined : checkWebhookUrl(options.lifecycleNotificationUrl, 'lifecycleNotificationUrl');
    const minutes = Math.min(MAX_CALL_RECORD_SUBSCRIPTION_MINUTES, Math.max(MIN_SUBSCRIPTION_MINUTES, options.lifetimeMinutes ?? DEFAULT_SUBSCRIPTION_MINUTES));
    this.lifetimeMs = minutes * 60_000;
    this.retryDelayMs = Math.max(1_000, options.retryDelayMs ?? DEFAULT_SUBSCRIPTION_RETRY_MS);
    this.verifyIntervalMs = Math.max(1_000, options.verifyIntervalMs ?? DEFAULT_SUBSCRIPTION_VERIFY_MS);
    this.now = options.now ?? (() => Date.now());
    this.timers = options.timers ?? systemTimers;
    this.onResync = options.onResync;
  }

  /** The live subscription as last stored (undefined before start or while none could be created). */
  get subscription(): StoredSubscription | undefined {
    return this.current ? { ...this.current } : undefined;
  }

  /** Loads the stored subscription and keeps it alive: renews or recreates as needed, then schedules renewals. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.serial(async () => {
      const stored = await this.store.get<StoredSubscription>(SUBSCRIPTIONS_COLLECTION, STORE_KEY);
      if (!(await this.holdLease())) {
        // Another instance keeps the subscription alive: use what it stored, and check the lease again later.
        this.current = stored;
        this.schedule(Math.min(this.retryDelayMs, LEASE_MS / 2));
        return;
      }
      const now = this.now();
      const sameTarget =
        stored && stored.notificationUrl === this.notificationUrl && stored.lifecycleNotificationUrl === this.lifecycleNotificationUrl && stored.resource === CALL_RECORDS_RESOURCE;
      if (stored && sameTarget && Date.parse(stored.expiresAt) > now) {
        this.current = stored;
        // Renewing (PATCH) also tells whether Graph still has it; otherwise ask (GET).
        if (Date.parse(stored.renewAt) <= now) await this.renewNow().catch(() => undefined);
        else await this.verifyNow('start').catch(() => undefined);
        return;
      }
      if (stored && !sameTarget) this.logger.info({ subscriptionId: stored.id }, 'the notification URLs changed: replacing the callRecords subscription');
      this.current = stored;
      // A failure is logged and retried on a timer: the app starts anyway.
      await this.createNow(stored ? 'replacing an expired or outdated subscription' : 'first start').catch(() => undefined);
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Takes or renews the lease that makes this instance the one keeping the subscription alive (always true with
   * one instance). A compare-and-set in the shared store: at most one holder at a time.
   */
  private async holdLease(): Promise<boolean> {
    const me = this.options.instanceId;
    if (!me) return true;
    const now = this.now();
    const result = await this.store.update<{ owner: string; until: number }>(SUBSCRIPTIONS_COLLECTION, LEASE_KEY, (lease) =>
      !lease || lease.owner === me || lease.until <= now ? { owner: me, until: now + LEASE_MS } : undefined,
    );
    this.holding = result.value?.owner === me;
    return this.holding;
  }

  /**
   * What /readyz says about the subscription: `ok` while it is alive at Graph, `held by another instance` in a
   * cluster, `failing` with Graph's error code while it cannot be created or renewed (retried on a timer),
   * `expired` when renewing has failed too long, `not started yet` before the first start. Never the clientState.
   */
  health(): { ok: boolean; detail: string } {
    const current = this.current;
    const failing = this.failure ? `${this.failure.code} since ${this.iso(this.failure.at)}; retrying` : undefined;
    if (!current) return failing ? { ok: false, detail: `failing: ${failing}` } : { ok: true, detail: this.stopped ? 'not started yet' : 'being created' };
    if (Date.parse(current.expiresAt) <= this.now()) return { ok: false, detail: `expired at ${current.expiresAt}${failing ? ` (${failing})` : ''}` };
    const holder = this.holding ? '' : ', kept alive by another instance';
    return { ok: true, detail: `ok: callRecords until ${current.expiresAt}${holder}${failing ? ` (last attempt failed: ${failing})` : ''}` };
  }

  /**
   * verify, after re-reading the stored subscription when it does not match: in a cluster another instance may have
   * just created or replaced it.
   */
  async verifyFresh(subscriptionId: string, clientState: string | undefined): Promise<boolean> {
    if (this.verify(subscriptionId, clientState)) return true;
    if (!this.options.instanceId) return false;
    const stored = await this.store.get<StoredSubscription>(SUBSCRIPTIONS_COLLECTION, STORE_KEY);
    if (!stored || stored.id === this.current?.id) return false;
    this.current = stored;
    return this.verify(subscriptionId, clientState);
  }

  /** True when the notification names our (current, or just-replaced) subscription and carries its clientState. */
  verify(subscriptionId: string, clientState: string | undefined): boolean {
    const current = this.current;
    if (!current) return false;
    if (subscriptionId === current.id) return clientStateMatches(clientState, current.clientState);
    const previous = current.previous;
    if (previous && subscriptionId === previous.id && Date.parse(previous.until) > this.now()) return clientStateMatches(clientState, previous.clientState);
    return false;
  }

  /** A lifecycle notification already verified (subscription id + clientState). */
  handleLifecycle(event: LifecycleEvent): Promise<void> {
    return this.serial(async () => {
      if (!this.current) return;
      switch (event) {
        case 'reauthorizationRequired':
          await this.reauthorizeNow();
          return;
        case 'subscriptionRemoved':
          await this.createNow('Graph removed the subscription');
          return;
        case 'missed':
          await this.resync('Graph reports missed notifications');
          return;
      }
    });
  }

  /** Asks Graph whether the subscription still exists (GET); recreates it when Graph answers 404. */
  recheck(): Promise<void> {
    return this.serial(async () => {
      if (this.current) await this.verifyNow('asked');
      else await this.createNow('no subscription to verify');
    });
  }

  /** Renews now (PATCH); recreates when Graph no longer knows the subscription. */
  renew(): Promise<void> {
    return this.serial(() => this.renewNow());
  }

  /** Ends the subscription for good (uninstall, tests) and forgets it. */
  remove(): Promise<void> {
    return this.serial(async () => {
      this.stop();
      const current = this.current;
      if (!current) return;
      try {
        // CallRecords.Read.All · subscription-delete
        await this.graph.delete(`/subscriptions/${encodeURIComponent(current.id)}`, { repeatable: true });
      } catch (err) {
        if (!(err instanceof GraphError && err.code === 'graph/not-found')) throw err;
      }
      await this.store.delete(SUBSCRIPTIONS_COLLECTION, STORE_KEY);
      this.current = undefined;
    });
  }

  // ---- internals ------------------------------------------------------------------------------------------------

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private iso(ms: number): string {
    return new Date(ms).toISOString();
  }

  private renewAtFor(expiresAt: number, from: number): number {
    return from + Math.max(0, expiresAt - from) * RENEW_AT_FRACTION;
  }

  /** The next renewal after `delayMs`, with a verification in between every `verifyIntervalMs`. */
  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.serial(() => this.tick()).catch((err) => this.logger.error({ err: describeError(err) }, 'keeping the callRecords subscription alive failed'));
    }, Math.min(Math.max(0, delayMs), this.verifyIntervalMs));
  }

  private async tick(): Promise<void> {
    if (!(await this.holdLease())) {
      this.current = (await this.store.get<StoredSubscription>(SUBSCRIPTIONS_COLLECTION, STORE_KEY)) ?? this.current;
      this.schedule(Math.min(this.retryDelayMs, LEASE_MS / 2));
      return;
    }
    const current = this.current;
    if (!current || Date.parse(current.renewAt) <= this.now()) await this.renewNow();
    else await this.verifyNow('periodic check');
  }

  private async verifyNow(reason: string): Promise<void> {
    const current = this.current!;
    const now = this.now();
    let body: unknown;
    try {
      // CallRecords.Read.All · subscription-get
      body = await this.graph.get<unknown>(`/subscriptions/${encodeURIComponent(current.id)}`);
    } catch (err) {
      if (err instanceof GraphError && err.code === 'graph/not-found') {
        this.logger.warn({ subscriptionId: current.id, reason }, 'Graph no longer knows the callRecords subscription: creating a new one');
        await this.createNow('Graph no longer knows the subscription');
        return;
      }
      // Unknown (Graph unreachable, throttled): keep what we have and ask again soon.
      this.logger.warn({ err: describeError(err), subscriptionId: current.id, reason }, 'could not verify the callRecords subscription; trying again later');
      this.schedule(Math.min(this.retryDelayMs, Math.max(0, Date.parse(current.renewAt) - now)));
      return;
    }
    // Graph's expiration is the truth: an earlier one moves the renewal forward.
    const parsed = subscriptionResponse.partial().safeParse(body ?? {});
    const granted = parsed.success && parsed.data.expirationDateTime ? Date.parse(parsed.data.expirationDateTime) : Number.NaN;
    if (Number.isFinite(granted) && granted < Date.parse(current.expiresAt)) {
      if (granted <= now) {
        await this.createNow('the subscription has expired at Graph');
        return;
      }
      const next: StoredSubscription = { ...current, expiresAt: this.iso(granted), renewAt: this.iso(this.renewAtFor(granted, now)) };
      await this.store.put(SUBSCRIPTIONS_COLLECTION, STORE_KEY, next);
      this.current = next;
    }
    this.schedule(Date.parse(this.current!.renewAt) - now);
  }

  private async createNow(reason: string): Promise<void> {
    const now = this.now();
    const clientState = randomBytes(32).toString('base64url');
    const requested = now + this.lifetimeMs;
    const body: CreateSubscriptionRequest = {
      changeType: 'created',
      notificationUrl: this.notificationUrl,
      resource: CALL_RECORDS_RESOURCE,
      expirationDateTime: this.iso(requested),
      clientState,
    };
    if (this.lifecycleNotificationUrl !== undefined) body.lifecycleNotificationUrl = this.lifecycleNotificationUrl;
    let created: z.infer<typeof subscriptionResponse>;
    try {
      // CallRecords.Read.All · subscription-post-subscriptions (Graph first validates notificationUrl and lifecycleNotificationUrl)
      const res = await this.graph.post<unknown>('/subscriptions', body);
      const parsed = subscriptionResponse.safeParse(res.body);
      if (!parsed.success) throw new RecordsError('records/subscription-failed', 'Graph created a subscription but did not say its id');
      created = parsed.data;
    } catch (err) {
      this.failure = { code: failureCode(err), at: this.failure?.at ?? now };
      this.logger.warn({ err: describeError(err), reason }, 'could not create the callRecords subscription; trying again later');
      this.schedule(this.retryDelayMs);
      throw err;
    }
    const granted = created.expirationDateTime ? Date.parse(created.expirationDateTime) : Number.NaN;
    const expiresAt = Number.isFinite(granted) && granted > now ? granted : requested;
    const old = this.current;
    const next: StoredSubscription = {
      id: created.id,
      resource: CALL_RECORDS_RESOURCE,
      changeType: 'created',
      notificationUrl: this.notificationUrl,
      ...(this.lifecycleNotificationUrl !== undefined ? { lifecycleNotificationUrl: this.lifecycleNotificationUrl } : {}),
      clientState,
      createdAt: this.iso(now),
      expiresAt: this.iso(expiresAt),
      renewAt: this.iso(this.renewAtFor(expiresAt, now)),
      renewals: 0,
      ...(old && old.id !== created.id ? { previous: { id: old.id, clientState: old.clientState, until: this.iso(now + PREVIOUS_GRACE_MS) } } : {}),
    };
    await this.store.put(SUBSCRIPTIONS_COLLECTION, STORE_KEY, next);
    this.current = next;
    this.failure = undefined;
    this.logger.info({ subscriptionId: next.id, expiresAt: next.expiresAt, reason }, 'callRecords subscription created');
    this.schedule(Date.parse(next.renewAt) - now);
    if (old) await this.resync('the subscription was recreated');
  }

  private async renewNow(): Promise<void> {
    const current = this.current;
    if (!current) {
      await this.createNow('no subscription to renew');
      return;
    }
    const now = this.now();
    const requested = now + this.lifetimeMs;
    let body: unknown;
    try {
      // CallRecords.Read.All · subscription-update (renewing also reauthorizes)
      body = (await this.graph.patch<unknown>(`/subscriptions/${encodeURIComponent(current.id)}`, { expirationDateTime: this.iso(requested) } satisfies UpdateSubscriptionRequest, { repeatable: true })).body;
    } catch (err) {
      if (err instanceof GraphError && err.code === 'graph/not-found') {
        await this.createNow('Graph no longer knows the subscription');
        return;
      }
      if (Date.parse(current.expiresAt) <= now) {
        await this.createNow('the subscription expired before it could be renewed');
        return;
      }
      this.failure = { code: failureCode(err), at: this.failure?.at ?? now };
      this.logger.warn({ err: describeError(err), subscriptionId: current.id }, 'renewing the callRecords subscription failed; trying again later');
      this.schedule(Math.min(this.retryDelayMs, Math.max(0, (Date.parse(current.expiresAt) - now) / 2)));
      return;
    }
    const parsed = subscriptionResponse.partial().safeParse(body ?? {});
    const granted = parsed.success && parsed.data.expirationDateTime ? Date.parse(parsed.data.expirationDateTime) : Number.NaN;
    const expiresAt = Number.isFinite(granted) && granted > now ? granted : requested;
    const next: StoredSubscription = {
      ...current,
      expiresAt: this.iso(expiresAt),
      renewAt: this.iso(this.renewAtFor(expiresAt, now)),
      renewedAt: this.iso(now),
      renewals: current.renewals + 1,
    };
    await this.store.put(SUBSCRIPTIONS_COLLECTION, STORE_KEY, next);
    this.current = next;
    this.failure = undefined;
    this.logger.info({ subscriptionId: next.id, expiresAt: next.expiresAt }, 'callRecords subscription renewed');
    this.schedule(Date.parse(next.renewAt) - now);
  }

  private async reauthorizeNow(): Promise<void> {
    const current = this.current!;
    try {
      // CallRecords.Read.All · subscription-reauthorize (does not extend the expiration)
      await this.graph.post(`/subscriptions/${encodeURIComponent(current.id)}/reauthorize`, undefined, { repeatable: true });
      this.logger.info({ subscriptionId: current.id }, 'callRecords subscription reauthorized');
    } catch (err) {
      if (err instanceof GraphError && err.code === 'graph/not-found') {
        await this.createNow('Graph no longer knows the subscription');
        return;
      }
      // Renewing reauthorizes too (change-notifications-lifecycle-events).
      this.logger.warn({ err: describeError(err), subscriptionId: current.id }, 'reauthorize failed; renewing instead');
      await this.renewNow();
    }
  }

  private async resync(reason: string): Promise<void> {
    if (!this.onResync) return;
    try {
      await this.onResync();
    } catch (err) {
      this.logger.warn({ err: describeError(err), reason }, 'resyncing call records failed');
    }
  }
}

/** A short, safe name for why Graph refused: its error code (e.g. graph/forbidden), never a message or a token. */
function failureCode(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^[\w/.-]{1,64}$/.test(code) ? code : 'unavailable';
}
