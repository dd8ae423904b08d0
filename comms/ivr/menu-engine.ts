// Runs IVR menus on answered calls: play the menu prompt, listen for keys (a key during the prompt cancels it —
// barge-in), act on the option, retry on silence or a wrong key up to the menu's limit, then the fallback.
// A menu with `speech` also listens for a spoken reply: its prompt is the prompt of a recordResponse (Graph starts
// the recording when the prompt ends), the reply is recognised and understood in memory, and the decision — never
// the words — is acted on and kept. Not understood: once more with a prompt naming the choices, then keys only.
// The position is kept on the call (session.context.ivr), so an app restart resumes the menu.
// In a cluster the menu runs on the instance that answered (its owner, named in the position): it hears the call's
// events from every instance. When the owner is gone, the instance that receives the call's next event takes the
// menu over from the stored position — or, when no event comes (a silent caller, a transfer decided but not sent),
// the instance that fires the menu's watch: a durable timer the owner moves at every step.
import { applicationInstanceOf, CALL_EVENTS, type CallService, type CallTarget } from '../calls/index.js';
import { IvrError } from './ivr-error.js';
import type { CommsEvent, EventBus } from '../store/index.js';
import type { PromptRef } from '../speech/index.js';
import { personFor, type CompiledFrontDesk, type PersonIdentity } from './front-desk-rules.js';
import type { Key, Menu, MenuAction, Prompt } from './front-desk-schema.js';
import type { InstanceRegistry, Scheduler } from '../runtime/index.js';
import { IVR_EVENTS, type IvrStepEvent, type SpokenDecision } from './ivr-events.js';
import type { SpokenReplyListener } from './spoken-reply.js';
import type { RecordedResponse } from '../calls/index.js';

export interface IvrPosition {
  menu: string;
  /** Menus to go back to, innermost last. */
  stack: string[];
  retries: number;
  /** `listening`: a speech menu's prompt and recording are running (keys barge in as during `prompting`). */
  phase: 'starting' | 'prompting' | 'listening' | 'waiting' | 'busy' | 'done';
  /** The instance running this menu (cluster only). */
  owner?: string;
  /** The language the menus speak and listen in for this call (BCP-47). */
  language?: string;
  /** Spoken replies in this menu that were heard but not understood. */
  misheard?: number;
  /** Keys only from now on in this menu (spoken replies were not understood twice). */
  keysOnly?: boolean;
  /** How the caller's spoken reply routed the call (kept for a restart, the call card and the tab). */
  routed?: SpokenDecision;
  /** Phase `done`: what ends the menu, and how many transfer requests were sent (an instance taking over sends at most one more). */
  finishing?: { action: Extract<MenuAction, { action: 'transfer' | 'hangup' }>; attempts: number };
}

export interface MenuEngineDeps {
  calls: CallService;
  bus: EventBus;
  /** The front desk in force (re-read on each step, so a reloaded file applies to the next prompt). */
  frontDesk: () => CompiledFrontDesk | undefined;
  /** The prompt's audio in the call's language (undefined: the front desk's). */
  prompt: (prompt: Prompt, language?: string) => Promise<PromptRef>;
  /** Recognises and understands spoken replies; without it (or for a language it lacks) menus take keys only. */
  listener?: SpokenReplyListener;
  logger: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  deadlines?: IvrDeadlines;
  /** Several instances share the calls (distributed mode). */
  cluster?: InstanceRegistry;
  /** Cluster: the durable timers that carry each menu's watch (see onWatch). */
  scheduler?: Scheduler;
  /** Call queues: an `enqueue` option hands the call over to them (comms/queues). */
  callQueues?: QueueHandoff;
}

/** Every step has a deadline; past it the step is re-checked, retried or the call ended politely (tests shorten them). */
export interface IvrDeadlines {
  /** How long a prompt may take to report completion before it is re-read from Graph (default 60 s). */
  promptMs?: number;
  /** Added to a recording's longest duration for its completion to arrive (default 30 s). */
  recordGraceMs?: number;
}

/** How long a pause ends a spoken reply (Graph's maxSilenceTimeoutInSeconds). */
export const END_OF_REPLY_SECONDS = 2;

