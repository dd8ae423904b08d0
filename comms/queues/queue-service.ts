// The call-queue service everyone else uses (the front desk puts callers in, the chat and the tab read status and
// sign agents in and out). A front over named parts: the stored line, entries and agents (queue-store.ts), what a
// caller hears (queue-holding.ts), offering callers to agents (queue-dispatcher.ts), handing callers over and calling
// them back (queue-connector.ts), timeout and overflow (queue-actions.ts), agents' presence and wrap-up
// (agent-tracker.ts) and today's figures (queue-stats.ts).
//
// Nothing lives only in this process: every state is in the store and changed by compare-and-set, every timer is a
// Scheduler job, and each call event is acted on by the instance that processed it (the bus's local scope). So a
// restart — or, with several instances, any instance — carries on from the stored state.
import { CALL_EVENTS, type CallSession, type CallStateEvent, type CallToneEvent } from '../calls/index.js';
import type { PersonIdentity } from '../ivr/front-desk-rules.js';
import { KeyedLock } from '../runtime/keyed-lock.js';
import { describeError } from '../runtime/errors.js';
import type { CommsEvent } from '../store/index.js';
import { AgentTracker } from './agent-tracker.js';
import { QueueActions, type ActionTarget } from './queue-actions.js';
import { QueueConnector } from './queue-connector.js';
import { JOBS, QueueCore, type CompiledQueue, type QueueServiceOptions } from './queue-core.js';
import { QueueDispatcher, alertJobId } from './queue-dispatcher.js';
import { QueueError } from './queue-error.js';
import { QueueHolding } from './queue-holding.js';
import { QueueStats, dayStats } from './queue-stats.js';
import { emptyCounters, onLine, type AgentRecord, type QueueEntry } from './queue-store.js';
import type { QueueAgentStatus, QueueStatus, WaitingCaller } from './queue-status.js';
import { presenceAllowsOffer } from './routing.js';

export type { QueueServiceOptions } from './queue-core.js';

export interface EnqueueOptions {
  /**
   * The call is still ringing (an incoming rule's `enqueue`): the queue answers it — or, when it is full and its
   * overflow is `voicemail` (or `transfer`), redirects it unanswered, the only time Graph allows a redirect.
   */
  answer?: boolean;
  /** The language the caller's menus spoke (announcements use it unless the queue names its own). */
  language?: string;
}

/** What enqueue did: the caller is in line, the queue was full (its overflow action), or nobody was signed in (its noAgents action). */
export type EnqueueOutcome = 'queued' | 'overflowed' | 'no-agents';

/** Finished callers are kept this long (the day's cards and the tab may still name them), then deleted. */
const KEEP_DONE_MS = 24 * 3600_000;
/** An agent claimed for a caller who no longer names them (an instance died between the two claims) is freed after this. */
const STRANDED_AGENT_MS = 60_000;

const TONE_KEYS: Record<string, string> = {
  tone0: '0', tone1: '1', tone2: '2', tone3: '3', tone4: '4', tone5: '5', tone6: '6', tone7: '7', tone8: '8', tone9: '9', star: '*', pound: '#',
};

export class QueueService {
  private readonly core: QueueCore;
  private readonly stats: QueueStats;
  private readonly agents: AgentTracker;
  private readonly dispatcher: QueueDispatcher;
  private readonly holding: QueueHolding;
  private readonly connector: QueueConnector;
  private readonly actions: QueueActions;
  private readonly lock = new KeyedLock();
  private readonly work = new Set<Promise<unknown>>();
  private unsubscribe?: () => void;
  private stopped = true;
  private lastTidy = 0;

