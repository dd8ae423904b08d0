// Offering callers to agents. A dispatch pass takes the queue's line in order and, for each caller not being offered,
// picks free agents by the routing method, claims them (compare-and-set, so never two callers for one agent), claims
// the caller, and rings each agent: the bot places a call to them (application-post-calls) whose answer is the
// acceptance. Graph gives a call no ring timeout of ours, so the alert time is a Scheduler job that hangs the offer
// call up (call-delete cancels a call still ringing), marks the agent missed and moves on.
import { randomUUID } from 'node:crypto';
import { getPresences } from '../presence/index.js';
import { KeyedLock } from '../runtime/keyed-lock.js';
import { describeError } from '../runtime/errors.js';
import type { AgentTracker, ReleaseReason } from './agent-tracker.js';
import { JOBS, type CompiledQueue, type QueueCore } from './queue-core.js';
import type { OfferState } from './queue-events.js';
import type { EntryOffer, QueueEntry } from './queue-store.js';
import { chooseAgents, presenceAllowsOffer, type Candidate } from './routing.js';

/** After an offer could not be placed at all, the next pass waits this long (no tight retry loop). */
const PLACE_FAILURE_BACKOFF_MS = 2_000;

export function alertJobId(entryId: string, agentId: string): string {
  return `${entryId}.${agentId}`;
}

/** A caller who may be offered now (not being offered, no call-back attempt due later). */
function offerable(e: QueueEntry, now: number): boolean {
  if (Object.keys(e.offers).length > 0 || e.connecting) return false;
  if (e.state === 'greeting' || e.state === 'waiting') return true;
  return e.state === 'callback-waiting' && (!e.callback?.nextAttemptAt || Date.parse(e.callback.nextAttemptAt) <= now);
}