/** What the caller hears when a step cannot be recovered, just before the bot hangs up. */
export const SORRY_PROMPT: Prompt = { text: 'Sorry, something went wrong on our side. Please call again later. Goodbye.' };

/** What the menus need of the call queues: take a call over into a queue (comms/queues' QueueService does). */
export interface QueueHandoff {
  enqueue(callId: string, queue: string, options?: { answer?: boolean; language?: string }): Promise<unknown>;
}

const WATCH_JOB = 'ivr-watch';

const TONE_KEYS: Record<string, Key> = {
  tone0: '0', tone1: '1', tone2: '2', tone3: '3', tone4: '4', tone5: '5', tone6: '6', tone7: '7', tone8: '8', tone9: '9', star: '*', pound: '#',
};

export class MenuEngine {
  private readonly deps: MenuEngineDeps;
  private readonly timers: NonNullable<MenuEngineDeps['timers']>;
  private readonly queues = new Map<string, Promise<void>>();
  private readonly waits = new Map<string, unknown>();
  private readonly positions = new Map<string, IvrPosition>();
  private readonly ending = new Set<string>();
  private readonly adopting = new Set<string>();
  private readonly deadlines: Required<IvrDeadlines>;
  private unsubscribe?: () => void;

  constructor(deps: MenuEngineDeps) {
    this.deps = deps;
    this.deadlines = { promptMs: 60_000, recordGraceMs: 30_000, ...deps.deadlines };
    this.timers = deps.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    if (deps.cluster) deps.scheduler?.define(WATCH_JOB, (job) => this.onWatch(job.id));
  }

  start(): void {
    if (!this.deps.cluster) {
      this.unsubscribe = this.deps.bus.subscribe((event) => this.onEvent(event));
      return;
    }
    const fromAll = this.deps.bus.subscribe((event) => this.onEvent(event), { scope: 'cluster' });
    const fromHere = this.deps.bus.subscribe((event) => this.adoptIfOrphaned(event));
    this.unsubscribe = () => {
      fromAll();
      fromHere();
    };
  }

  stop(): void {
    this.unsubscribe?.();
    for (const handle of this.waits.values()) this.timers.clearTimeout(handle);
    this.waits.clear();
  }

  /** Marks an answered call to run `menu` once it is established, speaking `language`. */
  async attach(callId: string, menu: string, language?: string): Promise<void> {
    await this.save(callId, { menu, stack: [], retries: 0, phase: 'starting', ...(language ? { language } : {}) });
  }

  /** Picks up menus that were running when the app stopped. */
  async resume(): Promise<void> {
    for (const call of await this.deps.calls.listCallRecords({ live: true })) {
      const ivr = call.context.ivr as IvrPosition | undefined;
      if (call.purpose !== 'front-desk' || !ivr) continue;
      // In a cluster a menu whose owner is alive stays with it.
      if (this.deps.cluster && ivr.owner && ivr.owner !== this.deps.cluster.instanceId && (await this.deps.cluster.isAlive(ivr.owner))) continue;
      this.positions.set(call.id, ivr);
      if (call.state !== 'established') continue;
      // Done but still connected: the app stopped between deciding to end (or transfer) and doing it — end it now.
      if (ivr.phase === 'done') this.enqueue(call.id, () => this.endPolitely(call.id, 'the app restarted while ending the call'));
      else {
        this.enqueue(call.id, async () => {
          // Answered but the menu never started: keys were never subscribed to (repeating it is harmless).
          if (ivr.phase === 'starting') await this.deps.calls.subscribeToTone(call.id, { clientContext: 'ivr' });
          // A menu that was prompting, listening or waiting is asked again (with its retry prompt); its retries count on.
          await this.enterMenu(call.id, ivr, ivr.phase !== 'starting');
        });
      }
    }
  }

