// One agent's state across every queue they are in: idle → offered → connecting → connected → wrap-up → idle.
// Every step is a compare-and-set on the agent's record, so an agent is never offered two callers at once, even by
// two instances. A handed-over call leaves the bot (consultative transfer), so its end is told by the agent's
// presence (read every presencePollMs): out of InACall — after being seen in it, or after connectGraceMs — is the
// end of the call, then wrap-up.
import { getPresences } from '../presence/index.js';
import { JOBS, type QueueCore } from './queue-core.js';
import type { AgentRecord } from './queue-store.js';
import type { QueueStats } from './queue-stats.js';
import { presenceInCall } from './routing.js';

export type ReleaseReason = 'missed' | 'declined' | 'taken' | 'caller-left' | 'failed';

export class AgentTracker {
  constructor(
    private readonly core: QueueCore,
    private readonly stats: QueueStats,
  ) {}

  private same(a: string | undefined, b: string | undefined): boolean {
    return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
  }

  /** A new day starts the counters again. */
  private today(a: AgentRecord): AgentRecord {
    const day = this.core.day();
    return a.day === day ? a : { ...a, day, answered: 0, missed: 0, declined: 0 };
  }

  private displayName(userId: string): string {
    for (const q of this.core.queues().values()) {
      const found = q.agents.find((a) => this.same(a.userId, userId));
      if (found) return found.displayName;
    }
    return userId;
  }

  /** Claims a free agent for a caller; false when they are not idle (another caller, another instance got them). */
  async claim(userId: string, busyWith: { queue: string; entryId: string }): Promise<boolean> {
    const res = await this.core.store.updateAgent(userId, this.core.freshAgent(userId, this.displayName(userId)), (a) =>
      a.state === 'idle' ? { ...this.today(a), state: 'offered', since: this.core.iso(), busyWith, updatedAt: this.core.iso() } : undefined,
    );
    return res.written;
  }

  async setOfferCall(userId: string, entryId: string, offerCallId: string): Promise<void> {
    await this.core.store.updateAgent(userId, this.core.freshAgent(userId, this.displayName(userId)), (a) =>
      a.busyWith && this.same(a.busyWith.entryId, entryId) && a.state === 'offered' ? { ...a, busyWith: { ...a.busyWith, offerCallId }, updatedAt: this.core.iso() } : undefined,
    );
  }

  /** The offer to them ended without a conversation: free again (their idle time keeps counting from before). */
  async release(userId: string, entryId: string, reason: ReleaseReason): Promise<boolean> {
    const res = await this.core.store.updateAgent(userId, this.core.freshAgent(userId, this.displayName(userId)), (a) => {
      if (!a.busyWith || !this.same(a.busyWith.entryId, entryId) || (a.state !== 'offered' && a.state !== 'connecting')) return undefined;
      const counted = this.today(a);
      return {
        ...counted,
        state: 'idle',
        since: this.core.iso(),
        busyWith: undefined,
        missed: counted.missed + (reason === 'missed' ? 1 : 0),
        declined: counted.declined + (reason === 'declined' ? 1 : 0),
        updatedAt: this.core.iso(),
      };
    });
    if (res.written) this.core.changed(res.previous?.busyWith?.queue ?? '', 'agent', { agentId: userId, entryId });
    return res.written;
  }

  async connecting(userId: string, entryId: string, offerCallId?: string): Promise<void> {
    await this.core.store.updateAgent(userId, this.core.freshAgent(userId, this.displayName(userId)), (a) =>
      a.busyWith && this.same(a.busyWith.entryId, entryId) && a.state === 'offered'
        ? { ...a, state: 'connecting', since: this.core.iso(), busyWith: { ...a.busyWith, ...(offerCallId ? { offerCallId } : {}) }, updatedAt: this.core.iso() }
        : undefined,
    );
  }

  /** The caller is talking to them now. */
  async connected(userId: string, entryId: string): Promise<void> {
    const res = await this.core.store.updateAgent(userId, this.core.freshAgent(userId, this.displayName(userId)), (a) => {
      if (!a.busyWith || !this.same(a.busyWith.entryId, entryId) || (a.state !== 'connecting' && a.state !== 'offered')) return undefined;
      const counted = this.today(a);
      return { ...counted, state: 'connected', since: this.core.iso(), connectedAt: this.core.iso(), seenInCall: false, answered: counted.answered + 1, updatedAt: this.core.iso() };
    });
    if (res.written) this.core.changed(res.value!.busyWith!.queue, 'agent', { agentId: userId, entryId });
  }