export class QueueDispatcher {
  private readonly lock = new KeyedLock();
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly core: QueueCore,
    private readonly agents: AgentTracker,
  ) {}

  /** One pass at a time per queue on this instance; passes on other instances are made safe by the claims. */
  dispatch(queue: string): Promise<void> {
    const run = this.lock.run(queue, () => this.pass(queue)).catch((err: unknown) => this.core.logger.warn({ queue, err: describeError(err) }, 'a queue dispatch pass failed'));
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return run;
  }

  async dispatchAll(): Promise<void> {
    await Promise.all([...this.core.queues().keys()].map((q) => this.dispatch(q)));
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async pass(name: string): Promise<void> {
    const q = this.core.queue(name);
    const line = await this.core.store.line(name);
    if (!q || !line || line.entries.length === 0) return;
    const now = this.core.now();
    const entries = (await Promise.all(line.entries.map((id) => this.core.store.entry(id)))).filter((e): e is QueueEntry => !!e && offerable(e, now));
    if (entries.length === 0) return;
    const free = await this.freeAgents(q);
    if (free.length === 0) return;
    const placing: Array<Promise<void>> = [];
    let lastAgent = line.lastAgent;
    let pool = free;
    for (const entry of entries) {
      if (pool.length === 0) break;
      const choice = chooseAgents({ method: q.config.routing, order: q.agents.map((a) => a.userId), free: pool, skipped: entry.skipped, lastAgent });
      pool = pool.filter((c) => !choice.agents.includes(c.userId));
      const claimed: string[] = [];
      for (const agentId of choice.agents) if (await this.agents.claim(agentId, { queue: name, entryId: entry.id })) claimed.push(agentId);
      if (claimed.length === 0) continue;
      const alertDueAt = this.core.iso(now + q.config.alertSeconds * 1000);
      const offers: Record<string, EntryOffer> = {};
      for (const agentId of claimed) offers[agentId] = { correlationId: `qo.${entry.id}.${randomUUID().slice(0, 8)}`, since: this.core.iso(now), alertDueAt };
      const res = await this.core.store.updateEntry(entry.id, (e) =>
        offerable(e, this.core.now()) ? { ...e, state: 'offering', offers, skipped: choice.restarted ? [] : e.skipped, updatedAt: this.core.iso() } : undefined,
      );
      if (!res.written) {
        for (const agentId of claimed) await this.agents.release(agentId, entry.id, 'taken');
        continue;
      }
      lastAgent = claimed.at(-1);
      this.core.changed(name, 'offered', { entryId: entry.id });
      for (const agentId of claimed) placing.push(this.placeOffer(res.value!, q, agentId, offers[agentId]!));
    }
    if (q.config.routing === 'round-robin' && lastAgent !== line.lastAgent) await this.core.store.updateLine(name, (l) => ({ ...l, lastAgent }));
    await Promise.all(placing);
  }

  /** Signed in, idle and (presence-based queues) Available. */
  private async freeAgents(q: CompiledQueue): Promise<Candidate[]> {
    const membership = await this.core.store.membership(q.name);
    const signedOut = new Set(membership.signedOut.map((s) => s.toLowerCase()));
    const records = new Map((await this.core.store.agents()).map((a) => [a.userId.toLowerCase(), a]));
    let candidates = q.agents.filter((a) => !signedOut.has(a.userId.toLowerCase()) && (records.get(a.userId.toLowerCase())?.state ?? 'idle') === 'idle');
    if (candidates.length > 0 && q.config.presenceBased) {
      const presences = await getPresences(this.core.options.graph, candidates.map((a) => a.userId));
      const allowed = new Set(presences.filter((p) => presenceAllowsOffer(p.availability)).map((p) => p.id.toLowerCase()));
      candidates = candidates.filter((a) => allowed.has(a.userId.toLowerCase()));
    }
    return candidates.map((a) => ({ userId: a.userId, idleSince: records.get(a.userId.toLowerCase())?.idleSince ?? this.core.iso(0) }));
  }

  /** Rings one agent: the alert timer first (so a lost create still ends), then the call. */
  private async placeOffer(entry: QueueEntry, q: CompiledQueue, agentId: string, offer: EntryOffer): Promise<void> {
    await this.core.schedule(JOBS.alert, alertJobId(entry.id, agentId), Date.parse(offer.alertDueAt), { entryId: entry.id, agentId });
    const agent = q.agents.find((a) => a.userId === agentId);
    try {
      // Calls.Initiate.All · application-post-calls: a peer-to-peer call from the bot to the agent.
      const call = await this.core.calls.placeCall({
        target: { kind: 'user', id: agentId, ...(agent ? { displayName: agent.displayName } : {}) },
        subject: `${q.name} queue`,
        purpose: 'queue-offer',
        context: { queueOffer: { entryId: entry.id, agentId, queue: q.name, correlationId: offer.correlationId } },
        correlationId: offer.correlationId,
      });
      const res = await this.core.store.updateEntry(entry.id, (e) =>
        e.offers[agentId]?.correlationId === offer.correlationId ? { ...e, offers: { ...e.offers, [agentId]: { ...e.offers[agentId]!, callId: call.id } }, updatedAt: this.core.iso() } : undefined,
      );
      if (!res.written) {
        // Answered already (the answer was heard before the create's own answer arrived): nothing to do.
        if (res.value?.connecting?.agentId === agentId) return;
        // Withdrawn while the create was answering (the caller left, someone else answered, the alert time passed).
        await this.core.calls.hangUp(call.id).catch(() => undefined);
        return;
      }
      await this.agents.setOfferCall(agentId, entry.id, call.id);
      this.core.offer(res.value!, agentId, 'ringing');
    } catch (err) {
      const e = err as { code?: string; message?: string };
      if (e.code === 'calls/outcome-unknown') {
        this.core.logger.warn({ entryId: entry.id, agentId }, 'the offer call may or may not have been placed: its alert time ends it either way');
        return;
      }
      this.core.logger.warn({ entryId: entry.id, agentId, code: e.code, message: e.message }, 'an offer call could not be placed');
      await this.withdraw(entry.id, agentId, 'failed');
      await this.core.scheduleDispatch(q.name, this.core.now() + PLACE_FAILURE_BACKOFF_MS);
    }
  }

  /**
   * The offer to one agent ends without them taking the caller: missed (alert time), declined, failed; the agent is
   * skipped for this caller, their offer call is hung up, and the next pass offers the caller again.
   */
  async withdraw(entryId: string, agentId: string, reason: ReleaseReason, onlyCallId?: string): Promise<void> {
    const res = await this.core.store.updateEntry(entryId, (e) => {
      const offer = e.offers[agentId];
      if (!offer || (onlyCallId && offer.callId && offer.callId !== onlyCallId)) return undefined;
      const offers = { ...e.offers };
      delete offers[agentId];
      const left = Object.keys(offers).length;
      const skipped = reason === 'missed' || reason === 'declined' || reason === 'failed' ? [...e.skipped.filter((s) => s !== agentId), agentId] : e.skipped;
      return { ...e, offers, skipped, state: left > 0 ? 'offering' : e.callback ? 'callback-waiting' : 'waiting', updatedAt: this.core.iso() };
    });
    if (!res.written) return;
    const offer = res.previous!.offers[agentId]!;
    await this.core.cancel(JOBS.alert, alertJobId(entryId, agentId));
    // call-delete on a call still ringing cancels it (the agent's Teams stops ringing).
    if (offer.callId && reason !== 'declined') await this.core.calls.hangUp(offer.callId).catch(() => undefined);
    await this.agents.release(agentId, entryId, reason);
    this.core.offer(res.value!, agentId, reason as OfferState);
    this.core.changed(res.value!.queue, 'returned', { entryId, agentId });
    // Not awaited: a withdraw may come from inside a pass (the lock would wait for itself). After a failure to place
    // the call at all, the pass scheduled for later offers again instead.
    if (reason !== 'failed') void this.dispatch(res.value!.queue);
  }

  /** Every other offer of a caller ends because someone took them, or because they left. */
  async withdrawAll(entry: QueueEntry, offers: Record<string, EntryOffer>, reason: 'taken' | 'caller-left', except?: string): Promise<void> {
    await Promise.all(
      Object.entries(offers).map(async ([agentId, offer]) => {
        if (agentId === except) return;
        await this.core.cancel(JOBS.alert, alertJobId(entry.id, agentId));
        if (offer.callId) await this.core.calls.hangUp(offer.callId).catch(() => undefined);
        await this.agents.release(agentId, entry.id, reason);
        this.core.offer(entry, agentId, reason);
      }),
    );
  }
}