  /** Resolves when every queued step has run (tests and shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.queues.values()]);
  }

  private onEvent(e: CommsEvent): void {
    if (e.type === CALL_EVENTS.state) {
      const position = this.positions.get(e.callId);
      if (e.state === 'terminated') return this.forget(e.callId);
      if (e.state === 'established' && (e.previous === 'transferring' || e.previous === 'transferAccepted') && position?.phase === 'done') {
        // The transfer failed and the call came back to the bot: nobody would speak to the caller again.
        this.step(e.callId, 'transfer-failed', {});
        this.enqueue(e.callId, () => this.endPolitely(e.callId, 'the transfer failed'));
        return;
      }
      if (e.state === 'established' && position?.phase === 'starting') {
        this.enqueue(e.callId, async () => {
          await this.deps.calls.subscribeToTone(e.callId, { clientContext: 'ivr' });
          await this.enterMenu(e.callId, position, false);
        });
      }
    } else if (e.type === CALL_EVENTS.tone) {
      const position = this.positions.get(e.callId);
      const key = TONE_KEYS[e.tone];
      if (!position || !key || position.phase === 'done') return;
      if (position.phase === 'prompting' || position.phase === 'listening') {
        // Barge-in: stop the prompt (or the recording) now, outside the queue (the queue is waiting for it to finish).
        this.deps.calls.cancelMediaProcessing(e.callId, { clientContext: 'ivr-barge-in' }).catch((err) => this.deps.logger.warn({ err, callId: e.callId }, 'barge-in cancel failed'));
      }
      this.enqueue(e.callId, () => this.onKey(e.callId, key));
    }
  }

  private enqueue(callId: string, step: () => Promise<void>): void {
    const previous = this.queues.get(callId) ?? Promise.resolve();
    const next = previous
      .then(step)
      .catch((err: { code?: string; message?: string }) => {
        if (err?.code === 'calls/call-ended' || err?.code === 'calls/not-found') return this.forget(callId);
        this.deps.logger.warn({ callId, code: err?.code, message: err?.message }, 'IVR step failed');
        this.deps.bus.publish({ type: CALL_EVENTS.error, callId, code: err?.code ?? 'ivr/menu-failed', message: err?.message ?? 'IVR step failed' });
        // A step that could not be recovered (retries spent, deadline passed): never leave the caller in silence.
        return this.endPolitely(callId, err?.code ?? 'error').catch((last: { code?: string; message?: string }) =>
          // Nothing more can be done here (the store or Graph is gone, e.g. while the app stops): keepAlive and the
          // reconciliation on the next start take it from here.
          this.deps.logger.warn({ callId, code: last?.code, message: last?.message }, 'could not end the call politely'),
        );
      });
    this.queues.set(callId, next);
    void next.finally(() => {
      if (this.queues.get(callId) === next) this.queues.delete(callId);
    });
  }

  private menuOf(name: string): Menu | undefined {
    return this.deps.frontDesk()?.desk.menus[name];
  }

  private async enterMenu(callId: string, position: IvrPosition, retry: boolean): Promise<void> {
    const menu = this.menuOf(position.menu);
    if (!menu) return this.finish(callId, { action: 'hangup' });
    this.cancelWait(callId);
    let firstPrompt = menu.prompt;
    if (menu.speech !== false && !position.keysOnly) {
      const language = this.languageOf(position);
      if (this.deps.listener?.supports(language)) return this.listen(callId, menu, position, retry);
      // This menu cannot listen in the caller's language: it offers keys (with its keys-only prompt).
      firstPrompt = speechSettings(menu).keysPrompt ?? menu.prompt;
      if (!retry) this.step(callId, 'keys-only', { menu: position.menu, why: this.deps.listener ? `no recogniser for ${language}` : 'no speech recogniser' });
    }
    await this.save(callId, { ...position, phase: 'prompting' });
    this.step(callId, 'menu', { menu: position.menu, retry });
    const prompt = retry && menu.retryPrompt ? menu.retryPrompt : firstPrompt;
    const played = await this.play(callId, prompt, `ivr:${position.menu}`, position.language);
    const now = this.positions.get(callId);
    if (!played || !now || now.phase !== 'prompting') return; // interrupted by a key, or the call ended
    await this.save(callId, { ...now, phase: 'waiting' });
    this.waits.set(
      callId,
      this.timers.setTimeout(() => this.enqueue(callId, () => this.onSilence(callId)), menu.timeoutSeconds * 1000),
    );
  }

  /**
   * A speech menu: the prompt plays and the reply is recorded in one recordResponse (Graph starts recording when the
   * prompt ends; keys stop it — stopTones — and arrive as tone events too). Silence is a timeout as in a keypad menu.
   */
  private async listen(callId: string, menu: Menu, position: IvrPosition, retry: boolean): Promise<void> {
    const settings = speechSettings(menu);
    await this.save(callId, { ...position, phase: 'listening' });
    this.step(callId, 'menu', { menu: position.menu, retry, listening: true });
    const prompt = !retry ? menu.prompt : position.misheard ? (settings.notUnderstoodPrompt ?? menu.retryPrompt ?? menu.prompt) : (menu.retryPrompt ?? menu.prompt);
    const ref = await this.deps.prompt(prompt, position.language);
    let reply: RecordedResponse;
    try {
      reply = await this.deps.calls.recordResponse(callId, {
        prompts: [{ uri: ref.uri, resourceId: ref.resourceId }],
        initialSilenceTimeoutInSeconds: menu.timeoutSeconds,
        maxSilenceTimeoutInSeconds: END_OF_REPLY_SECONDS,
        maxRecordDurationInSeconds: settings.maxSeconds,
        playBeep: false,
        stopTones: Object.keys(menu.options),
        clientContext: `ivr-listen:${position.menu}`,
        timeoutMs: 2 * this.deadlines.promptMs + (menu.timeoutSeconds + settings.maxSeconds) * 1000 + this.deadlines.recordGraceMs,
        onAmbiguous: 'repeat',
      });
    } catch (err) {
      const e = err as { code?: string; completionReason?: string; resultInfo?: { code?: number; subcode?: number } };
      if (e.code === 'calls/operation-failed' && Number(e.resultInfo?.subcode) === 8508) return; // a key cancelled it (barge-in)
      const silent = (e.code === 'calls/operation-failed' && (e.completionReason === 'initialSilenceTimeout' || Number(e.resultInfo?.code) === 408)) || e.code === 'calls/recording-missing';
      if (!silent) throw err;
      const now = this.positions.get(callId);
      if (!now || now.phase !== 'listening') return;
      this.step(callId, 'timeout', { menu: now.menu });
      return this.retryOrFallback(callId, now);
    }
    const now = this.positions.get(callId);
    if (!now || now.phase !== 'listening') return;
    if (reply.completionReason === 'stopToneDetected') {
      // A key ended the recording: its tone event is on its way (or queued behind this step) and decides.
      await this.save(callId, { ...now, phase: 'waiting' });
      this.waits.set(callId, this.timers.setTimeout(() => this.enqueue(callId, () => this.onSilence(callId)), menu.timeoutSeconds * 1000));
      return;
    }
    const routed = await this.hear(callId, menu, now, reply.audio);
    const after = this.positions.get(callId);
    if (!after || after.phase !== 'listening') return;
    this.step(callId, 'spoken', { menu: after.menu, routed });
    if (routed.outcome === 'upset') {
      await this.save(callId, { ...after, routed, phase: 'busy' });
      return this.act(callId, { ...after, routed }, settings.onNegative!);
    }
    if (routed.outcome === 'intent') {
      const intent = menu.intents[routed.intent!]!;
      const action = intent.option !== undefined ? menu.options[intent.option] : intent.then;
      await this.save(callId, { ...after, routed, phase: 'busy' });
      return this.act(callId, { ...after, routed }, action ?? menu.fallback);
    }
    const misheard = (after.misheard ?? 0) + 1;
    // Heard but not understood: once more naming the choices, then the keypad menu (its retries, then the fallback).
    await this.enterMenu(callId, { ...after, routed, misheard, ...(misheard >= 2 ? { keysOnly: true } : {}) }, true);
  }

