// Reminder calls: at the due time the bot calls the person, speaks the message, optionally takes 1 (confirm) or
// 2 (snooze 10 minutes), hangs up, and publishes the outcome for whoever asked. Schedules are durable: a restart
// neither loses nor doubles a reminder; one missed while the app was down fires once, marked late.
import { randomUUID } from 'node:crypto';
import { CALL_EVENTS, type CallService } from '../calls/index.js';
import type { PromptService } from '../speech/index.js';
import type { CommsEvent, EventBus, Store } from '../store/index.js';
import { FINAL_STATUSES, type Reminder, type ReminderPerson } from './reminder.js';
import { REMINDER_EVENTS } from './reminder-events.js';
import { warnOnFailure, type InstanceRegistry } from '../runtime/index.js';

export const REMINDERS_COLLECTION = 'reminders';
/** One claim per person, minute and message: two requests for the same reminder (a double send) make one. */
export const REMINDER_CLAIMS_COLLECTION = 'reminder-claims';
export const MAX_REMINDER_MESSAGE = 300;
export const SNOOZE_MS = 10 * 60_000;

export type ReminderErrorCode = 'reminders/past-time' | 'reminders/message-too-long' | 'reminders/empty-message' | 'reminders/not-found' | 'reminders/too-far' | 'reminders/duplicate';

export class ReminderError extends Error {
  readonly code: ReminderErrorCode;
  /** reminders/duplicate: the pending reminder that already says the same thing to the same person at that time. */
  readonly existing?: Reminder;
  constructor(code: ReminderErrorCode, message: string, existing?: Reminder) {
    super(message);
    this.name = 'ReminderError';
    this.code = code;
    if (existing) this.existing = existing;
  }
}

/** Reminders this close together, to the same person with the same words, are the same reminder. */
const SAME_TIME_MS = 60_000;

function sameWords(message: string): string {
  return message.toLowerCase().replace(/[\s.!?,;:]+$/u, '').replace(/\s+/g, ' ');
}

export interface ReminderServiceOptions {
  /** Distributed mode: which instances are alive, so a reminder call left by a gone instance is taken over. */
  cluster?: InstanceRegistry;
  calls: CallService;
  bus: EventBus;
  store: Store;
  prompts: PromptService;
  logger: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  now?: () => Date;
  /** How often due reminders are looked for. */
  tickMs?: number;
  /** Wait between unanswered attempts. */
  retryDelayMs?: number;
  maxAttempts?: number;
  /** How long to wait for a key after the question. */
  answerWaitMs?: number;
  /**
   * How long a call whose create answer was lost is waited for (it is adopted when its notifications arrive) before
   * the attempt counts as failed: longer than Graph lets an unanswered call ring (default 2 min).
   */
  adoptWindowMs?: number;
  /** How long a prompt may take to report completion before it is re-read from Graph (default 60 s). */
  promptTimeoutMs?: number;
}

interface InFlight {
  reminderId: string;
  phase: 'ringing' | 'speaking' | 'waiting-key' | 'closing';
  keyTimer?: NodeJS.Timeout;
}

export class ReminderService {
  private readonly o: Required<Omit<ReminderServiceOptions, 'now' | 'cluster'>> & { now: () => Date; cluster?: InstanceRegistry };
  private readonly adopting = new Set<string>();
  private readonly inFlight = new Map<string, InFlight>();
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private ticking = false;
  private startedAt?: number;

  constructor(options: ReminderServiceOptions) {
    this.o = { tickMs: 1000, retryDelayMs: 60_000, maxAttempts: 3, answerWaitMs: 15_000, adoptWindowMs: 120_000, promptTimeoutMs: 60_000, now: () => new Date(), ...options };
  }

