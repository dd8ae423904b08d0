// "Nobody is free" and "the line is full": the timeout action (a caller waited maxWaitSeconds) and the overflow action
// (maxCallers reached). Before a call is answered Graph allows only reject and redirect, so there a transfer is a
// redirect (call-redirect), voicemail a redirect to the person's voicemail, and hang-up without words a reject
// (busy, as Teams' DisconnectWithBusy); anything spoken needs the call answered first.
import { CALL_EVENTS, type CallTarget } from '../calls/index.js';
import { personFor } from '../ivr/front-desk-rules.js';
import type { QueueAction } from '../ivr/front-desk-schema.js';
import { toCallTarget } from '../ivr/menu-engine.js';
import { callbackTaken } from './announcements.js';
import { JOBS, type CompiledQueue, type QueueCore } from './queue-core.js';
import type { QueueConnector } from './queue-connector.js';
import type { QueueDispatcher } from './queue-dispatcher.js';
import type { QueueStats } from './queue-stats.js';
import { MAX_QUEUE_HOPS } from './queue-checks.js';
import { WAITING_STATES, type QueueEntry } from './queue-store.js';

/** How long an answered call may take to be established before the overflow gives up on speaking to it. */
const ESTABLISH_WAIT_MS = 10_000;

type SpokenPrompt = NonNullable<Extract<QueueAction, { action: 'hangup' }>['prompt']>;

export interface ActionTarget {
  callId: string;
  queue: string;
  answered: boolean;
  language?: string;
  hops: number;
  caller: QueueEntry['caller'];
}

export type Enqueue = (callId: string, queue: string, options: { answer: boolean; language?: string; hops: number }) => Promise<unknown>;

export class QueueActions {
  constructor(
    private readonly core: QueueCore,
    private readonly parts: { dispatcher: QueueDispatcher; connector: QueueConnector; stats: QueueStats; enqueue: Enqueue; newCallback: (target: ActionTarget) => Promise<void> },
  ) {}

  /** The caller waited maxWaitSeconds (the `queue.timeout` job). A call-back promise has no timeout. */
  async timedOut(entryId: string): Promise<void> {
    const entry = await this.core.store.entry(entryId);
    const q = entry ? this.core.queue(entry.queue) : undefined;
    if (!entry || !q) return;
    const toCallback = q.config.timeout.action === 'callback';
    const res = await this.core.store.updateEntry(entryId, (e) =>
      WAITING_STATES.has(e.state)
        ? toCallback
          ? { ...e, state: 'callback-waiting', offers: {}, hearing: 'nothing', callback: { requestedAt: this.core.iso(), attempts: 0 }, updatedAt: this.core.iso() }
          : { ...e, state: 'done', outcome: 'timed-out', offers: {}, hearing: 'nothing', doneAt: this.core.iso(), updatedAt: this.core.iso() }
        : undefined,
    );
    if (!res.written) return;
    const before = res.previous!;
    await this.parts.dispatcher.withdrawAll(res.value!, before.offers, 'caller-left');
    await this.core.cancel(JOBS.hold, entryId);
    await this.core.calls.cancelMediaProcessing(entry.callId, { clientContext: 'queue:timeout' }).catch(() => undefined);
    const waitedMs = this.core.now() - Date.parse(entry.joinedAt);
    await this.parts.stats.record(entry.queue, { kind: 'timed-out', waitedMs });
    this.core.changed(entry.queue, 'timed-out', { entryId, waitedSeconds: waitedMs / 1000 });
    if (toCallback) {
      await this.core.store.updateLine(entry.queue, (l) => (l.callbacks?.includes(entryId) ? undefined : { ...l, callbacks: [...(l.callbacks ?? []), entryId] }));
      await this.parts.stats.record(entry.queue, { kind: 'callback-requested' });
      await this.sayCallbackAndHangUp(entry.callId, this.core.languageOf(entry));
      void this.parts.dispatcher.dispatch(entry.queue);
      return;
    }
    await this.parts.connector.leaveLine(res.value!);
    await this.act(q, q.config.timeout, { callId: entry.callId, queue: entry.queue, answered: true, language: entry.language, hops: entry.hops, caller: entry.caller });
  }

  /** The line is full: the overflow action, before or after answering. */
  async overflowed(q: CompiledQueue, target: ActionTarget): Promise<void> {
    await this.parts.stats.record(q.name, { kind: 'overflowed' });
    this.core.changed(q.name, 'overflowed');
    await this.act(q, q.config.overflow, target);
  }