  constructor(options: QueueServiceOptions) {
    this.core = new QueueCore(options);
    this.stats = new QueueStats(this.core);
    this.agents = new AgentTracker(this.core, this.stats);
    this.dispatcher = new QueueDispatcher(this.core, this.agents);
    this.holding = new QueueHolding(this.core, this.stats);
    this.connector = new QueueConnector(this.core, { agents: this.agents, dispatcher: this.dispatcher, holding: this.holding, stats: this.stats });
    this.actions = new QueueActions(this.core, {
      dispatcher: this.dispatcher,
      connector: this.connector,
      stats: this.stats,
      enqueue: (callId, queue, o) => this.place(callId, queue, o),
      newCallback: (target) => this.newCallback(target),
    });
    // Job handlers are defined before the scheduler starts (a Redis job may fire as soon as it does).
    const scheduler = options.scheduler;
    scheduler.define(JOBS.hold, (job) => this.holding.cycle(job.id));
    scheduler.define<{ entryId: string; agentId: string }>(JOBS.alert, (job) => this.dispatcher.withdraw(job.data.entryId, job.data.agentId, 'missed'));
    scheduler.define(JOBS.timeout, (job) => this.actions.timedOut(job.id));
    scheduler.define(JOBS.wrapUp, async (job) => {
      if (await this.agents.wrapUpDone(job.id)) for (const q of this.core.queuesOf(job.id)) void this.dispatcher.dispatch(q.name);
    });
    scheduler.define(JOBS.poll, () => this.pollTick());
    scheduler.define<{ queue?: string; entryId?: string; agentId?: string; correlationId?: string }>(JOBS.dispatch, async (job) => {
      if (job.data.correlationId && job.data.entryId && job.data.agentId) await this.connector.adoptWindowPassed(job.data.entryId, job.data.agentId, job.data.correlationId);
      else if (job.data.queue) await this.dispatcher.dispatch(job.data.queue);
    });
  }

