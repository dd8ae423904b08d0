// Handing a caller to the agent who answered. The agent is already on the line with the bot (the offer call), hears a
// short whisper ("Support queue: a caller who waited 2 minutes"), and the caller's call is transferred to them with
// replacesCallId = the offer call: a consultative transfer (call-transfer), documented for peer-to-peer calls. The bot
// leaves both calls (terminationReason AppTransferred); a failed transfer (500/7700) returns the caller's call to the
// bot, and the caller to the head of the line with their music. A call-back rings the agent first the same way, then
// calls the customer (placed once: its correlation id is saved before the create) and transfers them to the agent.
import type { CallStateEvent } from '../calls/index.js';
import { agentWhisper, callbackHello } from './announcements.js';
import type { AgentTracker } from './agent-tracker.js';
import { JOBS, type QueueCore } from './queue-core.js';
import type { QueueDispatcher } from './queue-dispatcher.js';
import type { QueueHolding } from './queue-holding.js';
import type { QueueStats } from './queue-stats.js';
import { WAITING_STATES, type QueueEntry } from './queue-store.js';

/** How long a call-back create whose answer was lost is waited for before the attempt counts as failed. */
export const CALLBACK_ADOPT_WINDOW_MS = 120_000;

function handedOver(e: Pick<CallStateEvent, 'terminationReason' | 'resultInfo'>): boolean {
  return e.terminationReason === 'AppTransferred' || Number(e.resultInfo?.subcode) === 7015;
}

export class QueueConnector {
  constructor(
    private readonly core: QueueCore,
    private readonly parts: { agents: AgentTracker; dispatcher: QueueDispatcher; holding: QueueHolding; stats: QueueStats },
  ) {}

  private agentName(queue: string, agentId: string): string | undefined {
    return this.core.queue(queue)?.agents.find((a) => a.userId.toLowerCase() === agentId.toLowerCase())?.displayName;
  }

  /** The bot's call to an agent was answered (or Accept was pressed: no offer call to keep). */
  async taken(entryId: string, agentId: string, offerCallId: string | undefined): Promise<boolean> {
    const res = await this.core.store.updateEntry(entryId, (e) =>
      e.state === 'offering' && e.offers[agentId] && (!offerCallId || !e.offers[agentId]!.callId || e.offers[agentId]!.callId === offerCallId)
        ? { ...e, state: e.callback ? 'calling-back' : 'connecting', offers: {}, connecting: { agentId, ...(offerCallId ? { offerCallId } : {}), since: this.core.iso() }, updatedAt: this.core.iso() }
        : undefined,
    );
    if (!res.written) {
      const now = res.value;
      if (now?.connecting?.agentId === agentId && (!offerCallId || now.connecting.offerCallId === offerCallId)) return true; // heard twice
      // Someone else answered first, the caller left, or the alert time passed just now: this call is not needed.
      if (offerCallId) await this.core.calls.hangUp(offerCallId).catch(() => undefined);
      const current = res.value ?? res.previous;
      if (current && (await this.parts.agents.release(agentId, entryId, 'taken'))) this.core.offer(current, agentId, current.state === 'done' ? 'caller-left' : 'taken');
      return false;
    }
    const entry = res.value!;
    const offers = res.previous!.offers;
    await this.core.cancel(JOBS.alert, `${entryId}.${agentId}`);
    // Accept: the agent's own ringing offer call goes too (the caller is put through to them instead).
    if (!offerCallId && offers[agentId]?.callId) await this.core.calls.hangUp(offers[agentId]!.callId!).catch(() => undefined);
    await this.parts.dispatcher.withdrawAll(entry, offers, 'taken', agentId);
    await this.parts.agents.connecting(agentId, entryId, offerCallId);
    this.core.offer(entry, agentId, 'accepted');
    this.core.changed(entry.queue, entry.callback ? 'calling-back' : 'connecting', { entryId, agentId });
    await this.connect(entry, agentId);
    return true;
  }

