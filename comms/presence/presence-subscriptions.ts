// Live presence through Graph change notifications with resource data. Presence subscriptions are delegated only
// (changenotifications-for-presence: application "Not supported"), one per app per user, ≤ 650 ids, ≤ 60 minutes:
// so each signed-in person who looks at a roster gets one subscription, made on their behalf (their token for this
// app — Teams SSO — traded for a Graph token through the on-behalf-of flow), covering the people they look at. It is
// renewed (PATCH) at 75 % of its lifetime with the person's latest token, and replaced when they look at someone new.
// Notifications are checked fail-closed — validationTokens, the subscription's clientState, the certificate, the
// HMAC — then decrypted and published as `presence.changed` for that person's streams. Anything refused is dropped
// and logged with why, never with a token. Without a signed-in person nothing is subscribed: app-only polling
// (getPresencesByUserId) stays the way presence is read.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { GraphClient, GraphError, type HttpTransport, type OnBehalfOf } from '../graph/index.js';
import { describeError, systemTimers, type Clock, type Logger, type Timers } from '../runtime/index.js';
import type { EventBus, Store } from '../store/index.js';
import type { CertificateKeyring } from './notification-certificate.js';
import { PRESENCE_EVENTS } from './presence-events.js';
import { PresenceError } from './presence-error.js';
import { decryptResource, openRichBatch, type ValidationTokenVerifier } from './rich-notifications.js';
import type { CreateSubscriptionRequest, UpdateSubscriptionRequest } from '../../graph-models/index.js';

export const PRESENCE_SCOPE = 'https://graph.microsoft.com/Presence.Read.All';
export const MAX_PRESENCE_SUBSCRIPTION_IDS = 650;
/** Graph's maximum for presence is 60 minutes; a little under it so clock skew never makes Graph refuse. */
export const PRESENCE_SUBSCRIPTION_MINUTES = 58;
const RENEW_AT_FRACTION = 0.75;
const COLLECTION = 'presenceSubscriptions';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface StoredPresenceSubscription {
  id: string;
  watcherId: string;
  tenantId: string;
  clientState: string;
  /** The user ids covered, lower case. */
  ids: string[];
  expiresAt: string;
}

export interface PresenceSubscriptionsOptions {
  graphBaseUrl: string;
  transport: HttpTransport;
  onBehalfOf: OnBehalfOf;
  store: Store;
  bus: EventBus;
  logger: Logger;
  /** Where Graph POSTs the notifications (https; http only on loopback, local mode). */
  notificationUrl: string;
  /**
   * The certificate subscriptions name (`current`) and the keys that open notifications (it and earlier ones). Asked
   * for only when first needed — making a key pair takes a second or two — and memoized by the caller.
   */
  certificates: () => Promise<CertificateKeyring>;
  verifier: ValidationTokenVerifier;
  now?: Clock;
  timers?: Timers;
  /** After a failed create or renewal, how long before trying again for that person (default 5 minutes). */
  retryMs?: number;
}

interface Watcher {
  userId: string;
  tenantId: string;
  /** The person's latest token for this app (memory only: never stored, never logged). */
  assertion: string;
  subscription: StoredPresenceSubscription | undefined;
  timer: unknown;
  chain: Promise<unknown>;
  failedUntil: number;
}

const presenceSchema = z.object({ id: z.string().regex(GUID), availability: z.string().regex(/^[A-Za-z]{1,64}$/), activity: z.string().regex(/^[A-Za-z]{1,64}$/) }).loose();
const createdSchema = z.object({ id: z.string().min(1).max(256), expirationDateTime: z.string().max(64).nullish() }).loose();

export interface ReceiveOutcome {
  delivered: number;
  refused: number;
}

export class PresenceSubscriptions {
  private readonly watchers = new Map<string, Watcher>();
  private readonly now: Clock;
  private readonly timers: Timers;
  private readonly retryMs: number;
  private stopped = false;

  constructor(private readonly o: PresenceSubscriptionsOptions) {
    this.now = o.now ?? (() => Date.now());
    this.timers = o.timers ?? systemTimers;
    this.retryMs = o.retryMs ?? 5 * 60_000;
  }

  /** Whether a live subscription covers this person's view now. */
  isLive(userId: string): boolean {
    const s = this.watchers.get(userId.toLowerCase())?.subscription;
    return s !== undefined && Date.parse(s.expiresAt) > this.now();
  }