  async schedule(input: { person: ReminderPerson; message: string; at: Date; confirm?: boolean; requestedBy?: string }): Promise<Reminder> {
    const message = input.message.replace(/\s+/g, ' ').trim();
    const now = this.o.now();
    if (message === '') throw new ReminderError('reminders/empty-message', 'Say what the reminder is about.');
    if (message.length > MAX_REMINDER_MESSAGE) throw new ReminderError('reminders/message-too-long', `A reminder message can be at most ${MAX_REMINDER_MESSAGE} characters (this one has ${message.length}).`);
    if (input.at.getTime() < now.getTime() - 1000) throw new ReminderError('reminders/past-time', `That time (${input.at.toISOString()}) has already passed.`);
    if (input.at.getTime() > now.getTime() + 366 * 24 * 3600_000) throw new ReminderError('reminders/too-far', 'Reminders can be set at most a year ahead.');
    const reminder: Reminder = {
      id: randomUUID(),
      person: input.person,
      message,
      dueAt: input.at.toISOString(),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      confirm: input.confirm ?? true,
      status: 'scheduled',
      attempts: 0,
      maxAttempts: this.o.maxAttempts,
      requestedBy: input.requestedBy,
    };
    await this.refuseDuplicate(reminder);
    await this.save(reminder);
    return reminder;
  }

  /**
   * Same person, same words, due within a minute of a pending one: refused with reminders/duplicate (the caller says
   * so), never a second call. A claim per person, minute and words makes two requests at once produce one reminder.
   */
  private async refuseDuplicate(reminder: Reminder): Promise<void> {
    const words = sameWords(reminder.message);
    const due = Date.parse(reminder.dueAt);
    const duplicate = (await this.list({ pendingOnly: true })).find((r) => r.person.userId.toLowerCase() === reminder.person.userId.toLowerCase()
      && sameWords(r.message) === words && Math.abs(Date.parse(r.dueAt) - due) < SAME_TIME_MS);
    const refuse = (existing: Reminder) => new ReminderError('reminders/duplicate', `${existing.person.displayName ?? 'That person'} already has this reminder at that time: they get one call.`, existing);
    if (duplicate) throw refuse(duplicate);
    const claim = `${reminder.person.userId.toLowerCase()}|${Math.floor(due / SAME_TIME_MS)}|${words}`;
    const mine = { reminderId: reminder.id, at: reminder.createdAt };
    if (await this.o.store.putIfAbsent(REMINDER_CLAIMS_COLLECTION, claim, mine)) return;
    const holder = await this.o.store.get<{ reminderId: string; at: string }>(REMINDER_CLAIMS_COLLECTION, claim);
    const other = holder ? await this.get(holder.reminderId) : undefined;
    if (other && !FINAL_STATUSES.has(other.status)) throw refuse(other);
    // Claimed a moment ago by a request still saving its reminder: the same request twice at once.
    if (holder && !other && Date.parse(reminder.createdAt) - Date.parse(holder.at) < SAME_TIME_MS) throw refuse(reminder);
    await this.o.store.put(REMINDER_CLAIMS_COLLECTION, claim, mine); // the claim's reminder is over (or was never saved)
  }

  async cancel(id: string): Promise<Reminder> {
    const reminder = await this.get(id);
    if (!reminder) throw new ReminderError('reminders/not-found', 'There is no such reminder.');
    if (FINAL_STATUSES.has(reminder.status) || reminder.status === 'calling') return reminder;
    return this.save({ ...reminder, status: 'cancelled', outcome: 'cancelled before the call' });
  }

  async get(id: string): Promise<Reminder | undefined> {
    return this.o.store.get<Reminder>(REMINDERS_COLLECTION, id);
  }

