// Follows meetings' call events through Graph's beta meetingCallEvents subscriptions (changenotifications-for-
// onlinemeeting): application permission only, one subscription per app per meeting, at most 3 days, and it only
// sees calls that start after it exists — so a meeting is subscribed as soon as the app meets it (`meeting.seen`).
// Rich notifications only: a basic one carries an id and Graph has no API to read a call event. Once per cluster: the
// first instance to claim the meeting's record (a compare-and-set in the store) creates the subscription; renewals
// (PATCH at 75 % of the lifetime) are durable jobs that exactly one instance runs. A meeting not seen again for
// KEEP_DAYS is let go. Notifications are checked fail-closed — validationTokens, subscription id and clientState, the
// certificate and the HMAC — then decrypted and handed to MeetingService.applyCallEvent. Refusals are logged with
// their reason and the subscription id, never with a token or the content.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { GraphError, type GraphClient } from '../graph/index.js';
import { PresenceError, decryptResource, openRichBatch, type CertificateKeyring, type ValidationTokenVerifier } from '../presence/index.js';
import { clientStateMatches } from '../records/change-notifications.js';
import { describeError, type Clock, type Logger, type Scheduler } from '../runtime/index.js';
import type { EventBus, Store } from '../store/index.js';
import { parseCallEvent, type CallEventInput } from './call-events.js';
import { MEETING_EVENTS } from './meeting-events.js';
import type { CreateSubscriptionRequest, UpdateSubscriptionRequest } from '../../graph-models/index.js';

export const CALL_EVENT_SUBSCRIPTIONS_COLLECTION = 'meetingCallEventSubscriptions';
const IDS_COLLECTION = 'meetingCallEventSubscriptionIds';
/** Graph allows 3 days (4,320 minutes); a little under, so clock skew never makes Graph refuse. */
export const CALL_EVENT_SUBSCRIPTION_MINUTES = 4_300;
const RENEW_AT_FRACTION = 0.75;
/** How long a meeting is followed after the app last met it. */
export const KEEP_DAYS = 14;
const CLAIM_MS = 60_000;
const RETRY_MS = 5 * 60_000;
const RENEW_JOB = 'meeting-call-events.renew';
/** reauthorize: Graph asked (reauthorizationRequired), so renew now rather than at renewAt. */
type RenewJob = { reauthorize?: true };

export interface StoredCallEventSubscription {
  meetingKey: string;
  joinWebUrl: string;
  /** Absent while an instance is creating it (until claimUntil). */
  id?: string;
  clientState?: string;
  expiresAt?: string;
  renewAt?: string;
  claimUntil?: number;
  /** Followed until then (KEEP_DAYS after the app last met the meeting). */
  keepUntil: string;
}

export interface CallEventSubscriptionsOptions {
  /** A client on Graph beta (https://graph.microsoft.com/beta) with the app's own token. */
  betaGraph: GraphClient;
  store: Store;
  bus: EventBus;
  scheduler: Scheduler;
  logger: Logger;
  /** Where Graph POSTs the notifications (https; http only on loopback, local mode). */
  notificationUrl: string;
  certificates: () => Promise<CertificateKeyring>;
  verifier: ValidationTokenVerifier;
  meetings: { applyCallEvent(meetingKey: string, event: CallEventInput): Promise<void> };
  now?: Clock;
}

export interface CallEventsOutcome {
  applied: number;
  ignored: number;
  refused: number;
}

const createdSchema = z.object({ id: z.string().min(1).max(256), expirationDateTime: z.string().max(64).nullish() }).loose();
const listedSchema = z.object({ value: z.array(z.object({ id: z.string().max(256), resource: z.string().max(4096).nullish() }).loose()).max(10_000) }).loose();

/** The subscription resource for a meeting: its join link URL-encoded once more (the link already holds %3a, %40…). */
export function meetingCallEventsResource(joinWebUrl: string): string {
  return `communications/onlineMeetings(joinWebUrl='${encodeURIComponent(joinWebUrl)}')/meetingCallEvents`;
}

