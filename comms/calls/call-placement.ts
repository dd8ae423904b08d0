// Placing calls (peer-to-peer, group, joining a meeting) and storing what Graph created. With a correlation id a
// create whose answer was lost is never sent twice: its claim waits, and the call is adopted when it turns up.
import { GraphError } from '../graph/index.js';
import { describeError } from '../runtime/errors.js';
import { context, trace } from '@opentelemetry/api';
import { inSpan, TRACE_ATTRIBUTES } from '../runtime/tracing.js';
import * as callActions from './call-actions.js';
import { CallError } from './call-error.js';
import { CALL_EVENTS } from './call-events.js';
import { newCallSession, isLive, type CallSession } from './call-session.js';
import { applyCallUpdate } from './call-state.js';
import { toInvitation, type CallTarget } from './call-targets.js';
import type { CallWatchdog } from './call-watchdog.js';
import { correlationOf, CORRELATION_PATTERN, type CreateClaims, withCorrelation } from './create-claims.js';
import { isNotFound, type KeepAliveScheduler } from './keep-alive.js';
import { classifyFailure, withRetry } from './request-retry.js';
import type { PlaceCallInput } from './call-options.js';
import type { CallChanges } from './call-changes.js';
import type { CallOperations } from './call-operations.js';
import type { CallStore } from './call-store.js';
import type { NotificationApplier } from './notification-applier.js';
import type { OrphanBuffer } from './orphan-buffer.js';
import { WATCHED_STATES, type CallCore } from './call-core.js';

const MAX_NOT_CLAIMED = 500;

export class CallPlacement {
  private readonly resolving = new Set<string>();
  /** Unknown calls already re-read and found to be no claim's (or gone): not re-read again for a while. */
  private readonly notClaimed = new Map<string, number>();

  constructor(
    private readonly core: CallCore,
    private readonly parts: {
      calls: CallStore;
      changes: CallChanges;
      ops: CallOperations;
      claims: CreateClaims;
      orphans: OrphanBuffer;
      applier: () => NotificationApplier;
      watchdog: CallWatchdog;
      keepAlive: KeepAliveScheduler;
    },
  ) {}

  /** Calls.Initiate.All · application-post-calls — a peer-to-peer call to one user or phone number. */
  placeCall(input: PlaceCallInput & { target: CallTarget }): Promise<CallSession> {
    const common = this.createCommon(input);
    return this.create(input, () => callActions.createPeerToPeerCall(this.core.graph, { ...common, target: input.target }), {
      targets: [toInvitation(input.target)],
    });
  }

  /** Calls.InitiateGroupCall.All · application-post-calls — a group call with up to 5 users. */
  placeGroupCall(input: PlaceCallInput & { targets: CallTarget[] }): Promise<CallSession> {
    const common = this.createCommon(input);
    return this.create(input, () => callActions.createGroupCall(this.core.graph, { ...common, targets: input.targets }), {
      targets: Array.isArray(input.targets) ? input.targets.map((t) => toInvitation(t)) : [],
    });
  }

  /** Calls.JoinGroupCall.All · application-post-calls — the bot joins a scheduled meeting. */
  joinMeeting(input: PlaceCallInput & { meeting: callActions.MeetingToJoin }): Promise<CallSession> {
    const common = this.createCommon({ ...input, tenantId: input.tenantId ?? input.meeting?.tenantId });
    return this.create({ ...input, tenantId: common.tenantId }, () => callActions.joinMeeting(this.core.graph, { ...common, meeting: input.meeting }), {});
  }

  /** The caller stops waiting for a create whose outcome was unknown: a call turning up later is no longer adopted. */
  async abandonCreate(correlationId: string): Promise<void> {
    await this.parts.claims.drop(correlationId);
  }

  /** The call placed or adopted for a correlation id, if any. */
  async callFor(correlationId: string): Promise<CallSession | undefined> {
    const claim = await this.parts.claims.get(correlationId);
    return claim?.callId ? this.parts.calls.get(claim.callId) : undefined;
  }

  /** A notification for an unknown call while a create is uncertain: re-read it, adopt it if its callbackUri names a claim. */
  async resolveOrphan(callId: string): Promise<void> {
    const { calls, claims } = this.parts;
    if (this.resolving.has(callId) || this.core.stopped) return;
    const checkedAt = this.notClaimed.get(callId);
    if (checkedAt !== undefined && this.core.now() - checkedAt < this.parts.orphans.ttlMs) return;
    if (this.notClaimed.size >= MAX_NOT_CLAIMED) this.notClaimed.clear();
    this.resolving.add(callId);
    try {
      if (await calls.get(callId)) return;
      let call: callActions.GraphCall;
      try {
        // Calls.Initiate.All · call-get
        call = await callActions.getCall(this.core.graph, callId);
      } catch (err) {
        if (isNotFound(err)) this.notClaimed.set(callId, this.core.now());
        else this.core.logger.warn({ err: describeError(err), callId }, 'could not re-read an unknown call');
        return;
      }
      const correlationId = correlationOf(call.callbackUri);
      const claim = correlationId ? await claims.get(correlationId) : undefined;
      if (!claim || claim.callId) this.notClaimed.set(callId, this.core.now());
      if (!claim || claim.callId || claim.status !== 'uncertain') return;
      await this.storeNewCall(call, { ...claim.session, correlationId: claim.correlationId }, true);
    } finally {
      this.resolving.delete(callId);
    }
  }