  async list(filter: { requestedBy?: string; pendingOnly?: boolean } = {}): Promise<Reminder[]> {
    const all = (await this.o.store.list<Reminder>(REMINDERS_COLLECTION)).map((i) => i.value);
    return all
      .filter((r) => (filter.requestedBy === undefined || r.requestedBy === filter.requestedBy) && (!filter.pendingOnly || !FINAL_STATUSES.has(r.status)))
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  /** Picks up interrupted reminders, then checks for due ones every tick. */
  async start(): Promise<void> {
    this.startedAt = this.o.now().getTime();
    // A reminder call's flow lives on the instance that placed it (inFlight): in a cluster its state and tone events
    // may be processed by any instance, so that instance hears them all; adoption stays with the one that adopted.
    const offFlow = this.o.bus.subscribe((event) => event.type !== CALL_EVENTS.adopted && this.onEvent(event), { scope: 'cluster' });
    const offAdopted = this.o.bus.on(CALL_EVENTS.adopted, (event) => this.onEvent(event));
    const offOrphans = this.o.cluster ? this.o.bus.subscribe((event) => this.takeOverIfOrphaned(event)) : () => undefined;
    this.unsubscribe = () => {
      offFlow();
      offAdopted();
      offOrphans();
    };
    for (const reminder of await this.list({ pendingOnly: true })) {
      if (reminder.status !== 'calling') continue;
      // The app stopped during this reminder's call: if the call is still live it carries on; otherwise that
      // attempt is over and the reminder goes back to the schedule (or ends when out of attempts).
      if (!reminder.callId && reminder.correlationId) {
        // The app stopped while the create was in flight: Graph may have placed the call. It is adopted when it shows
        // up (or already was); otherwise the tick gives up on it after the adopt window. Never placed a second time.
        const adopted = await this.o.calls.callFor(reminder.correlationId);
        if (adopted) await this.adopt(reminder, adopted.id, adopted.state);
        else if (!reminder.uncertainSince) await this.save({ ...reminder, uncertainSince: reminder.updatedAt });
        continue;
      }
      const call = reminder.callId ? await this.o.calls.getCall(reminder.callId) : undefined;
      if (call && call.state !== 'terminated') this.inFlight.set(call.id, { reminderId: reminder.id, phase: call.state === 'established' ? 'closing' : 'ringing' });
      else await this.attemptFailed(reminder, 'the app restarted during the call');
    }
    await this.tick();
    this.timer = setInterval(() => {
      this.tick().catch((err: Error) => this.o.logger.warn({ message: err?.message }, 'reminder tick failed'));
    }, this.o.tickMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.unsubscribe?.();
    for (const flight of this.inFlight.values()) clearTimeout(flight.keyTimer);
  }

  /** Fires every reminder that is due (exported for tests; runs on the tick). */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = this.o.now();
      for (const reminder of await this.list({ pendingOnly: true })) {
        if (reminder.status === 'calling' && !reminder.callId && reminder.uncertainSince) {
          await this.checkUncertain(reminder, now);
          continue;
        }
        if (reminder.status !== 'scheduled' && reminder.status !== 'snoozed') continue;
        if (reminder.dueAt > now.toISOString()) continue;
        await this.fire(reminder);
      }
    } finally {
      this.ticking = false;
    }
  }

  private async fire(reminder: Reminder): Promise<void> {
    // Late: it fell due before this process started, i.e. while the app was down.
    const late = reminder.attempts === 0 && this.startedAt !== undefined && Date.parse(reminder.dueAt) < this.startedAt;
    // Saved as "calling" before the call is placed, so a restart cannot place it twice.
    // Each attempt's call carries its own correlation id, saved before the create, so a create whose answer is lost
    // (or a restart mid-create) adopts that call instead of placing another.
    const attempts = reminder.attempts + 1;
    const correlationId = `rem.${reminder.id}.${attempts}`;
    // The claim is a compare-and-set: when several instances share the store, each ticks, and only the one whose
    // claim lands places the call.
    const claim = await this.o.store.update<Reminder>(REMINDERS_COLLECTION, reminder.id, (stored) =>
      stored && (stored.status === 'scheduled' || stored.status === 'snoozed') && stored.attempts === reminder.attempts && stored.dueAt === reminder.dueAt
        ? { ...stored, status: 'calling', attempts, late: stored.late || late, callId: undefined, correlationId, uncertainSince: undefined, updatedAt: this.o.now().toISOString() }
        : undefined,
    );
    if (!claim.written) return;
    let current = claim.value!;
    this.o.bus.publish({ type: REMINDER_EVENTS.updated, reminder: current });
    try {
      const call = await this.o.calls.placeCall({
        target: { kind: 'user', id: reminder.person.userId, displayName: reminder.person.displayName },
        subject: 'Reminder',
        purpose: 'reminder',
        context: { reminderId: reminder.id },
        correlationId,
      });
      if (this.inFlight.has(call.id)) return; // adopted meanwhile
      this.inFlight.set(call.id, { reminderId: reminder.id, phase: 'ringing' });
      current = await this.save({ ...current, callId: call.id, ...(this.o.cluster ? { owner: this.o.cluster.instanceId } : {}) });
      if (call.state === 'established') this.onEstablished(call.id);
    } catch (err) {
      const e = err as { code?: string; message?: string };
      if (e.code === 'calls/outcome-unknown') {
        this.o.logger.warn({ reminderId: reminder.id, correlationId }, 'the reminder call may or may not have been placed: waiting for it to show up');
        const latest = (await this.get(reminder.id)) ?? current;
        if (!latest.callId) await this.save({ ...latest, uncertainSince: this.o.now().toISOString() });
        return;
      }
      this.o.logger.warn({ reminderId: reminder.id, code: e.code }, 'reminder call could not be placed');
      await this.attemptFailed(current, `the call could not be placed (${e.code ?? 'error'})`);
    }
  }