  private async connect(entry: QueueEntry, agentId: string): Promise<void> {
    const offerCallId = entry.connecting?.offerCallId;
    if (offerCallId) {
      const language = this.core.options.frontDesk()?.desk.language ?? 'en-US';
      const spoken = agentWhisper(language, entry.queue, (this.core.now() - Date.parse(entry.joinedAt)) / 1000, !!entry.callback);
      try {
        const prompt = await this.core.options.prompts.speak(spoken.text, 'menu', spoken.language);
        await this.core.calls.playPrompt(offerCallId, [{ uri: prompt.uri, resourceId: prompt.resourceId }], { clientContext: 'queue:whisper', timeoutMs: this.core.promptTimeoutMs });
      } catch (err) {
        this.core.logger.info({ entryId: entry.id, code: (err as { code?: string }).code }, 'the whisper to the agent did not play');
      }
      const offer = await this.core.calls.getCall(offerCallId);
      if (!offer || offer.state !== 'established') return this.returnToLine(entry.id, agentId, 'the agent hung up before the caller was put through');
    }
    const current = await this.core.store.entry(entry.id);
    if (!current?.connecting || current.connecting.agentId !== agentId) return; // the caller left meanwhile
    if (current.callback) return this.callCustomer(current, agentId);
    await this.parts.holding.stop(entry.id);
    await this.parts.holding.setHearing(entry.id, 'nothing');
    await this.core.calls.cancelMediaProcessing(entry.callId, { clientContext: 'queue:connect' }).catch(() => undefined);
    await this.handOver(current.callId, current, agentId, offerCallId);
  }

  /** Calls.Initiate.All · call-transfer: consultative (replacesCallId) when the agent is on the line, blind after Accept. */
  private async handOver(callId: string, entry: QueueEntry, agentId: string, offerCallId: string | undefined): Promise<void> {
    const name = this.agentName(entry.queue, agentId);
    try {
      await this.core.calls.transfer(callId, {
        target: { kind: 'user', id: agentId, ...(name ? { displayName: name } : {}) },
        ...(offerCallId ? { replacesCallId: offerCallId } : {}),
        clientContext: 'queue-connect',
      });
    } catch (err) {
      this.core.logger.warn({ entryId: entry.id, code: (err as { code?: string }).code }, 'the caller could not be handed to the agent');
      if (entry.callback) await this.callbackAttemptFailed(entry.id, agentId, 'the transfer was refused');
      else await this.returnToLine(entry.id, agentId, 'the transfer was refused');
    }
  }

  /** The caller is talking to the agent: the entry is done, the agent connected, the figures counted. */
  async completed(entryId: string, agentId: string): Promise<void> {
    const res = await this.core.store.updateEntry(entryId, (e) =>
      (e.state === 'connecting' || e.state === 'calling-back') && e.connecting?.agentId === agentId ? { ...e, state: 'done', outcome: 'answered', hearing: 'nothing', doneAt: this.core.iso(), updatedAt: this.core.iso() } : undefined,
    );
    if (!res.written) return;
    const entry = res.value!;
    await this.leaveLine(entry);
    const q = this.core.queue(entry.queue);
    const tookAt = Date.parse(res.previous!.connecting!.since);
    const waitedMs = tookAt - Date.parse(entry.joinedAt);
    await this.parts.stats.record(entry.queue, { kind: 'answered', waitedMs, serviceLevelSeconds: q?.config.serviceLevelSeconds ?? 30 });
    await this.parts.agents.connected(agentId, entryId);
    this.core.offer(entry, agentId, 'connected', tookAt);
    this.core.changed(entry.queue, 'connected', { entryId, agentId, waitedSeconds: waitedMs / 1000 });
  }

  /** The handover failed (or the agent left first): back to the head of the line, music again, offered again. */
  async returnToLine(entryId: string, agentId: string, why: string): Promise<void> {
    const res = await this.core.store.updateEntry(entryId, (e) =>
      e.state === 'connecting' && e.connecting?.agentId === agentId
        ? { ...e, state: 'waiting', connecting: undefined, skipped: [...e.skipped.filter((s) => s !== agentId), agentId], updatedAt: this.core.iso() }
        : undefined,
    );
    if (!res.written) return;
    this.core.logger.info({ entryId, agentId, why }, 'a caller goes back to the head of the line');
    const offerCallId = res.previous!.connecting!.offerCallId;
    if (offerCallId) await this.core.calls.hangUp(offerCallId).catch(() => undefined);
    await this.parts.agents.release(agentId, entryId, 'failed');
    this.core.offer(res.value!, agentId, 'failed');
    this.core.changed(res.value!.queue, 'returned', { entryId, agentId });
    await this.parts.holding.start(entryId);
    void this.parts.dispatcher.dispatch(res.value!.queue);
  }

