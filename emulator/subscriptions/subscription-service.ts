// Change-notification subscriptions (subscription-post-subscriptions, subscription-update, subscription-delete,
// subscription-reauthorize): validated like Graph, created only after the notificationUrl (and lifecycleNotificationUrl)
// handshake, removed when they expire. Publishes `created` for each new call record and `updated` for presence
// changes (with includeResourceData: the presence encrypted under the subscription's certificate, and the batch's
// validationTokens), `updated` callEvents for a meeting's call (beta meetingCallEvents: only calls that start after the
// subscription; rich or basic), and lifecycle notifications (reauthorizationRequired, subscriptionRemoved, missed) on
// request.

import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { Json } from '../calls/call-model.js';
import type { Cancel, Scheduler } from '../calls/scheduler.js';
import { EmulatorError } from '../emulator-error.js';
import type { EmulatorLogger } from '../emulator-options.js';
import type { GraphVersion } from '../graph/graph-area.js';
import type { GraphPrincipal } from '../graph/graph-auth.js';
import { GraphError } from '../graph/graph-error.js';
import { encryptResource, readEncryptionCertificate, type EncryptionCertificate } from './encrypted-content.js';
import type { DeliveryRecord, SubscriptionRecord } from './subscription-model.js';
import { checkExpiration, parseChangeTypes, requireSubscribePermission, resourceRule } from './subscription-rules.js';
import { validateEndpoint } from './validation-handshake.js';
import type { WebhookDelivery } from './webhook-delivery.js';

export interface NewSubscription {
  changeType: string;
  notificationUrl: string;
  resource: string;
  expirationDateTime: string;
  clientState?: string | null | undefined;
  lifecycleNotificationUrl?: string | null | undefined;
  latestSupportedTlsVersion?: string | null | undefined;
  includeResourceData?: boolean | null | undefined;
  encryptionCertificate?: string | null | undefined;
  encryptionCertificateId?: string | null | undefined;
}

/** One change in a meeting call's roster, as participants@delta carries it (changenotifications-for-onlinemeeting). */
export interface CallEventParticipant {
  id: string;
  info: { identity: { user: { id: string; displayName: string; tenantId: string } } };
  isInLobby: boolean;
  removedState?: { reason: string };
}

/** What happened in a meeting's call; callChainId says which call (a meeting that empties starts a new one). */
export interface MeetingCallEvent {
  eventType: 'callStarted' | 'callEnded' | 'rosterUpdated';
  callChainId: string;
  participants?: CallEventParticipant[];
}

/** A presence as rich notifications carry it. */
export interface PresenceData {
  availability: string;
  activity: string;
}

export interface SubscriptionServiceDeps {
  tenantId: string;
  scheduler: Scheduler;
  delivery: WebhookDelivery;
  dispatcher: Dispatcher;
  validationTimeoutMs: number;
  /** Graph's documented @odata.type spelling in callRecord notifications (changenotifications-for-callrecords). */
  documentedCallRecordType: boolean;
  isAllowedUrl(url: string): boolean;
  servicePrincipalId(appId: string): string | undefined;
  /** The meeting (its chat thread) behind a join link, for meetingCallEvents; undefined when there is none. */
  meetingByJoinUrl(joinWebUrl: string): { threadId: string } | undefined;
  /** A validationTokens JWT for the app (the identity issuer signs it). */
  validationToken(appId: string): Promise<string>;
  logger: EmulatorLogger;
  closing: AbortSignal;
  emit(type: string, fields: Record<string, unknown>): void;
}