  /** The decision on a recorded reply; a recogniser failure is logged once and counts as not understood. */
  private async hear(callId: string, menu: Menu, position: IvrPosition, audio: Buffer): Promise<SpokenDecision> {
    const settings = speechSettings(menu);
    const intents = Object.entries(menu.intents).map(([name, i]) => ({ name, phrases: i.phrases }));
    try {
      const understood = await this.deps.listener!.hear(audio, { language: this.languageOf(position), intents });
      const sentiment = understood.sentiment;
      if (sentiment === 'negative' && settings.onNegative) return { outcome: 'upset', confidence: understood.confidence, sentiment, ...(understood.intent ? { intent: understood.intent } : {}) };
      if (understood.intent && menu.intents[understood.intent]) return { outcome: 'intent', intent: understood.intent, confidence: understood.confidence, sentiment };
      return { outcome: 'not-understood', confidence: understood.confidence, sentiment };
    } catch (err) {
      const e = err as { code?: string };
      this.deps.logger.warn({ callId, code: e.code ?? 'speech/recognition-failed', recognizer: this.deps.listener!.id, bytes: audio.length }, 'a spoken reply could not be recognised; the caller is asked again');
      return { outcome: 'not-understood', confidence: 0, sentiment: 'neutral' };
    }
  }