  /** Re-arms every timer from the stored state (a restart, or the first start) and starts listening to calls. */
  async start(): Promise<void> {
    this.stopped = false;
    this.unsubscribe = this.core.options.bus.subscribe((event) => this.onEvent(event));
    await this.resume();
    await this.core.schedule(JOBS.poll, 'agents', this.core.now() + this.core.presencePollMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    await this.idle();
  }

  /** Resolves when the work started by events so far is done (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
    await this.dispatcher.idle();
  }

  /** The queues of the front desk in force, by name. */
  names(): string[] {
    return [...this.core.queues().keys()];
  }

  /** Every queue's live status: waiting callers in order, agents with presence and state, today's figures. */
  async status(): Promise<QueueStatus[]> {
    return (await Promise.all(this.names().map((n) => this.statusOf(n)))).filter((s): s is QueueStatus => !!s);
  }

  /** One queue's status; undefined for a queue the front desk does not have. */
  async statusOf(name: string): Promise<QueueStatus | undefined> {
    const q = this.core.queue(name);
    if (!q) return undefined;
    const now = this.core.now();
    const [line, membership, records, counters] = await Promise.all([
      this.core.store.line(name),
      this.core.store.membership(name),
      this.core.store.agents(),
      this.core.store.counters(name, this.core.day(now)),
    ]);
    const entries = await Promise.all((line?.entries ?? []).map((id) => this.core.store.entry(id)));
    const waiting: WaitingCaller[] = [];
    entries.forEach((e) => {
      if (!e || e.state === 'done') return;
      waiting.push({
        entryId: e.id,
        callId: e.callId,
        caller: e.caller,
        waitedSince: e.joinedAt,
        position: waiting.length + 1,
        state: e.state,
        hearing: e.hearing,
        offeredTo: Object.keys(e.offers),
        ...(e.callback ? { callback: { requestedAt: e.callback.requestedAt, attempts: e.callback.attempts, ...(e.callback.nextAttemptAt ? { nextAttemptAt: e.callback.nextAttemptAt } : {}) } } : {}),
      });
    });
    const byId = new Map(records.map((r) => [r.userId.toLowerCase(), r]));
    const signedOut = new Set(membership.signedOut.map((s) => s.toLowerCase()));
    const today = this.core.day(now);
    const agents: QueueAgentStatus[] = q.agents.map((a) => {
      const r: AgentRecord | undefined = byId.get(a.userId.toLowerCase());
      const signedIn = !signedOut.has(a.userId.toLowerCase());
      const state = r?.state ?? 'idle';
      return {
        userId: a.userId,
        displayName: a.displayName,
        signedIn,
        ...(r?.presence ? { presence: r.presence } : {}),
        state,
        since: r?.since ?? this.core.iso(now),
        ...(r?.busyWith && state !== 'idle' ? { busyWith: { queue: r.busyWith.queue, entryId: r.busyWith.entryId } } : {}),
        ...(r?.wrapUpUntil && state === 'wrap-up' ? { wrapUpUntil: r.wrapUpUntil } : {}),
        eligible: signedIn && state === 'idle' && (!q.config.presenceBased || presenceAllowsOffer(r?.presence?.availability)),
        today: r && r.day === today ? { answered: r.answered, missed: r.missed, declined: r.declined } : { answered: 0, missed: 0, declined: 0 },
      };
    });
    const longest = waiting.reduce((max, w) => Math.max(max, now - Date.parse(w.waitedSince)), 0);
    return {
      name,
      routing: q.config.routing,
      presenceBased: q.config.presenceBased,
      alertSeconds: q.config.alertSeconds,
      wrapUpSeconds: q.config.wrapUpSeconds,
      maxCallers: q.config.maxCallers,
      maxWaitSeconds: q.config.maxWaitSeconds,
      waiting,
      longestWaitSeconds: Math.round(longest / 1000),
      agents,
      today: dayStats(counters ?? emptyCounters(name, today), q.config.serviceLevelSeconds),
      asOf: this.core.iso(now),
    };
  }

  /** The queues a person is an agent of. */
  queuesOf(userId: string): string[] {
    return this.core.queuesOf(userId).map((q) => q.name);
  }

  /** The agent takes calls from the queue again. Throws QueueError queues/unknown-queue or queues/not-an-agent. */
  async signIn(queue: string, userId: string): Promise<QueueAgentStatus> {
    return this.setSignedIn(queue, userId, true);
  }

  /** The agent stops taking calls from the queue (a call they are on is not affected). Same errors as signIn. */
  async signOut(queue: string, userId: string): Promise<QueueAgentStatus> {
    return this.setSignedIn(queue, userId, false);
  }

  private async setSignedIn(queue: string, userId: string, signedIn: boolean): Promise<QueueAgentStatus> {
    const q = this.need(queue);
    const agent = q.agents.find((a) => a.userId.toLowerCase() === userId.toLowerCase());
    if (!agent) throw new QueueError('queues/not-an-agent', `${userId} is not an agent of the ${queue} queue: the front desk lists its agents.`);
    const key = agent.userId.toLowerCase();
    const res = await this.core.store.updateMembership(queue, (m) => {
      const out = m.signedOut.includes(key);
      if (signedIn === !out) return undefined;
      return { ...m, signedOut: signedIn ? m.signedOut.filter((s) => s !== key) : [...m.signedOut, key] };
    });
    if (res.written) this.core.changed(queue, signedIn ? 'signed-in' : 'signed-out', { agentId: agent.userId });
    if (signedIn) void this.dispatcher.dispatch(queue);
    return (await this.statusOf(queue))!.agents.find((a) => a.userId === agent.userId)!;
  }

  /**
   * Puts an answered (or, with `answer`, a ringing) call in line. A full queue takes its overflow action instead.
   * Throws QueueError queues/unknown-queue, queues/invalid-call.
   */
  async enqueue(callId: string, queue: string, options: EnqueueOptions = {}): Promise<EnqueueOutcome> {
    return this.place(callId, queue, { answer: options.answer ?? false, ...(options.language ? { language: options.language } : {}), hops: 0 });
  }

  /**
   * The agent pressed Accept on the offer card: the caller is put through to them now (their Teams rings with the
   * caller) instead of waiting for them to answer the offer call. Throws QueueError queues/offer-gone.
   */
  async accept(entryId: string, agentId: string): Promise<void> {
    const entry = await this.core.store.entry(entryId);
    const agent = entry && Object.keys(entry.offers).find((a) => a.toLowerCase() === agentId.toLowerCase());
    if (!entry || entry.state !== 'offering' || !agent) throw new QueueError('queues/offer-gone', 'That caller is no longer waiting for you: someone else took the call, or the caller left.');
    if (!(await this.connector.taken(entryId, agent, undefined))) throw new QueueError('queues/offer-gone', 'That caller was just taken by someone else, or left.');
  }

  private async anyoneSignedIn(q: CompiledQueue): Promise<boolean> {
    const signedOut = new Set((await this.core.store.membership(q.name)).signedOut.map((s) => s.toLowerCase()));
    return q.agents.some((a) => !signedOut.has(a.userId.toLowerCase()));
  }

  private need(queue: string): CompiledQueue {
    const q = this.core.queue(queue);
    if (!q) throw new QueueError('queues/unknown-queue', `There is no queue "${queue}" in the front desk${this.names().length ? ` (queues: ${this.names().join(', ')})` : ''}.`);
    return q;
  }

  private async place(callId: string, queue: string, o: { answer: boolean; language?: string; hops: number }): Promise<EnqueueOutcome> {
    const q = this.need(queue);
    const call = await this.core.calls.getCall(callId);
    if (!call || call.state === 'terminated') throw new QueueError('queues/invalid-call', `Call ${callId} has ended or is not known.`);
    const entry = this.newEntry(call, queue, o, 'greeting');
    const target: ActionTarget = { callId, queue, answered: !o.answer, ...(o.language ? { language: o.language } : {}), hops: o.hops, caller: entry.caller };
    if (q.config.noAgents && !(await this.anyoneSignedIn(q))) {
      await this.actions.noAgents(q, q.config.noAgents, target);
      return 'no-agents';
    }
    if (!(await this.core.store.putEntry(entry))) {
      const existing = await this.core.store.entry(entry.id);
      if (existing && existing.state !== 'done') return 'queued';
      await this.core.store.updateEntry(entry.id, () => entry);
    }
    // The place in line and the capacity check are one compare-and-set: two instances cannot both take the last place.
    const placed = await this.core.store.updateLine(queue, (l) => (l.entries.includes(entry.id) || onLine(l) >= q.config.maxCallers ? undefined : { ...l, entries: [...l.entries, entry.id] }));
    if (!placed.written && !placed.value?.entries.includes(entry.id)) {
      await this.core.store.updateEntry(entry.id, (e) => ({ ...e, state: 'done', outcome: 'overflowed', doneAt: this.core.iso(), updatedAt: this.core.iso() }));
      await this.actions.overflowed(q, target);
      return 'overflowed';
    }
    await this.core.calls.updateContext(callId, { purpose: 'queue', context: { queueEntry: entry.id } });
    await this.stats.record(queue, { kind: 'entered' });
    this.core.changed(queue, 'joined', { entryId: entry.id });
    await this.core.schedule(JOBS.timeout, entry.id, Date.parse(entry.joinedAt) + q.config.maxWaitSeconds * 1000);
    if (o.answer) {
      try {
        await this.core.calls.answer(callId); // the hold cycle starts when the call is established
      } catch (err) {
        await this.connector.callerEnded(entry, { type: CALL_EVENTS.state, callId, state: 'terminated', previous: call.state });
        throw err;
      }
    } else if (call.state === 'established') {
      await this.holding.start(entry.id);
    }
    void this.dispatcher.dispatch(queue);
    return 'queued';
  }

  /** A caller who took the call-back overflow: their promise waits in line without them on the line. */
  private async newCallback(target: ActionTarget): Promise<void> {
    const call = await this.core.calls.getCall(target.callId);
    if (!call) return;
    const entry = { ...this.newEntry(call, target.queue, target, 'callback-waiting'), callback: { requestedAt: this.core.iso(), attempts: 0 } };
    await this.core.store.putEntry(entry);
    await this.core.store.updateLine(target.queue, (l) => (l.entries.includes(entry.id) ? undefined : { ...l, entries: [...l.entries, entry.id], callbacks: [...(l.callbacks ?? []), entry.id] }));
    await this.stats.record(target.queue, { kind: 'callback-requested' });
    this.core.changed(target.queue, 'callback-requested', { entryId: entry.id });
    void this.dispatcher.dispatch(target.queue);
  }

  private newEntry(call: CallSession, queue: string, o: { language?: string; hops: number }, state: QueueEntry['state']): QueueEntry {
    const now = this.core.iso();
    return {
      id: o.hops === 0 ? call.id : `${call.id}.q${o.hops}`,
      queue,
      callId: call.id,
      caller: callerOf(call),
      ...(o.language ? { language: o.language } : {}),
      joinedAt: now,
      state,
      hearing: 'nothing',
      greeted: false,
      callbackOffered: false,
      offers: {},
      skipped: [],
      hops: o.hops,
      updatedAt: now,
    };
  }

  // ---- call events ------------------------------------------------------------------------------------------------

  private onEvent(event: CommsEvent): void {
    if (this.stopped) return;
    if (event.type === CALL_EVENTS.state || event.type === CALL_EVENTS.tone) {
      this.track(this.lock.run(event.callId, () => this.onCallEvent(event)));
    } else if (event.type === CALL_EVENTS.adopted && event.correlationId.startsWith('qcb.')) {
      // A call-back whose create answer was lost turned up: it is that attempt's call.
      const entryId = event.correlationId.slice(4).replace(/\.\d+$/, '');
      this.track(this.connector.customerCall(entryId, event.correlationId, event.callId));
    }
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch((err: unknown) => this.core.logger.warn({ err: describeError(err) }, 'a queue step failed'));
    this.work.add(tracked);
    void tracked.finally(() => this.work.delete(tracked));
  }

  private async onCallEvent(e: CallStateEvent | CallToneEvent): Promise<void> {
    const call = await this.core.calls.getCallRecord(e.callId);
    if (!call?.purpose?.startsWith('queue')) return;
    const state = e.type === CALL_EVENTS.state ? e : undefined;
    const transferEnded = state?.state === 'established' && (state.previous === 'transferring' || state.previous === 'transferAccepted');
    if (call.purpose === 'queue') {
      const entry = await this.core.store.entry(String(call.context.queueEntry ?? ''));
      if (!entry) return;
      if (e.type === CALL_EVENTS.tone) {
        const key = TONE_KEYS[e.tone];
        const q = this.core.queue(entry.queue);
        if (key && q?.config.callback?.key === key && entry.callbackOffered) await this.holding.requestCallback(entry);
        return;
      }
      if (state?.state === 'terminated') return this.connector.callerEnded(entry, state);
      if (transferEnded) return this.connector.callerReturned(entry);
      if (state?.state === 'established' && entry.state === 'greeting' && !entry.greeted) return this.holding.start(entry.id);
      return;
    }
    const link = (call.context.queueOffer ?? call.context.queueCallback) as { entryId?: string; agentId?: string } | undefined;
    if (!state || !link?.entryId || !link.agentId) return;
    if (call.purpose === 'queue-offer') {
      if (state.state === 'established' && !transferEnded) return void (await this.connector.taken(link.entryId, link.agentId, call.id));
      if (state.state === 'terminated') return this.connector.offerEnded(link.entryId, link.agentId, call.id, state);
    } else if (call.purpose === 'queue-callback') {
      if (transferEnded) return void (await this.core.calls.hangUp(call.id).catch(() => undefined)); // the customer is told by the end
      if (state.state === 'established') return this.connector.customerAnswered(link.entryId, link.agentId, call.id);
      if (state.state === 'terminated') return this.connector.customerEnded(link.entryId, link.agentId, call.id, state);
    }
  }

  // ---- timers -----------------------------------------------------------------------------------------------------

  private async pollTick(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.agents.poll();
    } catch (err) {
      this.core.logger.warn({ err: describeError(err) }, 'agents\' presence could not be read');
    }
    await this.tidy().catch((err: unknown) => this.core.logger.warn({ err: describeError(err) }, 'queue records could not be tidied'));
    await this.dispatcher.dispatchAll();
    if (!this.stopped) await this.core.schedule(JOBS.poll, 'agents', this.core.now() + this.core.presencePollMs);
  }