  /** The caller's own call ended: handed over (done), or they hung up (abandoned). */
  async callerEnded(entry: QueueEntry, e: CallStateEvent): Promise<void> {
    if (entry.state === 'connecting' && entry.connecting && handedOver(e)) return this.completed(entry.id, entry.connecting.agentId);
    if (!WAITING_STATES.has(entry.state) && entry.state !== 'connecting') return; // a call-back keeps its place; done is done
    const res = await this.core.store.updateEntry(entry.id, (x) =>
      WAITING_STATES.has(x.state) || x.state === 'connecting' ? { ...x, state: 'done', outcome: 'abandoned', offers: {}, connecting: undefined, hearing: 'nothing', doneAt: this.core.iso(), updatedAt: this.core.iso() } : undefined,
    );
    if (!res.written) return;
    const before = res.previous!;
    await this.leaveLine(res.value!);
    await this.parts.dispatcher.withdrawAll(res.value!, before.offers, 'caller-left');
    if (before.connecting) {
      if (before.connecting.offerCallId) await this.core.calls.hangUp(before.connecting.offerCallId).catch(() => undefined);
      if (await this.parts.agents.release(before.connecting.agentId, entry.id, 'caller-left')) this.core.offer(res.value!, before.connecting.agentId, 'caller-left');
    }
    const waitedMs = this.core.now() - Date.parse(entry.joinedAt);
    await this.parts.stats.record(entry.queue, { kind: 'abandoned', waitedMs });
    this.core.changed(entry.queue, 'abandoned', { entryId: entry.id, waitedSeconds: waitedMs / 1000 });
    void this.parts.dispatcher.dispatch(entry.queue);
  }

  /** The caller's call is back with the bot after a transfer: it failed. */
  async callerReturned(entry: QueueEntry): Promise<void> {
    if (entry.state === 'connecting' && entry.connecting) await this.returnToLine(entry.id, entry.connecting.agentId, 'the transfer failed');
  }

  /** The bot's call to the agent ended: before they answered (missed or declined), or while being handed the caller. */
  async offerEnded(entryId: string, agentId: string, callId: string, e: CallStateEvent): Promise<void> {
    const entry = await this.core.store.entry(entryId);
    if (!entry) return;
    if (entry.connecting?.agentId === agentId && entry.connecting.offerCallId === callId) {
      if (handedOver(e)) return; // replaced by the caller's (or customer's) call: success is told by that call
      if (entry.state === 'connecting') return this.returnToLine(entryId, agentId, 'the agent hung up before the caller was put through');
      if (entry.state === 'calling-back') {
        if (entry.callback?.callId) await this.core.calls.hangUp(entry.callback.callId).catch(() => undefined);
        return this.callbackAttemptFailed(entryId, agentId, 'the agent hung up before the customer answered');
      }
      return;
    }
    const code = Number(e.resultInfo?.code);
    const declined = code === 603 || code === 486 || /declin|busy|reject/i.test(e.resultInfo?.message ?? '');
    await this.parts.dispatcher.withdraw(entryId, agentId, declined ? 'declined' : 'missed', callId);
  }

  // ---- call-backs ----------------------------------------------------------------------------------------------

  /** The agent is on the line: call the customer (one attempt; the correlation id is saved before the create). */
  private async callCustomer(entry: QueueEntry, agentId: string): Promise<void> {
    const attempts = entry.callback!.attempts;
    const correlationId = `qcb.${entry.id}.${attempts + 1}`;
    const res = await this.core.store.updateEntry(entry.id, (e) =>
      e.state === 'calling-back' && e.connecting?.agentId === agentId && e.callback?.attempts === attempts
        ? { ...e, callback: { ...e.callback, attempts: attempts + 1, correlationId, callId: undefined, nextAttemptAt: undefined }, updatedAt: this.core.iso() }
        : undefined,
    );
    if (!res.written) return;
    this.core.changed(entry.queue, 'calling-back', { entryId: entry.id, agentId });
    const caller = entry.caller;
    try {
      // Calls.Initiate.All · application-post-calls (a phone number needs the bot's application instance, README › PSTN).
      const call = await this.core.calls.placeCall({
        target: caller.userId ? { kind: 'user', id: caller.userId, ...(caller.displayName ? { displayName: caller.displayName } : {}) } : { kind: 'phone', number: caller.phone! },
        subject: `${entry.queue} call-back`,
        purpose: 'queue-callback',
        context: { queueCallback: { entryId: entry.id, agentId, queue: entry.queue, correlationId } },
        correlationId,
      });
      await this.customerCall(entry.id, correlationId, call.id);
      if (call.state === 'established') await this.customerAnswered(entry.id, agentId, call.id);
    } catch (err) {
      const e = err as { code?: string; message?: string };
      if (e.code === 'calls/outcome-unknown') {
        // Graph may have placed it: it is adopted when its notifications arrive; if none do, the attempt failed.
        await this.core.schedule(JOBS.dispatch, `callback.${entry.id}`, this.core.now() + CALLBACK_ADOPT_WINDOW_MS, { entryId: entry.id, agentId, correlationId });
        return;
      }
      this.core.logger.warn({ entryId: entry.id, code: e.code, message: e.message }, 'the call-back could not be placed');
      await this.callbackAttemptFailed(entry.id, agentId, 'the call could not be placed');
    }
  }