  private languageOf(position: IvrPosition): string {
    return position.language ?? this.deps.frontDesk()?.desk.language ?? 'en-US';
  }

  private async onSilence(callId: string): Promise<void> {
    const position = this.positions.get(callId);
    if (!position || position.phase !== 'waiting') return;
    this.step(callId, 'timeout', { menu: position.menu });
    await this.retryOrFallback(callId, position);
  }

  private async retryOrFallback(callId: string, position: IvrPosition): Promise<void> {
    const menu = this.menuOf(position.menu);
    if (!menu) return this.finish(callId, { action: 'hangup' });
    if (position.retries >= menu.maxRetries) {
      this.step(callId, 'fallback', { menu: position.menu });
      return this.act(callId, position, menu.fallback);
    }
    await this.enterMenu(callId, { ...position, retries: position.retries + 1 }, true);
  }

  private async onKey(callId: string, key: Key): Promise<void> {
    const position = this.positions.get(callId);
    if (!position || (position.phase !== 'prompting' && position.phase !== 'listening' && position.phase !== 'waiting')) return;
    this.cancelWait(callId);
    const menu = this.menuOf(position.menu);
    const action = menu?.options[key];
    this.step(callId, 'key', { menu: position.menu, key, known: !!action });
    if (!action) return this.retryOrFallback(callId, position);
    await this.act(callId, position, action);
  }

  private async act(callId: string, position: IvrPosition, action: MenuAction): Promise<void> {
    switch (action.action) {
      case 'repeat':
        return this.enterMenu(callId, { ...position, retries: 0 }, false);
      case 'menu':
        return this.enterMenu(callId, moved(position, action.menu, [...position.stack, position.menu]), false);
      case 'back': {
        const previous = position.stack.at(-1);
        if (!previous) return this.enterMenu(callId, { ...position, retries: 0 }, false);
        return this.enterMenu(callId, moved(position, previous, position.stack.slice(0, -1)), false);
      }
      case 'record': {
        await this.save(callId, { ...position, phase: 'busy' });
        const prompt = await this.deps.prompt(action.prompt, position.language);
        const recording = await this.deps.calls.recordResponse(callId, {
          prompts: [{ uri: prompt.uri, resourceId: prompt.resourceId }],
          maxRecordDurationInSeconds: action.maxSeconds,
          playBeep: true,
          stopTones: ['#'],
          clientContext: `ivr-record:${position.menu}`,
          timeoutMs: this.deadlines.promptMs + action.maxSeconds * 1000 + this.deadlines.recordGraceMs,
          // The call service cancels media processing before repeating, so two recordings never queue up.
          onAmbiguous: 'repeat',
        });
        // The audio stays in memory: it is measured and announced, never stored (Graph media terms).
        this.deps.bus.publish({ type: IVR_EVENTS.recording, callId, menu: position.menu, bytes: recording.audio.length, contentType: recording.contentType });
        return this.act(callId, position, action.then);
      }
      case 'enqueue': {
        // The queue takes the call over (its purpose becomes 'queue'): the menu ends here, also across a restart.
        if (!this.deps.callQueues) return this.finish(callId, { action: 'hangup', prompt: SORRY_PROMPT });
        this.step(callId, 'enqueue', { menu: position.menu });
        await this.deps.callQueues.enqueue(callId, action.queue, { language: (position as { language?: string }).language });
        this.forget(callId);
        return;
      }
      case 'transfer':
      case 'hangup':
        return this.finish(callId, action);
    }
  }