  /** Once a minute: agents stranded by a half-made claim are freed; callers finished a day ago are deleted. */
  private async tidy(): Promise<void> {
    const now = this.core.now();
    if (now - this.lastTidy < 60_000) return;
    this.lastTidy = now;
    const entries = new Map((await this.core.store.entries()).map((e) => [e.id, e]));
    for (const a of await this.core.store.agents()) {
      if ((a.state !== 'offered' && a.state !== 'connecting') || !a.busyWith || now - Date.parse(a.since) < STRANDED_AGENT_MS) continue;
      const e = entries.get(a.busyWith.entryId);
      const named = e && (e.offers[a.userId] || e.connecting?.agentId === a.userId);
      if (!named && (await this.agents.release(a.userId, a.busyWith.entryId, 'failed'))) this.core.logger.warn({ agentId: a.userId, entryId: a.busyWith.entryId }, 'freed an agent claimed for a caller who no longer names them');
    }
    for (const e of entries.values()) {
      if (e.state === 'done' && e.doneAt && now - Date.parse(e.doneAt) > KEEP_DONE_MS) await this.core.store.deleteEntry(e.id);
    }
  }

  /** Every caller's timers again, and what happened to their calls while this process was not listening. */
  private async resume(): Promise<void> {
    const now = this.core.now();
    for (const entry of await this.core.store.entries()) {
      if (entry.state === 'done') continue;
      try {
        await this.resumeEntry(entry, now);
      } catch (err) {
        this.core.logger.warn({ entryId: entry.id, err: describeError(err) }, 'a queue caller could not be resumed');
      }
    }
    for (const a of await this.core.store.agents()) {
      if (a.state === 'wrap-up' && a.wrapUpUntil) await this.core.schedule(JOBS.wrapUp, a.userId, Date.parse(a.wrapUpUntil));
    }
    void this.dispatcher.dispatchAll();
  }