  /** A call whose create answer was lost has turned up: it is this attempt's call. */
  private async adopt(reminder: Reminder, callId: string, state: string): Promise<void> {
    if (this.inFlight.has(callId)) return;
    this.inFlight.set(callId, { reminderId: reminder.id, phase: 'ringing' });
    await this.save({ ...reminder, callId, uncertainSince: undefined });
    this.o.logger.info({ reminderId: reminder.id, callId }, 'adopted the reminder call whose create answer was lost');
    if (state === 'established') this.onEstablished(callId);
    else if (state === 'terminated') {
      this.inFlight.delete(callId);
      await this.callEnded({ reminderId: reminder.id, phase: 'ringing' });
    }
  }

  private async checkUncertain(reminder: Reminder, now: Date): Promise<void> {
    const adopted = reminder.correlationId ? await this.o.calls.callFor(reminder.correlationId) : undefined;
    if (adopted) return this.adopt(reminder, adopted.id, adopted.state);
    if (now.getTime() - Date.parse(reminder.uncertainSince!) < this.o.adoptWindowMs) return;
    if (reminder.correlationId) await this.o.calls.abandonCreate(reminder.correlationId);
    await this.attemptFailed({ ...reminder, uncertainSince: undefined }, 'the call could not be confirmed');
  }

  /**
   * Cluster: an event this instance processed for a reminder call whose flow it does not run. When the instance that
   * placed the call is gone (its lease ran out), take the flow over: an answered call hears the reminder (again),
   * an ended one is recorded.
   */
  private takeOverIfOrphaned(e: CommsEvent): void {
    if (e.type !== CALL_EVENTS.state && e.type !== CALL_EVENTS.tone) return;
    const cluster = this.o.cluster!;
    if (this.inFlight.has(e.callId) || this.adopting.has(e.callId)) return;
    this.adopting.add(e.callId);
    void (async () => {
      // One read tells most calls apart (not a reminder's): only then are the reminders looked through.
      if ((await this.o.calls.getCallRecord(e.callId))?.purpose !== 'reminder') return;
      const find = async () => (await this.list({ pendingOnly: true })).find((r) => r.callId === e.callId && r.status === 'calling');
      const reminder = await find();
      if (!reminder?.owner || reminder.owner === cluster.instanceId) return;
      if (await cluster.isAlive(reminder.owner)) {
        // Usually the owner acts on this event too; it may also have just died (its lease not run out yet).
        await new Promise((resolve) => setTimeout(resolve, cluster.leaseMs + 500).unref());
        if (await cluster.isAlive(reminder.owner)) return;
        const again = await find();
        if (!again || again.updatedAt !== reminder.updatedAt) return;
      }
      if (this.inFlight.has(e.callId)) return;
      const session = await this.o.calls.getCall(e.callId);
      this.o.logger.info({ reminderId: reminder.id, callId: e.callId, from: reminder.owner }, 'took over a reminder call whose instance is gone');
      await this.save({ ...reminder, owner: cluster.instanceId });
      const flight: InFlight = { reminderId: reminder.id, phase: 'ringing' };
      this.inFlight.set(e.callId, flight);
      if (!session || session.state === 'terminated') {
        this.inFlight.delete(e.callId);
        await this.callEnded(flight, session?.resultInfo);
      } else if (session.state === 'established') {
        this.onEstablished(e.callId);
      }
    })()
      .catch((err: Error) => this.o.logger.warn({ callId: e.callId, message: err?.message }, 'could not take over a reminder call'))
      .finally(() => this.adopting.delete(e.callId));
  }