  /** Nobody is signed in to the queue as the caller arrives: its noAgents action instead of waiting. */
  async noAgents(q: CompiledQueue, action: QueueAction, target: ActionTarget): Promise<void> {
    await this.parts.stats.record(q.name, { kind: 'no-agents' });
    this.core.changed(q.name, 'no-agents');
    this.core.logger.info({ queue: q.name, callId: target.callId, action: action.action }, 'nobody is signed in to the queue: its noAgents action instead of waiting');
    await this.act(q, action, target);
  }

  private async act(q: CompiledQueue, action: QueueAction, target: ActionTarget): Promise<void> {
    const { callId } = target;
    const compiled = this.core.options.frontDesk();
    const person = (ref: string): CallTarget => toCallTarget(personFor(compiled!, ref));
    switch (action.action) {
      case 'queue':
        if (target.hops < MAX_QUEUE_HOPS && this.core.queue(action.queue)) {
          await this.parts.enqueue(callId, action.queue, { answer: !target.answered, ...(target.language ? { language: target.language } : {}), hops: target.hops + 1 });
          return;
        }
        // Too many moves (or the queue is gone): hang up rather than loop.
        return this.hangUp(target, undefined);
      case 'voicemail':
        // Calls.Initiate.All · call-redirect with endpointType voicemail (only an unanswered call; checked at load).
        if (!target.answered) return this.core.calls.redirect(callId, { targets: [person(action.to)], voicemail: true });
        return this.hangUp(target, undefined);
      case 'transfer':
        if (!target.answered) return this.core.calls.redirect(callId, { targets: [person(action.to)] });
        if (action.prompt) await this.say(callId, action.prompt, target.language);
        // Calls.Initiate.All · call-transfer (blind).
        return this.core.calls.transfer(callId, { target: person(action.to), clientContext: `queue-${q.name}`.slice(0, 256) });
      case 'hangup':
        return this.hangUp(target, action.prompt);
      case 'callback':
        if (!target.answered && !(await this.answer(callId))) return;
        await this.parts.newCallback({ ...target, answered: true });
        return this.sayCallbackAndHangUp(callId, target.language ?? this.core.options.frontDesk()?.desk.language ?? 'en-US');
    }
  }

  private async hangUp(target: ActionTarget, prompt: SpokenPrompt | undefined): Promise<void> {
    if (!target.answered) {
      if (!prompt) return this.core.calls.reject(target.callId, 'busy');
      if (!(await this.answer(target.callId))) return;
    }
    if (prompt) await this.say(target.callId, prompt, target.language);
    await this.core.calls.hangUp(target.callId).catch(() => undefined);
  }

  private async say(callId: string, prompt: SpokenPrompt, language?: string): Promise<void> {
    const ref = await this.core.options.promptAudio(prompt, language);
    await this.core.calls.playPrompt(callId, [{ uri: ref.uri, resourceId: ref.resourceId }], { clientContext: 'queue:action', timeoutMs: this.core.promptTimeoutMs }).catch(() => undefined);
  }

  private async sayCallbackAndHangUp(callId: string, language: string): Promise<void> {
    const spoken = callbackTaken(language);
    const ref = await this.core.options.prompts.speak(spoken.text, 'goodbye', spoken.language);
    await this.core.calls.playPrompt(callId, [{ uri: ref.uri, resourceId: ref.resourceId }], { clientContext: 'queue:callback-taken', timeoutMs: this.core.promptTimeoutMs }).catch(() => undefined);
    await this.core.calls.hangUp(callId).catch(() => undefined);
  }

  /** Answers a ringing call and waits until it is established (false when it is not, in time). */
  private async answer(callId: string): Promise<boolean> {
    const established = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => done(false), ESTABLISH_WAIT_MS);
      timer.unref?.();
      const off = this.core.options.bus.on(CALL_EVENTS.state, (e) => {
        if (e.callId !== callId) return;
        if (e.state === 'established') done(true);
        else if (e.state === 'terminated') done(false);
      }, { scope: 'cluster' });
      const done = (ok: boolean) => {
        clearTimeout(timer);
        off();
        resolve(ok);
      };
    });
    try {
      await this.core.calls.answer(callId);
    } catch (err) {
      this.core.logger.warn({ callId, code: (err as { code?: string }).code }, 'the overflowing call could not be answered');
      return false;
    }
    return established;
  }
}