  private async resumeEntry(entry: QueueEntry, now: number): Promise<void> {
    const q = this.core.queue(entry.queue);
    const ended = (s: CallSession): CallStateEvent => ({ type: CALL_EVENTS.state, callId: s.id, state: s.state, previous: s.state, ...(s.resultInfo ? { resultInfo: s.resultInfo } : {}), ...(s.terminationReason ? { terminationReason: s.terminationReason } : {}) });
    const caller = await this.core.calls.getCall(entry.callId);
    if (entry.state === 'greeting' || entry.state === 'waiting' || entry.state === 'offering' || entry.state === 'connecting') {
      if (!caller || caller.state === 'terminated') return this.connector.callerEnded(entry, caller ? ended(caller) : { type: CALL_EVENTS.state, callId: entry.callId, state: 'terminated', previous: 'established' });
      if (q) await this.core.schedule(JOBS.timeout, entry.id, Math.max(now, Date.parse(entry.joinedAt) + q.config.maxWaitSeconds * 1000));
    }
    if (entry.state === 'greeting' || entry.state === 'waiting') {
      if (caller?.state === 'established') await this.holding.start(entry.id);
      return;
    }
    if (entry.state === 'offering') {
      if (caller?.state === 'established') await this.holding.start(entry.id);
      for (const [agentId, offer] of Object.entries(entry.offers)) {
        const offerCall = offer.callId ? await this.core.calls.getCall(offer.callId) : await this.core.calls.callFor(offer.correlationId);
        if (offerCall && !offer.callId) await this.core.store.updateEntry(entry.id, (e) => (e.offers[agentId]?.correlationId === offer.correlationId ? { ...e, offers: { ...e.offers, [agentId]: { ...e.offers[agentId]!, callId: offerCall.id } } } : undefined));
        if (offerCall?.state === 'established') await this.connector.taken(entry.id, agentId, offerCall.id);
        else if (offerCall?.state === 'terminated') await this.connector.offerEnded(entry.id, agentId, offerCall.id, ended(offerCall));
        else await this.core.schedule(JOBS.alert, alertJobId(entry.id, agentId), Date.parse(offer.alertDueAt), { entryId: entry.id, agentId });
      }
      return;
    }
    if (entry.state === 'connecting' && entry.connecting) {
      // Still with the bot and not being transferred: the handover never went out (or failed unheard).
      if (caller?.state === 'established') await this.connector.returnToLine(entry.id, entry.connecting.agentId, 'the app restarted while handing the caller over');
      return;
    }
    if (entry.state === 'callback-waiting') {
      if (entry.callback?.nextAttemptAt) await this.core.scheduleDispatch(entry.queue, Date.parse(entry.callback.nextAttemptAt));
      return;
    }
    if (entry.state === 'calling-back' && entry.connecting && entry.callback) {
      const { agentId, offerCallId } = entry.connecting;
      const offerCall = offerCallId ? await this.core.calls.getCall(offerCallId) : undefined;
      if (offerCall && offerCall.state === 'terminated' && offerCall.terminationReason !== 'AppTransferred') return this.connector.offerEnded(entry.id, agentId, offerCall.id, ended(offerCall));
      const correlationId = entry.callback.correlationId;
      if (!correlationId) return this.connector.callbackAttemptFailed(entry.id, agentId, 'the app restarted before the customer was called');
      // Never a second call while the first may exist: the one placed before the restart is found by its correlation id.
      const customer = entry.callback.callId ? await this.core.calls.getCall(entry.callback.callId) : await this.core.calls.callFor(correlationId);
      if (!customer) {
        await this.core.schedule(JOBS.dispatch, `callback.${entry.id}`, now + 5_000, { entryId: entry.id, agentId, correlationId });
        return;
      }
      await this.connector.customerCall(entry.id, correlationId, customer.id);
      if (customer.state === 'terminated') await this.connector.customerEnded(entry.id, agentId, customer.id, ended(customer));
    }
  }
}

function callerOf(call: CallSession): PersonIdentity {
  const identity = (call.direction === 'outgoing' ? call.targets?.[0]?.identity : call.source?.identity) ?? {};
  const user = identity.user as { id?: string; displayName?: string } | undefined;
  const phone = identity.phone as { id?: string; displayName?: string } | undefined;
  return {
    ...(user?.id ? { userId: user.id } : {}),
    ...(phone?.id ? { phone: phone.id } : {}),
    ...((user?.displayName ?? phone?.displayName) ? { displayName: (user?.displayName ?? phone?.displayName)! } : {}),
  };
}