export class MeetingCallEventSubscriptions {
  private readonly now: Clock;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly o: CallEventSubscriptionsOptions) {
    this.now = o.now ?? (() => Date.now());
    o.scheduler.define<RenewJob>(RENEW_JOB, (job) => this.renew(job.id, job.data?.reauthorize === true));
  }

  /** Listens for meetings the app meets; re-arms renewals kept in the store (the embedded scheduler forgets them). */
  async start(): Promise<void> {
    this.unsubscribe ??= this.o.bus.on(MEETING_EVENTS.seen, (seen) => void this.watch(seen.meetingKey, seen.joinWebUrl));
    for (const { value } of await this.o.store.list<StoredCallEventSubscription>(CALL_EVENT_SUBSCRIPTIONS_COLLECTION)) {
      if (value.id && value.renewAt) await this.o.scheduler.schedule(RENEW_JOB, value.meetingKey, this.nextJobAt(value), {});
    }
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** The meeting's subscription as stored (tests, diagnostics); never logged with its clientState. */
  stored(meetingKey: string): Promise<StoredCallEventSubscription | undefined> {
    return this.o.store.get<StoredCallEventSubscription>(CALL_EVENT_SUBSCRIPTIONS_COLLECTION, meetingKey);
  }

  /**
   * Makes sure the meeting's call events are followed: creates the subscription unless one lives (or another instance
   * is creating it), and keeps following it for KEEP_DAYS more. Best effort: a failure is logged and retried by a job.
   */
  async watch(meetingKey: string, joinWebUrl: string): Promise<void> {
    try {
      const now = this.now();
      const keepUntil = new Date(now + KEEP_DAYS * 86_400_000).toISOString();
      const claim = await this.o.store.update<StoredCallEventSubscription>(CALL_EVENT_SUBSCRIPTIONS_COLLECTION, meetingKey, (current) => {
        if (current?.id && current.expiresAt && Date.parse(current.expiresAt) > now) return current.keepUntil < keepUntil ? { ...current, keepUntil } : undefined;
        if (current && !current.id && (current.claimUntil ?? 0) > now) return undefined;
        return { meetingKey, joinWebUrl, claimUntil: now + CLAIM_MS, keepUntil };
      });
      if (!claim.written || claim.value?.id) return;
      await this.create(claim.value!);
    } catch (err) {
      this.o.logger.warn({ ...describeError(err), meetingKey }, 'meeting call events: could not follow the meeting');
    }
  }

  /**
   * A notification batch, after the route answered 202. A rich item needs the batch's validationTokens (all valid, or
   * the whole batch is dropped), a subscription of ours with its clientState, then a payload that verifies and
   * decrypts. Lifecycle items are acted on; basic items carry nothing to act on.
   */
  async receive(body: unknown): Promise<CallEventsOutcome> {
    const outcome: CallEventsOutcome = { applied: 0, ignored: 0, refused: 0 };
    const batch = await openRichBatch(body, this.o.verifier);
    if (batch.refused) {
      this.refuse(batch.refused.reason, undefined, batch.refused.count);
      outcome.refused += batch.refused.count;
    }
    for (const item of batch.items) {
      const meetingKey = await this.o.store.get<string>(IDS_COLLECTION, item.subscriptionId.toLowerCase());
      const stored = meetingKey ? await this.stored(meetingKey) : undefined;
      if (!stored || stored.id?.toLowerCase() !== item.subscriptionId.toLowerCase() || !stored.clientState || !clientStateMatches(item.clientState ?? undefined, stored.clientState)) {
        this.refuse(stored ? 'client-state' : 'unknown-subscription', item.subscriptionId);
        outcome.refused += 1;
        continue;
      }
      if (item.lifecycleEvent) {
        await this.lifecycle(stored, item.lifecycleEvent);
        outcome.ignored += 1;
        continue;
      }
      if (item.encryptedContent === undefined) {
        outcome.ignored += 1; // a basic item: only an id, and no API to read it
        continue;
      }
      let payload: unknown;
      try {
        payload = decryptResource(item.encryptedContent, await this.o.certificates());
      } catch (err) {
        if (!(err instanceof PresenceError)) throw err;
        this.refuse(err.reason ?? err.code, item.subscriptionId);
        outcome.refused += 1;
        continue;
      }
      const event = parseCallEvent(payload, this.now);
      if (!event) {
        outcome.ignored += 1; // an event type the app does not act on
        continue;
      }
      await this.o.meetings.applyCallEvent(stored.meetingKey, event);
      outcome.applied += 1;
    }
    return outcome;
  }

  // ── Graph ────────────────────────────────────────────────────────────────────────────────────────────────────

  private async create(record: StoredCallEventSubscription, retried = false): Promise<void> {
    const { meetingKey, joinWebUrl } = record;
    const now = this.now();
    const clientState = randomBytes(32).toString('base64url');
    const expiration = new Date(now + CALL_EVENT_SUBSCRIPTION_MINUTES * 60_000).toISOString();
    const resource = meetingCallEventsResource(joinWebUrl);
    try {
      const { current: certificate } = await this.o.certificates();
      // OnlineMeetings.Read.All (application; delegated not supported) · subscription-post-subscriptions (beta)
      const res = await this.o.betaGraph.post<unknown>('/subscriptions', {
        changeType: 'updated',
        notificationUrl: this.o.notificationUrl,
        // reauthorizationRequired reaches every resource's subscriptions (change-notifications-lifecycle-events).
        lifecycleNotificationUrl: this.o.notificationUrl,
        resource,
        expirationDateTime: expiration,
        clientState,
        includeResourceData: true,
        encryptionCertificate: certificate.base64,
        encryptionCertificateId: certificate.id,
      } satisfies CreateSubscriptionRequest);
      const created = createdSchema.safeParse(res.body);
      if (!created.success) throw new GraphError('graph/invalid-response', 'Graph created a subscription but did not say its id', { status: res.status });
      const expiresAt = created.data.expirationDateTime && Date.parse(created.data.expirationDateTime) > now ? new Date(created.data.expirationDateTime).toISOString() : expiration;
      const renewAt = new Date(now + (Date.parse(expiresAt) - now) * RENEW_AT_FRACTION).toISOString();
      // The id's index first: a notification may arrive as soon as Graph answered, on any instance.
      await this.o.store.put(IDS_COLLECTION, created.data.id.toLowerCase(), meetingKey);
      await this.o.store.put<StoredCallEventSubscription>(CALL_EVENT_SUBSCRIPTIONS_COLLECTION, meetingKey, { meetingKey, joinWebUrl, id: created.data.id, clientState, expiresAt, renewAt, keepUntil: record.keepUntil });
      if (record.id && record.id !== created.data.id) await this.o.store.delete(IDS_COLLECTION, record.id.toLowerCase());
      await this.o.scheduler.schedule(RENEW_JOB, meetingKey, Math.min(Date.parse(renewAt), Date.parse(record.keepUntil)), {});
      this.o.logger.info({ meetingKey, subscriptionId: created.data.id, expiresAt }, 'meeting call events: subscribed');
    } catch (err) {
      if (!retried && err instanceof GraphError && err.status === 409 && (await this.dropLost(resource))) {
        await this.create(record, true);
        return;
      }
      this.o.logger.warn({ ...describeError(err), meetingKey }, 'meeting call events: could not subscribe; trying again later');
      await this.o.scheduler.schedule(RENEW_JOB, meetingKey, now + RETRY_MS, {}).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Graph holds a subscription of ours for the meeting that the store does not (a lost store, a crash between Graph's
   * answer and the write): its clientState is unknown, so it is deleted and made again.
   */
  private async dropLost(resource: string): Promise<boolean> {
    const listed = listedSchema.safeParse(await this.o.betaGraph.get<unknown>('/subscriptions'));
    const lost = listed.success ? listed.data.value.find((s) => s.resource === resource) : undefined;
    if (!lost) return false;
    // OnlineMeetings.Read.All · subscription-delete (beta)
    await this.o.betaGraph.delete(`/subscriptions/${encodeURIComponent(lost.id)}`);
    return true;
  }

  /** The renewal job (one instance of the cluster runs it): PATCH, or make it again when Graph lost it or none exists. */
  private async renew(meetingKey: string, reauthorize = false): Promise<void> {
    const stored = await this.stored(meetingKey);
    if (!stored) return;
    const now = this.now();
    if (Date.parse(stored.keepUntil) <= now) {
      await this.forget(stored);
      return;
    }
    if (!stored.id) {
      await this.create(stored).catch(() => undefined);
      return;
    }
    if (!reauthorize && stored.renewAt && Date.parse(stored.renewAt) > now) {
      // Woken to let the meeting go, but it was met again meanwhile: wait for the renewal (or the new keepUntil).
      await this.o.scheduler.schedule(RENEW_JOB, meetingKey, this.nextJobAt(stored), {});
      return;
    }
    const expiration = new Date(now + CALL_EVENT_SUBSCRIPTION_MINUTES * 60_000).toISOString();
    try {
      // OnlineMeetings.Read.All · subscription-update (beta; renewing also reauthorizes)
      const res = await this.o.betaGraph.patch<unknown>(`/subscriptions/${encodeURIComponent(stored.id)}`, { expirationDateTime: expiration } satisfies UpdateSubscriptionRequest, { repeatable: true });
      const renewed = createdSchema.partial().safeParse(res.body ?? {});
      const granted = renewed.success && renewed.data.expirationDateTime ? Date.parse(renewed.data.expirationDateTime) : Number.NaN;
      const expiresAt = Number.isFinite(granted) && granted > now ? new Date(granted).toISOString() : expiration;
      const renewAt = new Date(now + (Date.parse(expiresAt) - now) * RENEW_AT_FRACTION).toISOString();
      const next: StoredCallEventSubscription = { ...stored, expiresAt, renewAt };
      await this.o.store.put<StoredCallEventSubscription>(CALL_EVENT_SUBSCRIPTIONS_COLLECTION, meetingKey, next);
      await this.o.scheduler.schedule(RENEW_JOB, meetingKey, this.nextJobAt(next), {});
    } catch (err) {
      if ((err instanceof GraphError && err.code === 'graph/not-found') || (stored.expiresAt && Date.parse(stored.expiresAt) <= now)) {
        await this.create(stored).catch(() => undefined);
        return;
      }
      this.o.logger.warn({ ...describeError(err), meetingKey, subscriptionId: stored.id }, 'meeting call events: renewing failed; trying again later');
      await this.o.scheduler.schedule(RENEW_JOB, meetingKey, now + RETRY_MS, {});
    }
  }

  /** The renewal, or letting the meeting go if that comes first. */
  private nextJobAt(s: StoredCallEventSubscription): number {
    return Math.min(s.renewAt ? Date.parse(s.renewAt) : this.now(), Date.parse(s.keepUntil));
  }

  private async lifecycle(stored: StoredCallEventSubscription, event: string): Promise<void> {
    this.o.logger.info({ meetingKey: stored.meetingKey, subscriptionId: stored.id, lifecycleEvent: event.slice(0, 64) }, 'meeting call events: lifecycle notification');
    // Until it is renewed Graph holds the notifications back; the job renews now, on whichever instance runs it.
    if (event === 'reauthorizationRequired') await this.o.scheduler.schedule<RenewJob>(RENEW_JOB, stored.meetingKey, this.now(), { reauthorize: true });
    if (event === 'subscriptionRemoved') await this.create(stored).catch(() => undefined);
  }

  private async forget(stored: StoredCallEventSubscription): Promise<void> {
    if (stored.id) {
      try {
        // OnlineMeetings.Read.All · subscription-delete (beta)
        await this.o.betaGraph.delete(`/subscriptions/${encodeURIComponent(stored.id)}`);
      } catch (err) {
        if (!(err instanceof GraphError && err.code === 'graph/not-found')) this.o.logger.warn({ ...describeError(err), subscriptionId: stored.id }, 'meeting call events: could not delete the subscription; it lapses at its expiry');
      }
      await this.o.store.delete(IDS_COLLECTION, stored.id.toLowerCase());
    }
    await this.o.store.delete(CALL_EVENT_SUBSCRIPTIONS_COLLECTION, stored.meetingKey);
    this.o.logger.info({ meetingKey: stored.meetingKey }, 'meeting call events: no longer followed (not seen for a while)');
  }

  private refuse(reason: string, subscriptionId?: string, items = 1): void {
    this.o.logger.warn({ reason, items, ...(subscriptionId ? { subscriptionId: subscriptionId.slice(0, 128) } : {}) }, 'meeting call events: a change notification was refused and dropped');
  }
}