  /** The customer call of the current attempt (placed, or adopted after a lost create answer). */
  async customerCall(entryId: string, correlationId: string, callId: string): Promise<void> {
    await this.core.store.updateEntry(entryId, (e) => (e.callback?.correlationId === correlationId && e.callback.callId !== callId ? { ...e, callback: { ...e.callback, callId }, updatedAt: this.core.iso() } : undefined));
  }

  /** A lost create was never adopted within the window: the attempt failed (no second call while it could exist). */
  async adoptWindowPassed(entryId: string, agentId: string, correlationId: string): Promise<void> {
    const entry = await this.core.store.entry(entryId);
    if (!entry || entry.callback?.correlationId !== correlationId || entry.callback.callId) return;
    await this.core.calls.abandonCreate(correlationId).catch(() => undefined);
    await this.callbackAttemptFailed(entryId, agentId, 'the call-back could not be confirmed');
  }

  async customerAnswered(entryId: string, agentId: string, callId: string): Promise<void> {
    const entry = await this.core.store.entry(entryId);
    if (!entry || entry.state !== 'calling-back' || entry.connecting?.agentId !== agentId || entry.callback?.callId !== callId) {
      await this.core.calls.hangUp(callId).catch(() => undefined);
      return;
    }
    const spoken = callbackHello(this.core.languageOf(entry), entry.queue);
    try {
      const prompt = await this.core.options.prompts.speak(spoken.text, 'welcome', spoken.language);
      await this.core.calls.playPrompt(callId, [{ uri: prompt.uri, resourceId: prompt.resourceId }], { clientContext: 'queue:callback-hello', timeoutMs: this.core.promptTimeoutMs });
    } catch (err) {
      this.core.logger.info({ entryId, code: (err as { code?: string }).code }, 'the call-back greeting did not play');
    }
    await this.handOver(callId, entry, agentId, entry.connecting.offerCallId);
  }

  /** The customer call ended: handed over (done), or not answered (another attempt later, or given up). */
  async customerEnded(entryId: string, agentId: string, callId: string, e: CallStateEvent): Promise<void> {
    const entry = await this.core.store.entry(entryId);
    if (!entry || entry.state !== 'calling-back' || entry.callback?.callId !== callId) return;
    if (handedOver(e)) return this.completed(entryId, agentId);
    await this.callbackAttemptFailed(entryId, agentId, 'the customer did not answer');
  }

  async callbackAttemptFailed(entryId: string, agentId: string, why: string): Promise<void> {
    const entry = await this.core.store.entry(entryId);
    const settings = entry ? this.core.queue(entry.queue)?.config.callback : undefined;
    const maxAttempts = settings?.attempts ?? 3;
    const retryAt = this.core.now() + (settings?.retrySeconds ?? 120) * 1000;
    const res = await this.core.store.updateEntry(entryId, (e) => {
      if (e.state !== 'calling-back' || e.connecting?.agentId !== agentId || !e.callback) return undefined;
      if (e.callback.attempts >= maxAttempts) return { ...e, state: 'done', outcome: 'callback-failed', connecting: undefined, doneAt: this.core.iso(), updatedAt: this.core.iso() };
      return { ...e, state: 'callback-waiting', connecting: undefined, callback: { ...e.callback, correlationId: undefined, callId: undefined, nextAttemptAt: this.core.iso(retryAt) }, updatedAt: this.core.iso() };
    });
    if (!res.written) return;
    this.core.logger.info({ entryId, agentId, why, attempts: res.value!.callback?.attempts }, 'a call-back attempt failed');
    const offerCallId = res.previous!.connecting!.offerCallId;
    if (offerCallId) await this.core.calls.hangUp(offerCallId).catch(() => undefined);
    await this.parts.agents.release(agentId, entryId, 'failed');
    this.core.offer(res.value!, agentId, 'failed');
    if (res.value!.state === 'done') {
      await this.leaveLine(res.value!);
      this.core.changed(res.value!.queue, 'callback-failed', { entryId });
    } else {
      this.core.changed(res.value!.queue, 'returned', { entryId });
      await this.core.scheduleDispatch(res.value!.queue, retryAt);
    }
    void this.parts.dispatcher.dispatch(res.value!.queue);
  }

  async leaveLine(entry: QueueEntry): Promise<void> {
    await this.core.store.updateLine(entry.queue, (l) =>
      l.entries.includes(entry.id) || l.callbacks?.includes(entry.id) ? { ...l, entries: l.entries.filter((id) => id !== entry.id), callbacks: (l.callbacks ?? []).filter((id) => id !== entry.id) } : undefined,
    );
    await this.parts.holding.stop(entry.id);
    await this.core.cancel(JOBS.timeout, entry.id);
    this.core.changed(entry.queue, 'position', { entryId: entry.id });
  }
}