  private createCommon(input: PlaceCallInput): callActions.CreateCallCommon {
    const callbackUri = input.callbackUri ?? this.core.options.callbackUri;
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
  // Its span roots the call's trace (a child of the chat request or reminder that placed it, when that is traced).
  private create(input: PlaceCallInput, post: () => Promise<callActions.GraphCall>, extra: Partial<CallSession>): Promise<CallSession> {
    return inSpan('call place', { attributes: { [TRACE_ATTRIBUTES.direction]: 'outgoing' } }, () => this.createCall(input, post, extra));
  }

  private async createCall(input: PlaceCallInput, post: () => Promise<callActions.GraphCall>, extra: Partial<CallSession>): Promise<CallSession> {
    const { calls, claims } = this.parts;
    const fields: Partial<CallSession> = {
      tenantId: input.tenantId ?? this.core.options.tenantId,
      ...(input.subject !== undefined ? { subject: input.subject } : {}),
      ...(input.purpose !== undefined ? { purpose: input.purpose } : {}),
      context: input.context ?? {},
      ...(input.correlationId !== undefined ? { correlationId: input.correlationId } : {}),
      ...extra,
    };
    const correlationId = input.correlationId;
    if (correlationId !== undefined) {
      const existing = await claims.get(correlationId);
      if (existing?.callId) {
        const known = await calls.get(existing.callId);
        if (known) return known; // this correlation id already has its call: never a second one
      } else if (existing) {
        throw new CallError('calls/outcome-unknown', `A call for ${correlationId} may already be ringing: wait for it, or abandon it first`);
      }
      await claims.open({ correlationId, createdAt: this.core.iso(this.core.now()), status: 'sending', session: fields });
    }
    let call: callActions.GraphCall;
    try {
      call = await withRetry(post, this.parts.ops.retryOptions('placing a call', ''));
    } catch (err) {
      if (err instanceof GraphError) {
        this.core.logger.warn({ err: err.toJSON() }, 'placing a call failed');
        this.parts.changes.publish({ type: CALL_EVENTS.error, callId: '', code: err.code, message: err.message });
      }
      if (correlationId === undefined) throw err;
      if (classifyFailure(err) !== 'ambiguous') {
        await claims.drop(correlationId);
        throw err;
      }
      await claims.markUncertain(correlationId);
      // Its notifications may already be here, held as orphans.
      for (const callId of this.parts.orphans.callIds()) await this.resolveOrphan(callId);
      const claim = await claims.get(correlationId);
      const adopted = claim?.callId ? await calls.get(claim.callId) : undefined;
      if (adopted) return adopted;
      throw new CallError('calls/outcome-unknown', `Graph's answer to creating the call was lost; if the call exists it is adopted when its notifications arrive (${correlationId})`, { cause: err });
    }
    return this.storeNewCall(call, fields);
  }

  private async storeNewCall(call: callActions.GraphCall, extra: Partial<CallSession>, adopted = false): Promise<CallSession> {
    const { calls, orphans } = this.parts;
    const applier = this.parts.applier();
    const session = applyCallUpdate(
      newCallSession({ id: call.id, state: 'establishing', createdAt: this.core.iso(this.core.now()), direction: 'outgoing', ...extra }),
      { kind: 'call', callId: call.id, changeType: 'created', call },
    );
    if (!this.core.stopped && isLive(session)) session.nextKeepAliveAt = this.core.iso(this.parts.keepAlive.track(call.id));
    const { raced, stored } = await calls.withLock(call.id, async () => {
      const stored = await calls.putNew(session);
      return { raced: orphans.take(call.id), stored };
    });
    if (stored) applier.announceStored(call.id);
    trace.getActiveSpan()?.setAttribute(TRACE_ATTRIBUTES.callId, call.id);
    this.core.traces.remember(call.id, context.active(), { replace: true }); // the placing span (or the adopting notification's)
    if (session.correlationId) await this.parts.claims.settle(session.correlationId, call.id);
    if (WATCHED_STATES.has(session.state)) this.parts.watchdog.watch(call.id);
    this.core.logger.info({ callId: call.id, adopted }, adopted ? 'call adopted: its create answer was lost, its callbackUri names it' : 'call placed');
    if (adopted && stored && session.correlationId) {
      this.parts.changes.publish({ type: CALL_EVENTS.adopted, callId: call.id, correlationId: session.correlationId, state: session.state, ...(session.purpose ? { purpose: session.purpose } : {}) });
    }
    // Notifications that raced ahead of the create response.
    for (const item of raced) await applier.apply(item.notification, item.tenantId);
    return (await calls.get(call.id)) ?? session;
  }
}