const MAX_DELIVERIES_KEPT = 200;
const MAX_ENDED_KEPT = 200;
/** setTimeout's limit; a later expiry is re-armed when it is reached. */
const MAX_TIMER_MS = 2_147_483_647;

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export class SubscriptionService {
  private readonly active = new Map<string, SubscriptionRecord>();
  private readonly ended: SubscriptionRecord[] = [];
  private readonly timers = new Map<string, Cancel>();
  /** Subscription id → the certificate its notifications are encrypted with. */
  private readonly certificates = new Map<string, EncryptionCertificate>();
  private seq = 0;
  /** The last call event's time: each is later than the one before (notifications may arrive in any order). */
  private lastCallEventAt = 0;

  constructor(private readonly deps: SubscriptionServiceDeps) {}

  async create(principal: GraphPrincipal, body: NewSubscription, version: GraphVersion = 'v1.0'): Promise<SubscriptionRecord> {
    const rule = resourceRule(body.resource, version);
    requireSubscribePermission(principal, rule);
    const changeTypes = parseChangeTypes(body.changeType, rule);
    let certificate: EncryptionCertificate | undefined;
    if (body.includeResourceData) {
      if (!rule.resourceData) throw new GraphError(400, 'InvalidRequest', `includeResourceData is not supported for the resource '${body.resource}': subscribe without it and read the resource when notified.`);
      certificate = readEncryptionCertificate(body.encryptionCertificate, body.encryptionCertificateId);
    }
    if (rule.kind === 'presence' && principal.userId) {
      // "A single user can create one presence subscription per unique application" (changenotifications-for-presence);
      // the answer is the one reported in microsoft-graph-docs-contrib#2219.
      const mine = [...this.active.values()].some((s) => s.kind === 'presence' && s.appId.toLowerCase() === principal.appId.toLowerCase() && s.creatorId.toLowerCase() === principal.userId!.toLowerCase());
      if (mine) throw new GraphError(409, 'ExtensionError', 'Operation: Create; Exception: [Status Code: Conflict; Reason: A subscripton already exists. It must be deleted before a another can be made]');
    }
    let meetingThreadId: string | undefined;
    if (rule.kind === 'meetingCallEvents') {
      const meeting = this.deps.meetingByJoinUrl(rule.joinWebUrl!);
      // What Graph answers for a link to no meeting is not documented: a 404 naming the link (chosen).
      if (!meeting) throw new GraphError(404, 'ResourceNotFound', 'There is no online meeting with the joinWebUrl in the resource.');
      meetingThreadId = meeting.threadId;
      // "One subscription allowed per application per online meeting" (subscription quotas); Graph's answer to a
      // second one is not documented: 409 like the presence quota (chosen).
      const mine = [...this.active.values()].find((s) => s.kind === 'meetingCallEvents' && s.appId.toLowerCase() === principal.appId.toLowerCase() && s.meetingThreadId?.toLowerCase() === meeting.threadId.toLowerCase());
      if (mine) throw new GraphError(409, 'ExtensionError', `Operation: Create; Exception: [Status Code: Conflict; Reason: The application already has a meetingCallEvents subscription (${mine.id}) for this online meeting: renew it (PATCH) or delete it before creating another.]`);
    }
    for (const [name, url] of [['notificationUrl', body.notificationUrl], ['lifecycleNotificationUrl', body.lifecycleNotificationUrl]] as const) {
      if (url && !this.deps.isAllowedUrl(url)) {
        throw new GraphError(400, 'InvalidRequest', `${name} '${url}' is not valid: it must be an https URL (the emulator also accepts http on 127.0.0.1 for local mode).`);
      }
    }
    const expirationDateTime = checkExpiration(body.expirationDateTime, rule);
    for (const url of [body.notificationUrl, body.lifecycleNotificationUrl]) {
      if (!url) continue;
      const result = await validateEndpoint(url, this.deps.validationTimeoutMs, this.deps.dispatcher, this.deps.closing);
      this.deps.emit('subscription.validation', { url: url.split('?')[0], ok: result.ok, detail: result.ok ? undefined : result.detail });
      if (!result.ok) throw result.error;
    }
    const subscription: SubscriptionRecord = {
      id: randomUUID(),
      appId: principal.appId,
      creatorId: principal.kind === 'delegated' ? principal.userId ?? principal.appId : this.deps.servicePrincipalId(principal.appId) ?? principal.appId,
      tenantId: this.deps.tenantId,
      kind: rule.kind,
      resource: body.resource,
      ...(rule.presenceIds ? { presenceIds: rule.presenceIds } : {}),
      ...(meetingThreadId ? { meetingThreadId } : {}),
      changeType: changeTypes.join(','),
      changeTypes,
      notificationUrl: body.notificationUrl,
      ...(body.lifecycleNotificationUrl ? { lifecycleNotificationUrl: body.lifecycleNotificationUrl } : {}),
      ...(body.clientState !== undefined && body.clientState !== null ? { clientState: body.clientState } : {}),
      expirationDateTime,
      latestSupportedTlsVersion: body.latestSupportedTlsVersion ?? 'v1_2',
      ...(certificate ? { includeResourceData: true, encryptionCertificate: certificate.base64, encryptionCertificateId: certificate.id } : {}),
      state: 'active',
      awaitingReauthorization: false,
      createdAt: new Date().toISOString(),
      deliveries: [],
    };
    this.active.set(subscription.id, subscription);
    if (certificate) this.certificates.set(subscription.id, certificate);
    this.armExpiry(subscription);
    this.deps.emit('subscription.created', { subscriptionId: subscription.id, resource: subscription.resource, expirationDateTime });
    return subscription;
  }

  /** The app's own active subscription (Graph): 404 otherwise. */
  get(id: string, appId: string): SubscriptionRecord {
    const subscription = this.active.get(id.toLowerCase()) ?? [...this.active.values()].find((s) => s.id.toLowerCase() === id.toLowerCase());
    if (!subscription || subscription.appId.toLowerCase() !== appId.toLowerCase()) {
      throw new GraphError(404, 'ResourceNotFound', `The subscription '${id}' was not found.`);
    }
    return subscription;
  }

  list(appId: string): SubscriptionRecord[] {
    return [...this.active.values()].filter((s) => s.appId.toLowerCase() === appId.toLowerCase());
  }

  /** PATCH: renews (and so reauthorizes) the subscription; a rich one may also rotate its certificate. */
  renew(subscription: SubscriptionRecord, expiration: string, rotate?: { encryptionCertificate?: string | null; encryptionCertificateId?: string | null }): SubscriptionRecord {
    const next = rotate?.encryptionCertificate || rotate?.encryptionCertificateId ? readEncryptionCertificate(rotate.encryptionCertificate, rotate.encryptionCertificateId) : undefined;
    if (next && !subscription.includeResourceData) throw new GraphError(400, 'InvalidRequest', 'The subscription was created without includeResourceData: it has no certificate to replace.');
    subscription.expirationDateTime = checkExpiration(expiration, resourceRule(subscription.resource, subscription.kind === 'meetingCallEvents' ? 'beta' : 'v1.0'));
    if (next) {
      subscription.encryptionCertificate = next.base64;
      subscription.encryptionCertificateId = next.id;
      this.certificates.set(subscription.id, next);
    }
    subscription.awaitingReauthorization = false;
    this.armExpiry(subscription);
    this.deps.emit('subscription.renewed', { subscriptionId: subscription.id, expirationDateTime: subscription.expirationDateTime });
    return subscription;
  }

  reauthorize(subscription: SubscriptionRecord): void {
    subscription.awaitingReauthorization = false;
    this.deps.emit('subscription.reauthorized', { subscriptionId: subscription.id });
  }

  delete(subscription: SubscriptionRecord): void {
    this.end(subscription, 'deleted');
  }

  // ── publishing ───────────────────────────────────────────────────────────────────────────────────────────────

  callRecordCreated(recordId: string): void {
    const type = this.deps.documentedCallRecordType ? '#Microsoft.Graph.callrecord' : '#microsoft.graph.callrecords.callRecord';
    for (const s of this.active.values()) {
      if (s.kind !== 'callRecords' || !s.changeTypes.includes('created')) continue;
      const resource = `communications/callRecords/${recordId}`;
      this.change(s, 'created', resource, { '@odata.type': type, '@odata.id': resource, id: recordId });
    }
  }

  /** changenotifications-for-presence: the basic item names the user; a rich one also carries the presence, encrypted. */
  presenceChanged(userId: string, presence: PresenceData): void {
    const key = userId.toLowerCase();
    for (const s of this.active.values()) {
      if (s.kind !== 'presence' || !s.presenceIds?.includes(key)) continue;
      const resourceData = { '@odata.id': `users/${userId}/presence`, '@odata.type': '#microsoft.graph.presence', id: userId };
      const certificate = s.includeResourceData ? this.certificates.get(s.id) : undefined;
      const encrypted = certificate ? encryptResource({ ...resourceData, availability: presence.availability, activity: presence.activity }, certificate) : undefined;
      this.change(s, 'updated', `communications/presences/${userId}`, resourceData, { organizationId: s.tenantId, ...(encrypted ? { encryptedContent: encrypted } : {}) });
    }
  }

  /**
   * changenotifications-for-onlinemeeting: a subscription follows the first call of the meeting that starts after it
   * (callStarted), then that call's roster changes and its end; calls already going when it was made are not seen.
   * The resource and @odata.id echo the subscription's resource; the event itself travels only encrypted (a basic
   * item carries just an id, and Graph has no API to read a call event).
   */
  meetingCallEvent(threadId: string, event: MeetingCallEvent): void {
    const thread = threadId.toLowerCase();
    this.lastCallEventAt = Math.max(Date.now(), this.lastCallEventAt + 1);
    const eventDateTime = new Date(this.lastCallEventAt).toISOString();
    for (const s of this.active.values()) {
      if (s.kind !== 'meetingCallEvents' || s.meetingThreadId?.toLowerCase() !== thread) continue;
      if (event.eventType === 'callStarted') s.followedCallChainId = event.callChainId;
      if (s.followedCallChainId !== event.callChainId) continue;
      const resource = s.resource.trim().replace(/^\/+/, '');
      const id = randomUUID();
      const resourceData = { '@odata.id': resource, '@odata.type': '#microsoft.graph.callevent', id };
      const certificate = s.includeResourceData ? this.certificates.get(s.id) : undefined;
      const content = {
        ...resourceData,
        eventType: event.eventType,
        eventDateTime,
        ...(event.participants ? { 'participants@delta': event.participants } : {}),
      };
      const encrypted = certificate ? encryptResource(content, certificate) : undefined;
      this.change(s, 'updated', resource, resourceData, { organizationId: s.tenantId, ...(encrypted ? { encryptedContent: encrypted } : {}) });
    }
  }

  /** Control API: a lifecycle notification to the subscription's lifecycleNotificationUrl. */
  lifecycle(id: string, event: LifecycleEvent): SubscriptionRecord {
    const subscription = this.controlGet(id);
    if (!subscription.lifecycleNotificationUrl) {
      throw new EmulatorError('emulator/no-lifecycle-url', `Subscription ${id} has no lifecycleNotificationUrl: lifecycle notifications go only to subscriptions created with one.`, 409);
    }
    const record = this.record(subscription, { kind: 'lifecycle', lifecycleEvent: event, url: subscription.lifecycleNotificationUrl });
    const item: Json = {
      subscriptionId: subscription.id,
      subscriptionExpirationDateTime: subscription.expirationDateTime,
      tenantId: subscription.tenantId,
      clientState: subscription.clientState ?? null,
      lifecycleEvent: event,
    };
    this.deps.delivery.deliver(subscription.lifecycleNotificationUrl, { value: [item] }, record, () => true);
    if (event === 'reauthorizationRequired') subscription.awaitingReauthorization = true;
    if (event === 'subscriptionRemoved') this.end(subscription, 'removed');
    this.deps.emit('subscription.lifecycle', { subscriptionId: subscription.id, event });
    return subscription;
  }

  /** Control API: the subscription expires now. */
  expireNow(id: string): SubscriptionRecord {
    const subscription = this.controlGet(id);
    this.end(subscription, 'expired');
    return subscription;
  }

  /** Every subscription, active first, then recently ended ones (control API). */
  all(): SubscriptionRecord[] {
    return [...this.active.values(), ...[...this.ended].reverse()];
  }

  /** The active subscriptions without their delivery history (the emulator's saved state). */
  snapshot(): SubscriptionRecord[] {
    return [...this.active.values()].map((s) => ({ ...s, deliveries: [] }));
  }

  /** Active subscriptions read back from the saved state (start-up only); one that expired meanwhile is not kept. */
  restore(subscriptions: SubscriptionRecord[]): number {
    let kept = 0;
    for (const saved of subscriptions) {
      if (!(Date.parse(saved.expirationDateTime) > Date.now())) continue;
      const subscription: SubscriptionRecord = { ...saved, state: 'active', deliveries: [] };
      if (subscription.includeResourceData) {
        try {
          this.certificates.set(subscription.id, readEncryptionCertificate(subscription.encryptionCertificate, subscription.encryptionCertificateId));
        } catch {
          continue; // a saved certificate that no longer reads: the subscription is not kept
        }
      }
      this.active.set(subscription.id, subscription);
      this.armExpiry(subscription);
      kept += 1;
    }
    return kept;
  }

  close(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  private controlGet(id: string): SubscriptionRecord {
    const subscription = [...this.active.values()].find((s) => s.id.toLowerCase() === id.toLowerCase());
    if (!subscription) throw new EmulatorError('emulator/unknown-subscription', `There is no active subscription '${id}': GET /emulator/subscriptions lists them.`, 404);
    return subscription;
  }

  private change(s: SubscriptionRecord, changeType: string, resource: string, resourceData: Json, extra: Json = {}): void {
    const record = this.record(s, { kind: 'change', changeType, resource, url: s.notificationUrl });
    if (s.awaitingReauthorization) {
      // Delivery is paused until the app reauthorizes (or renews); what happens meanwhile is lost, as Graph documents.
      record.status = 'lost';
      record.error = 'the subscription awaits reauthorization';
      return;
    }
    const item: Json = {
      subscriptionId: s.id,
      subscriptionExpirationDateTime: s.expirationDateTime,
      clientState: s.clientState ?? null,
      changeType,
      resource,
      resourceData,
      tenantId: s.tenantId,
      ...extra,
    };
    const stillWanted = () => s.state === 'active' && !s.awaitingReauthorization;
    if (!s.includeResourceData) {
      this.deps.delivery.deliver(s.notificationUrl, { value: [item] }, record, stillWanted);
      return;
    }
    // One validation token per app and tenant in the batch (here: one item, one app).
    this.deps.validationToken(s.appId).then(
      (token) => this.deps.delivery.deliver(s.notificationUrl, { value: [item], validationTokens: [token] }, record, stillWanted),
      (err: Error) => {
        record.status = 'failed';
        record.error = `no validation token: ${err.message}`;
      },
    );
  }

  private record(s: SubscriptionRecord, fields: Pick<DeliveryRecord, 'kind' | 'changeType' | 'lifecycleEvent' | 'resource'> & { url: string }): DeliveryRecord {
    const record: DeliveryRecord = {
      seq: ++this.seq,
      time: new Date().toISOString(),
      kind: fields.kind,
      ...(fields.changeType ? { changeType: fields.changeType } : {}),
      ...(fields.lifecycleEvent ? { lifecycleEvent: fields.lifecycleEvent } : {}),
      ...(fields.resource ? { resource: fields.resource } : {}),
      url: fields.url.split('?')[0]!,
      status: 'queued',
      attempts: 0,
    };
    s.deliveries.push(record);
    if (s.deliveries.length > MAX_DELIVERIES_KEPT) s.deliveries.splice(0, s.deliveries.length - MAX_DELIVERIES_KEPT);
    return record;
  }

  private armExpiry(s: SubscriptionRecord): void {
    this.timers.get(s.id)?.();
    const arm = () => {
      const wait = Date.parse(s.expirationDateTime) - Date.now();
      this.timers.set(s.id, this.deps.scheduler.after(Math.min(Math.max(0, wait), MAX_TIMER_MS), () => {
        if (s.state !== 'active') return;
        if (Date.parse(s.expirationDateTime) > Date.now()) arm();
        else this.end(s, 'expired');
      }));
    };
    arm();
  }

  private end(s: SubscriptionRecord, state: 'expired' | 'deleted' | 'removed'): void {
    if (s.state !== 'active') return;
    s.state = state;
    s.endedAt = new Date().toISOString();
    this.active.delete(s.id);
    this.certificates.delete(s.id);
    this.timers.get(s.id)?.();
    this.timers.delete(s.id);
    this.ended.push(s);
    if (this.ended.length > MAX_ENDED_KEPT) this.ended.splice(0, this.ended.length - MAX_ENDED_KEPT);
    this.deps.emit(`subscription.${state}`, { subscriptionId: s.id });
  }
}

/** The subscription as Graph prints it. */
export function subscriptionJson(s: SubscriptionRecord, context?: string): Json {
  return {
    ...(context ? { '@odata.context': context } : {}),
    id: s.id,
    resource: s.resource,
    applicationId: s.appId,
    changeType: s.changeType,
    clientState: s.clientState ?? null,
    notificationUrl: s.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl ?? null,
    expirationDateTime: s.expirationDateTime,
    creatorId: s.creatorId,
    includeResourceData: s.includeResourceData ?? false,
    latestSupportedTlsVersion: s.latestSupportedTlsVersion,
    encryptionCertificate: s.encryptionCertificate ?? null,
    encryptionCertificateId: s.encryptionCertificateId ?? null,
    notificationUrlAppId: null,
  };
}