  /** Their call is over: wrap-up for the queue's wrapUpSeconds, then idle (a timer job). */
  async freed(a: AgentRecord): Promise<void> {
    const queue = a.busyWith?.queue;
    const wrapUpSeconds = queue ? (this.core.queue(queue)?.config.wrapUpSeconds ?? 0) : 0;
    const now = this.core.now();
    const res = await this.core.store.updateAgent(a.userId, this.core.freshAgent(a.userId, a.displayName), (current) =>
      current.state === 'connected' && current.connectedAt === a.connectedAt
        ? wrapUpSeconds > 0
          ? { ...current, state: 'wrap-up', since: this.core.iso(now), wrapUpUntil: this.core.iso(now + wrapUpSeconds * 1000), updatedAt: this.core.iso() }
          : { ...current, state: 'idle', since: this.core.iso(now), idleSince: this.core.iso(now), busyWith: undefined, updatedAt: this.core.iso() }
        : undefined,
    );
    if (!res.written) return;
    if (queue && a.connectedAt) await this.stats.record(queue, { kind: 'handled', ms: now - Date.parse(a.connectedAt) });
    if (queue) this.core.changed(queue, 'agent', { agentId: a.userId });
    if (wrapUpSeconds > 0) await this.core.schedule(JOBS.wrapUp, a.userId, now + wrapUpSeconds * 1000);
  }

  /** Wrap-up over: idle (true when it changed, so the agent's queues dispatch). */
  async wrapUpDone(userId: string): Promise<boolean> {
    const now = this.core.now();
    const res = await this.core.store.updateAgent(userId, this.core.freshAgent(userId, this.displayName(userId)), (a) =>
      a.state === 'wrap-up' && (!a.wrapUpUntil || Date.parse(a.wrapUpUntil) <= now + 50)
        ? { ...a, state: 'idle', since: this.core.iso(now), idleSince: this.core.iso(now), busyWith: undefined, wrapUpUntil: undefined, updatedAt: this.core.iso() }
        : undefined,
    );
    if (res.written) for (const q of this.core.queuesOf(userId)) this.core.changed(q.name, 'agent', { agentId: userId });
    return res.written;
  }

  /**
   * Reads every agent's presence (getPresencesByUserId, ≤ 650 per request): keeps it for status, tells when a
   * connected agent's call is over, and finishes wrap-ups whose timer was lost. Returns whether anyone became free.
   */
  async poll(): Promise<boolean> {
    const ids = new Map<string, string>();
    for (const q of this.core.queues().values()) for (const a of q.agents) ids.set(a.userId.toLowerCase(), a.userId);
    if (ids.size === 0) return false;
    const presences = await getPresences(this.core.options.graph, [...ids.values()]);
    const records = new Map((await this.core.store.agents()).map((a) => [a.userId.toLowerCase(), a]));
    const now = this.core.now();
    let freedAny = false;
    for (const p of presences) {
      const key = p.id.toLowerCase();
      const known = records.get(key);
      const presence = { availability: p.availability, activity: p.activity, at: this.core.iso(now) };
      const inCall = presenceInCall(presence);
      const moved = !known?.presence || known.presence.availability !== p.availability || known.presence.activity !== p.activity;
      const sees = known?.state === 'connected' && inCall && !known.seenInCall;
      if (moved || sees) {
        const res = await this.core.store.updateAgent(p.id, this.core.freshAgent(p.id, this.displayName(p.id)), (a) => ({
          ...a,
          presence,
          ...(a.state === 'connected' && inCall ? { seenInCall: true } : {}),
          updatedAt: this.core.iso(),
        }));
        if (moved) for (const q of this.core.queuesOf(p.id)) this.core.changed(q.name, 'agent', { agentId: p.id });
        if (res.value) records.set(key, res.value);
      }
      const a = records.get(key);
      if (!a) continue;
      if (a.state === 'connected' && !inCall && (a.seenInCall || now - Date.parse(a.connectedAt ?? a.since) > this.core.connectGraceMs)) {
        await this.freed(a);
        freedAny = true;
      } else if (a.state === 'wrap-up' && a.wrapUpUntil && Date.parse(a.wrapUpUntil) <= now) {
        freedAny = (await this.wrapUpDone(a.userId)) || freedAny;
      } else if (a.state === 'idle' && moved) {
        freedAny = true; // presence may now allow an offer
      }
    }
    return freedAny;
  }
}