  private async finish(callId: string, action: Extract<MenuAction, { action: 'transfer' | 'hangup' }>): Promise<void> {
    const position = this.positions.get(callId);
    if (position) await this.save(callId, { ...position, phase: 'done', finishing: { action, attempts: 0 } });
    if (action.prompt) await this.play(callId, action.prompt, `ivr:${action.action}`, position?.language);
    await this.complete(callId, action);
  }

  /** Sends the transfer or the hang-up; a transfer request is counted on the position before it goes. */
  private async complete(callId: string, action: Extract<MenuAction, { action: 'transfer' | 'hangup' }>): Promise<void> {
    if (action.action === 'transfer') {
      const compiled = this.deps.frontDesk();
      if (!compiled) return;
      const target = toCallTarget(personFor(compiled, action.to));
      if (target.kind === 'phone') {
        // Graph transfers to a phone number only from a call through the application instance (call-transfer).
        const call = await this.deps.calls.getCall(callId);
        if (call && !applicationInstanceOf(call)) throw new IvrError('ivr/menu-failed', `"${action.to}" is a phone number, and only a call through the application instance (PSTN_APPLICATION_INSTANCE_ID) can be transferred to one`);
      }
      const position = this.positions.get(callId);
      if (position?.finishing) await this.save(callId, { ...position, finishing: { action, attempts: position.finishing.attempts + 1 } });
      this.step(callId, 'transfer', { to: action.to });
      await this.deps.calls.transfer(callId, { target, clientContext: 'ivr-transfer' });
      return;
    }
    this.step(callId, 'hangup', {});
    await this.deps.calls.hangUp(callId);
  }

  /**
   * Plays a prompt; false when it was cancelled (barge-in) rather than finished. A 429/503 is retried by the call
   * service. After a dropped connection or a timeout the prompt is sent again ('repeat'): if Graph had started the
   * first one the caller hears the menu twice — the same as pressing "repeat", and a key press cancels both (barge-in)
   * — whereas not repeating leaves the caller in silence. Cancelling first would cut the first prompt off mid-word
   * and add one more request that can fail, for no gain to the caller.
   */
  private async play(callId: string, prompt: Prompt, clientContext: string, language?: string, timeoutMs = this.deadlines.promptMs): Promise<boolean> {
    const ref = await this.deps.prompt(prompt, language);
    try {
      await this.deps.calls.playPrompt(callId, [{ uri: ref.uri, resourceId: ref.resourceId }], { clientContext, timeoutMs, onAmbiguous: 'repeat' });
      return true;
    } catch (err) {
      const e = err as { code?: string; resultInfo?: { subcode?: number } };
      if (e.code === 'calls/operation-failed' && Number(e.resultInfo?.subcode) === 8508) return false; // cancelled by barge-in
      throw err;
    }
  }

  /** The last resort: a short apology if it can still be played, then hang up (the call service retries the hang-up). */
  private async endPolitely(callId: string, why: string): Promise<void> {
    if (this.ending.has(callId)) return;
    this.ending.add(callId);
    try {
      this.cancelWait(callId);
      const position = this.positions.get(callId);
      if (position) await this.save(callId, { ...position, phase: 'done' }).catch(() => undefined);
      this.step(callId, 'ended-politely', { why });
      const call = await this.deps.calls.getCallRecord(callId);
      if (!call || call.state === 'terminated') return;
      if (call.state === 'established') {
        await this.play(callId, SORRY_PROMPT, 'ivr:sorry', position?.language).catch((err: { code?: string }) => this.deps.logger.warn({ callId, code: err?.code }, 'the apology could not be played'));
      }
      await this.deps.calls.hangUp(callId).catch((err: { code?: string }) => this.deps.logger.warn({ callId, code: err?.code }, 'hang-up failed; keepAlive repeats it'));
    } finally {
      this.ending.delete(callId);
    }
  }