  private onEstablished(callId: string): void {
    const flight = this.inFlight.get(callId);
    if (!flight || flight.phase !== 'ringing') return;
    flight.phase = 'speaking';
    // From a bus event: a store or Graph failure in it is logged here (nobody else is waiting for it).
    void this.speak(callId, flight).catch(warnOnFailure(this.o.logger, 'could not deliver a reminder', { callId }));
  }

  private onEvent(e: CommsEvent): void {
    if (e.type === CALL_EVENTS.adopted) {
      void this.onAdopted(e.callId, e.correlationId, e.state).catch((err: Error) => this.o.logger.warn({ callId: e.callId, message: err?.message }, 'could not adopt a reminder call'));
      return;
    }
    if (e.type !== CALL_EVENTS.state && e.type !== CALL_EVENTS.tone) return;
    const flight = this.inFlight.get(e.callId);
    if (!flight) return;
    if (e.type === CALL_EVENTS.state && e.state === 'established' && flight.phase === 'ringing') {
      this.onEstablished(e.callId);
    } else if (e.type === CALL_EVENTS.state && e.state === 'terminated') {
      this.inFlight.delete(e.callId);
      clearTimeout(flight.keyTimer);
      void this.callEnded(flight, e.resultInfo).catch(warnOnFailure(this.o.logger, 'could not record how a reminder call ended', { callId: e.callId }));
    } else if (e.type === CALL_EVENTS.tone && (flight.phase === 'speaking' || flight.phase === 'waiting-key') && (e.tone === 'tone1' || e.tone === 'tone2')) {
      clearTimeout(flight.keyTimer);
      // A key during the message cuts it short (barge-in).
      if (flight.phase === 'speaking') void this.o.calls.cancelMediaProcessing(e.callId, { clientContext: 'reminder:barge-in' }).catch(() => undefined);
      flight.phase = 'closing';
      void this.answered(e.callId, flight, e.tone === 'tone1' ? 'confirmed' : 'snoozed').catch(warnOnFailure(this.o.logger, 'could not act on the key pressed in a reminder call', { callId: e.callId }));
    }
  }

  private async onAdopted(callId: string, correlationId: string, state: string): Promise<void> {
    const reminder = (await this.list({ pendingOnly: true })).find((r) => r.correlationId === correlationId);
    if (!reminder || reminder.status !== 'calling' || reminder.callId) return;
    const session = await this.o.calls.getCall(callId);
    await this.adopt(reminder, callId, session?.state ?? state);
  }