  /**
   * A signed-in person looks at these people: make sure their subscription covers them (best effort — a failure is
   * logged and polling carries on). `assertion` is their token for this app, as the tab sent it.
   */
  watch(user: { userId: string; tenantId: string }, assertion: string, userIds: string[]): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const key = user.userId.toLowerCase();
    let watcher = this.watchers.get(key);
    if (!watcher) {
      watcher = { userId: user.userId, tenantId: user.tenantId, assertion, subscription: undefined, timer: undefined, chain: Promise.resolve(), failedUntil: 0 };
      this.watchers.set(key, watcher);
    }
    watcher.assertion = assertion;
    const wanted = [...new Set(userIds.filter((id) => GUID.test(id)).map((id) => id.toLowerCase()))];
    const w = watcher;
    return this.serial(w, async () => {
      const current = w.subscription && Date.parse(w.subscription.expiresAt) > this.now() ? w.subscription : undefined;
      const missing = wanted.filter((id) => !current?.ids.includes(id));
      if (missing.length === 0 && current) return;
      if (wanted.length === 0 && !current) return;
      if (this.now() < w.failedUntil) return;
      // The people already covered stay covered (the person may have two meetings open); newest first when over 650.
      const ids = [...new Set([...wanted, ...(current?.ids ?? [])])].slice(0, MAX_PRESENCE_SUBSCRIPTION_IDS);
      await this.replace(w, ids);
    });
  }

  /**
   * A notification batch, after the route has answered 202. Rich items need valid validationTokens (all of them, or
   * the whole batch is dropped), a known subscription with its clientState, then a verified, decryptable payload.
   */
  async receive(body: unknown): Promise<ReceiveOutcome> {
    const outcome: ReceiveOutcome = { delivered: 0, refused: 0 };
    const batch = await openRichBatch(body, this.o.verifier);
    if (batch.refused) {
      this.refuse(batch.refused.reason, undefined, batch.refused.count);
      outcome.refused += batch.refused.count;
    }
    for (const item of batch.items) {
      try {
        const stored = await this.o.store.get<StoredPresenceSubscription>(COLLECTION, item.subscriptionId.toLowerCase());
        if (!stored) throw new PresenceError('presence/notification-refused', 'unknown subscription', undefined, 'unknown-subscription');
        if (!sameSecret(item.clientState ?? undefined, stored.clientState)) throw new PresenceError('presence/notification-refused', 'clientState mismatch', undefined, 'client-state');
        if (item.lifecycleEvent) {
          this.o.logger.info({ subscriptionId: stored.id, lifecycleEvent: item.lifecycleEvent }, 'presence: lifecycle notification');
          continue;
        }
        if (item.encryptedContent === undefined) continue; // a basic item carries no presence: nothing to show
        const presence = presenceSchema.safeParse(decryptResource(item.encryptedContent, await this.o.certificates()));
        if (!presence.success) throw new PresenceError('presence/notification-refused', 'not a presence', undefined, 'invalid-content');
        const userId = presence.data.id;
        if (!stored.ids.includes(userId.toLowerCase())) throw new PresenceError('presence/notification-refused', 'not a subscribed person', undefined, 'not-subscribed');
        this.o.bus.publish({
          type: PRESENCE_EVENTS.changed,
          watcherId: stored.watcherId,
          tenantId: stored.tenantId,
          userId,
          availability: presence.data.availability,
          activity: presence.data.activity,
        });
        outcome.delivered += 1;
      } catch (err) {
        if (!(err instanceof PresenceError)) throw err;
        this.refuse(err.reason ?? err.code, item.subscriptionId);
        outcome.refused += 1;
      }
    }
    return outcome;
  }

  /** Stops renewing; the subscriptions lapse on their own within the hour (deleting needs each person's token). */
  stop(): void {
    this.stopped = true;
    for (const w of this.watchers.values()) if (w.timer !== undefined) this.timers.clearTimeout(w.timer as never);
  }

  // ── Graph ────────────────────────────────────────────────────────────────────────────────────────────────────

  private graphFor(w: Watcher): GraphClient {
    const assertion = w.assertion;
    return new GraphClient({
      baseUrl: this.o.graphBaseUrl,
      transport: this.o.transport,
      tokens: { getToken: () => this.o.onBehalfOf.tokenFor(assertion, [PRESENCE_SCOPE]) },
      logger: this.o.logger,
    });
  }

  private async replace(w: Watcher, ids: string[]): Promise<void> {
    const graph = this.graphFor(w);
    const old = w.subscription;
    try {
      const { current: certificate } = await this.o.certificates();
      if (old) {
        // One presence subscription per app per user: the old one goes first.
        await graph.delete(`/subscriptions/${encodeURIComponent(old.id)}`).catch((err: unknown) => {
          if (!(err instanceof GraphError && err.code === 'graph/not-found')) throw err;
        });
        await this.o.store.delete(COLLECTION, old.id.toLowerCase());
        w.subscription = undefined;
      }
      const clientState = randomBytes(32).toString('base64url');
      const expiration = new Date(this.now() + PRESENCE_SUBSCRIPTION_MINUTES * 60_000).toISOString();
      const res = await graph.post<unknown>('/subscriptions', {
        changeType: 'updated',
        notificationUrl: this.o.notificationUrl,
        resource: ids.length === 1 ? `/communications/presences/${ids[0]}` : `/communications/presences?$filter=id in (${ids.map((id) => `'${id}'`).join(',')})`,
        expirationDateTime: expiration,
        clientState,
        includeResourceData: true,
        encryptionCertificate: certificate.base64,
        encryptionCertificateId: certificate.id,
      } satisfies CreateSubscriptionRequest);
      const created = createdSchema.safeParse(res.body);
      if (!created.success) throw new PresenceError('presence/invalid-response', 'Graph answered the subscription with something that is not one');
      const stored: StoredPresenceSubscription = {
        id: created.data.id,
        watcherId: w.userId,
        tenantId: w.tenantId,
        clientState,
        ids,
        expiresAt: created.data.expirationDateTime ?? expiration,
      };
      // Stored before anything is heard: a notification on any instance finds its clientState.
      await this.o.store.put(COLLECTION, stored.id.toLowerCase(), stored);
      w.subscription = stored;
      w.failedUntil = 0;
      this.o.logger.info({ subscriptionId: stored.id, people: ids.length, expiresAt: stored.expiresAt }, 'presence: live presence subscribed on behalf of a signed-in user');
      this.scheduleRenewal(w);
    } catch (err) {
      w.failedUntil = this.now() + this.retryMs;
      this.o.logger.warn({ ...describeError(err), people: ids.length }, 'presence: could not subscribe on behalf of the user; presence is polled (app-only) instead');
    }
  }

  private scheduleRenewal(w: Watcher): void {
    if (w.timer !== undefined) this.timers.clearTimeout(w.timer as never);
    const s = w.subscription;
    if (!s || this.stopped) return;
    const wait = Math.max(1_000, (Date.parse(s.expiresAt) - this.now()) * RENEW_AT_FRACTION);
    w.timer = this.timers.setTimeout(() => {
      w.timer = undefined;
      void this.serial(w, () => this.renew(w));
    }, wait);
  }

  private async renew(w: Watcher): Promise<void> {
    const s = w.subscription;
    if (!s || this.stopped) return;
    const expiration = new Date(this.now() + PRESENCE_SUBSCRIPTION_MINUTES * 60_000).toISOString();
    try {
      const res = await this.graphFor(w).patch<unknown>(`/subscriptions/${encodeURIComponent(s.id)}`, { expirationDateTime: expiration } satisfies UpdateSubscriptionRequest);
      const renewed = createdSchema.safeParse(res.body);
      s.expiresAt = (renewed.success ? renewed.data.expirationDateTime : undefined) ?? expiration;
      await this.o.store.put(COLLECTION, s.id.toLowerCase(), s);
      this.scheduleRenewal(w);
    } catch (err) {
      if (err instanceof GraphError && err.code === 'graph/not-found') {
        // Graph lost it: make a new one for the same people.
        w.subscription = undefined;
        await this.o.store.delete(COLLECTION, s.id.toLowerCase());
        await this.replace(w, s.ids);
        return;
      }
      // Usually the person's token has expired (the tab is closed): the subscription lapses, polling carries on, and
      // the next time they open the panel it is made again.
      this.o.logger.warn({ ...describeError(err), subscriptionId: s.id }, 'presence: the subscription could not be renewed; it lapses at its expiry');
    }
  }

  private serial(w: Watcher, work: () => Promise<void>): Promise<void> {
    const next = w.chain.then(work, work);
    w.chain = next.catch(() => undefined);
    return next.catch((err: unknown) => this.o.logger.warn(describeError(err), 'presence: subscription work failed'));
  }

  private refuse(reason: string, subscriptionId: string | undefined, items = 1): void {
    this.o.logger.warn({ reason, items, ...(subscriptionId ? { subscriptionId } : {}) }, 'presence: a change notification was refused and dropped');
  }
}

function sameSecret(received: string | undefined, secret: string): boolean {
  if (received === undefined) return false;
  const a = createHash('sha256').update(received, 'utf8').digest();
  const b = createHash('sha256').update(secret, 'utf8').digest();
  return timingSafeEqual(a, b);
}