  /**
   * Cluster: an event this instance processed for a menu it does not run. If the menu's owner is gone, take it over
   * from the stored position; the key that woke it is then handled as if the menu were waiting for it.
   */
  private adoptIfOrphaned(e: CommsEvent): void {
    if (e.type !== CALL_EVENTS.tone && !(e.type === CALL_EVENTS.state && e.state === 'established')) return;
    if (this.positions.has(e.callId) || this.adopting.has(e.callId)) return;
    const cluster = this.deps.cluster!;
    this.adopting.add(e.callId);
    void (async () => {
      const call = await this.deps.calls.getCallRecord(e.callId);
      const stored = call?.context.ivr as IvrPosition | undefined;
      if (!call || call.purpose !== 'front-desk' || !stored || stored.phase === 'done' || call.state !== 'established') return;
      if (stored.owner === cluster.instanceId) return;
      if (stored.owner && (await cluster.isAlive(stored.owner))) {
        // Usually the owner heard this event too and acts on it. It may also have just died (its lease has not run
        // out yet): look again once the lease would have, and take over if it is gone and never acted.
        await new Promise((resolve) => this.timers.setTimeout(() => resolve(undefined), cluster.leaseMs + 500));
        if (await cluster.isAlive(stored.owner)) return;
        const now = (await this.deps.calls.getCallRecord(e.callId))?.context.ivr as IvrPosition | undefined;
        if (!now || JSON.stringify(now) !== JSON.stringify(stored)) return;
      }
      if (this.positions.has(e.callId)) return;
      // A compare-and-set on the position as read: if another instance took it over meanwhile, it keeps it.
      const claimed = await this.deps.calls.claimContext(e.callId, (context) => (JSON.stringify(context.ivr) === JSON.stringify(stored) ? { ...context, ivr: { ...stored, owner: cluster.instanceId } } : undefined));
      if (!claimed) return;
      this.deps.logger.info({ callId: e.callId, from: stored.owner }, 'took over the menu of a call whose instance is gone');
      this.step(e.callId, 'adopted', { menu: stored.menu });
      if (e.type === CALL_EVENTS.tone) {
        const key = TONE_KEYS[e.tone];
        await this.save(e.callId, { ...stored, phase: 'waiting' });
        if (key) this.enqueue(e.callId, () => this.onKey(e.callId, key));
      } else {
        await this.save(e.callId, stored);
        this.enqueue(e.callId, async () => {
          if (stored.phase === 'starting') await this.deps.calls.subscribeToTone(e.callId, { clientContext: 'ivr' });
          await this.enterMenu(e.callId, stored, stored.phase !== 'starting');
        });
      }
    })()
      .catch((err: { code?: string; message?: string }) => this.deps.logger.warn({ callId: e.callId, code: err?.code, message: err?.message }, 'could not take over a menu'))
      .finally(() => this.adopting.delete(e.callId));
  }

  private async save(callId: string, position: IvrPosition): Promise<void> {
    if (this.deps.cluster) position = { ...position, owner: this.deps.cluster.instanceId };
    this.positions.set(callId, position);
    // The watch moves first: an instance killed between the two leaves a watch for this step over the previous
    // position (another instance resumes from there), never a stored step whose watch is still the previous one's —
    // a menu waiting for a key has its watch a whole timeout away.
    await this.watch(callId, position);
    await this.deps.calls.updateContext(callId, { purpose: 'front-desk', context: { ivr: position } });
  }

  /**
   * Cluster: moves the menu's watch to when another instance should look whether its owner is still there — once
   * the caller's time to press a key has run out while the menu waits, otherwise one lease from now.
   */
  private async watch(callId: string, position: IvrPosition): Promise<void> {
    const { cluster, scheduler } = this.deps;
    if (!cluster || !scheduler) return;
    const waiting = position.phase === 'waiting' ? (this.menuOf(position.menu)?.timeoutSeconds ?? 0) * 1000 : 0;
    await scheduler.schedule(WATCH_JOB, callId, Date.now() + waiting + cluster.leaseMs + 1_000, {}).catch((err: { code?: string; message?: string }) => this.deps.logger.warn({ callId, code: err?.code, message: err?.message }, 'could not move the menu\'s watch'));
  }