  private async speak(callId: string, flight: InFlight): Promise<void> {
    const reminder = await this.get(flight.reminderId);
    if (!reminder) return;
    try {
      const text = `Hello${reminder.person.displayName ? ` ${reminder.person.displayName.split(' ')[0]}` : ''}, this is a reminder from Switchboard. ${reminder.message}.` +
        (reminder.confirm ? ' Press 1 to confirm, or 2 to be reminded again in 10 minutes.' : '');
      if (reminder.confirm) await this.o.calls.subscribeToTone(callId, { clientContext: 'reminder' });
      const prompt = await this.o.prompts.speak(text, 'welcome');
      // Repeated after a lost answer: hearing the reminder twice beats silence (see the IVR's play()).
      await this.o.calls.playPrompt(callId, [{ uri: prompt.uri, resourceId: prompt.resourceId }], { clientContext: `reminder:${reminder.id}`.slice(0, 256), onAmbiguous: 'repeat', timeoutMs: this.o.promptTimeoutMs });
      if (!reminder.confirm) {
        flight.phase = 'closing';
        await this.finish(callId, reminder, 'delivered', 'message played');
        return;
      }
      if (flight.phase !== 'speaking') return; // a key came while speaking
      flight.phase = 'waiting-key';
      flight.keyTimer = setTimeout(() => {
        flight.phase = 'closing';
        void this.finish(callId, reminder, 'delivered', 'message played; no key pressed').catch(warnOnFailure(this.o.logger, 'could not record a delivered reminder', { callId }));
      }, this.o.answerWaitMs);
    } catch (err) {
      if (flight.phase !== 'speaking') return; // cancelled by a key press, which decided the outcome
      const e = err as { code?: string };
      this.o.logger.warn({ reminderId: reminder.id, code: e.code }, 'reminder prompt failed');
      flight.phase = 'closing';
      await this.finish(callId, reminder, 'failed', `the message could not be played (${e.code ?? 'error'})`);
    }
  }

  private async answered(callId: string, flight: InFlight, choice: 'confirmed' | 'snoozed'): Promise<void> {
    const reminder = await this.get(flight.reminderId);
    if (!reminder) return;
    const goodbye = choice === 'confirmed' ? 'Thank you. Goodbye.' : 'I will call you again in 10 minutes. Goodbye.';
    const prompt = await this.o.prompts.speak(goodbye, 'goodbye');
    await this.o.calls.playPrompt(callId, [{ uri: prompt.uri, resourceId: prompt.resourceId }], { clientContext: 'reminder:goodbye', timeoutMs: this.o.promptTimeoutMs }).catch(() => undefined);
    if (choice === 'snoozed') {
      const dueAt = new Date(this.o.now().getTime() + SNOOZE_MS).toISOString();
      await this.save({ ...reminder, status: 'snoozed', dueAt, attempts: 0, outcome: `snoozed until ${dueAt}` });
      await this.o.calls.hangUp(callId).catch(() => undefined);
      return;
    }
    await this.finish(callId, reminder, 'confirmed', 'confirmed by pressing 1');
  }

  private async finish(callId: string, reminder: Reminder, status: Reminder['status'], outcome: string): Promise<void> {
    await this.save({ ...reminder, status, outcome });
    await this.o.calls.hangUp(callId).catch(() => undefined);
  }

  private async callEnded(flight: InFlight, resultInfo?: { code?: number | string; subcode?: number | string; message?: string }): Promise<void> {
    const reminder = await this.get(flight.reminderId);
    if (!reminder || reminder.status !== 'calling') return; // already decided (confirmed, snoozed, delivered…)
    if (flight.phase === 'ringing') {
      const code = Number(resultInfo?.code);
      const declined = code === 603 || /declin|reject|busy/i.test(resultInfo?.message ?? '');
      return this.attemptFailed(reminder, declined ? 'declined' : 'not answered', declined);
    }
    await this.save({ ...reminder, status: 'delivered', outcome: 'the person hung up during the reminder' });
  }

  private async attemptFailed(reminder: Reminder, why: string, declined = false): Promise<void> {
    if (reminder.attempts < reminder.maxAttempts) {
      const dueAt = new Date(this.o.now().getTime() + this.o.retryDelayMs).toISOString();
      await this.save({ ...reminder, status: 'scheduled', dueAt, callId: undefined, uncertainSince: undefined, outcome: `${why}; trying again at ${dueAt}` });
      return;
    }
    await this.save({ ...reminder, status: declined ? 'declined' : why === 'not answered' ? 'unanswered' : 'failed', outcome: `${why} after ${reminder.attempts} attempt${reminder.attempts === 1 ? '' : 's'}` });
  }

  private async save(reminder: Reminder): Promise<Reminder> {
    const saved = { ...reminder, updatedAt: this.o.now().toISOString() };
    await this.o.store.put(REMINDERS_COLLECTION, saved.id, saved);
    this.o.bus.publish({ type: REMINDER_EVENTS.updated, reminder: saved });
    return saved;
  }
}