  /**
   * Cluster: a menu's watch fired (on any instance). While its owner is alive it only looks again later. When the
   * owner is gone, this instance claims the menu (a compare-and-set on the stored position: one instance wins) and
   * goes on from where it stood: a caller left waiting gets the timeout, a decided hang-up or transfer is completed —
   * a transfer request at most once more (the first may have been lost with its instance), after a failed one or a
   * second request the caller is told goodbye.
   */
  private async onWatch(callId: string): Promise<void> {
    const cluster = this.deps.cluster!;
    const call = await this.deps.calls.getCall(callId);
    const stored = call?.context.ivr as IvrPosition | undefined;
    if (!call || call.purpose !== 'front-desk' || !stored || call.state === 'terminated') return;
    if (!stored.owner || stored.owner === cluster.instanceId || (await cluster.isAlive(stored.owner)) || call.state !== 'established') {
      // Running (here or elsewhere), or in Graph's hands (a transfer ringing): look again later.
      return this.watch(callId, { ...stored, phase: 'busy' });
    }
    const gone = stored.owner;
    const claimed = await this.deps.calls.claimContext(callId, (context) => {
      const now = context.ivr as IvrPosition | undefined;
      return now?.owner === gone ? { ...context, ivr: { ...now, owner: cluster.instanceId } } : undefined;
    });
    if (!claimed) return;
    const position = claimed.context.ivr as unknown as IvrPosition;
    this.positions.set(callId, position);
    this.deps.logger.info({ callId, from: gone, phase: position.phase }, 'took over the menu of a call whose instance is gone (its watch fired)');
    this.step(callId, 'adopted', { menu: position.menu });
    await this.watch(callId, position);
    if (position.phase === 'done') {
      const { finishing } = position;
      const failed = Number(claimed.resultInfo?.code) >= 400; // a transfer that came back refused
      if (!finishing || finishing.attempts >= 2 || (finishing.attempts >= 1 && failed)) return this.enqueue(callId, () => this.endPolitely(callId, 'the instance ending the call is gone'));
      return this.enqueue(callId, () => this.complete(callId, finishing.action));
    }
    if (position.phase === 'waiting') return this.enqueue(callId, () => this.onSilence(callId));
    this.enqueue(callId, async () => {
      if (position.phase === 'starting') await this.deps.calls.subscribeToTone(callId, { clientContext: 'ivr' });
      await this.enterMenu(callId, position, position.phase !== 'starting');
    });
  }

  private step(callId: string, step: string, detail: Omit<IvrStepEvent, 'type' | 'callId' | 'step'>): void {
    this.deps.bus.publish({ type: IVR_EVENTS.step, callId, step, ...detail });
  }

  private cancelWait(callId: string): void {
    const handle = this.waits.get(callId);
    if (handle !== undefined) this.timers.clearTimeout(handle);
    this.waits.delete(callId);
  }

  private forget(callId: string): void {
    this.cancelWait(callId);
    this.positions.delete(callId);
  }
}

/** The position on entering another menu: its own retries and spoken-reply state, the call's language kept. */
function moved(position: IvrPosition, menu: string, stack: string[]): IvrPosition {
  return { menu, stack, retries: 0, phase: 'starting', ...(position.language ? { language: position.language } : {}), ...(position.routed ? { routed: position.routed } : {}) };
}

/** A menu's speech settings with their defaults (`"speech": true` means all defaults). */
export function speechSettings(menu: Menu): { maxSeconds: number; notUnderstoodPrompt?: Prompt; keysPrompt?: Prompt; onNegative?: MenuAction } {
  return typeof menu.speech === 'object' ? menu.speech : { maxSeconds: 10 };
}

export function toCallTarget(person: PersonIdentity): CallTarget {
  if (person.userId) return { kind: 'user', id: person.userId, displayName: person.displayName };
  return { kind: 'phone', number: person.phone! };
}
