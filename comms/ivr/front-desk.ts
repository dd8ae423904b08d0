// The front desk at work: loads the rules file (and reloads it on change, keeping the last valid one), decides every
// incoming call within the answer window, answers into IVR menus, and keeps a log of what it did with each call.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { CALL_EVENTS, type CallIncomingEvent, type CallService } from '../calls/index.js';
import type { PromptService, PromptRef } from '../speech/index.js';
import type { CommsEvent, EventBus, Store } from '../store/index.js';
import { loadFrontDeskFile, type LoadedFrontDesk } from './front-desk-file.js';
import { compileFrontDesk, decideIncoming, type CompiledFrontDesk, type Decision, type PersonIdentity, type PersonResolver } from './front-desk-rules.js';
import type { Prompt } from './front-desk-schema.js';
import { IvrError } from './ivr-error.js';
import type { InstanceRegistry } from '../runtime/index.js';
import { FRONT_DESK_EVENTS } from './ivr-events.js';
import { MenuEngine, SORRY_PROMPT, toCallTarget, type IvrDeadlines, type QueueHandoff } from './menu-engine.js';

export const FRONT_DESK_LOG = 'front-desk-log';

export interface HandledCall {
  callId: string;
  at: string;
  caller: PersonIdentity;
  rule: string;
  action: Decision['action'];
  detail?: string;
  error?: string;
}

export interface FrontDeskOptions {
  calls: CallService;
  bus: EventBus;
  store: Store;
  prompts: PromptService;
  resolvePerson: PersonResolver;
  logger: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
  now?: () => Date;
  timers?: ConstructorParameters<typeof MenuEngine>[0]['timers'];
  /** IVR step deadlines (tests shorten them). */
  deadlines?: IvrDeadlines;
  /** Distributed mode: which instances are alive, so a menu left by a gone instance is taken over. */
  cluster?: InstanceRegistry;
  /** Call queues (comms/queues): where `enqueue` rules and menu options hand calls over. */
  queues?: QueueHandoff;
}

export class FrontDesk {
  private readonly options: FrontDeskOptions;
  private readonly engine: MenuEngine;
  private current?: { loaded: LoadedFrontDesk; compiled: CompiledFrontDesk };
  private unsubscribe?: () => void;
  private watcher?: FSWatcher;
  private reloadTimer?: NodeJS.Timeout;

  constructor(options: FrontDeskOptions) {
    this.options = options;
    this.engine = new MenuEngine({
      calls: options.calls,
      bus: options.bus,
      frontDesk: () => this.current?.compiled,
      prompt: (p) => this.prompt(p),
      logger: options.logger,
      timers: options.timers,
      deadlines: options.deadlines,
      cluster: options.cluster,
      callQueues: options.queues,
    });
  }

  get rules(): CompiledFrontDesk | undefined {
    return this.current?.compiled;
  }

  get path(): string | undefined {
    return this.current?.loaded.path;
  }

  /** Loads (or reloads) the file. On failure the previous front desk stays in force and the error is thrown. */
  async load(path: string): Promise<CompiledFrontDesk> {
    try {
      const loaded = await loadFrontDeskFile(path);
      const compiled = await compileFrontDesk(loaded.desk, this.options.resolvePerson);
      this.current = { loaded, compiled };
      this.options.bus.publish({ type: FRONT_DESK_EVENTS.loaded, path, rules: compiled.desk.rules.length, menus: Object.keys(compiled.desk.menus).length });
      void this.warmPrompts();
      return compiled;
    } catch (err) {
      const problems = err instanceof IvrError ? err.problems : [];
      this.options.bus.publish({ type: FRONT_DESK_EVENTS.invalid, path, code: (err as IvrError).code, problems });
      throw err;
    }
  }

  /** Reloads when the file changes (watching its folder: editors replace files rather than write them). */
  watch(path: string): void {
    this.watcher?.close();
    const name = basename(path);
    try {
      this.watcher = this.watchFolder(path, name);
    } catch (err) {
      // A folder that does not exist (yet) cannot be watched: the start goes on, and says so.
      this.watcher = undefined;
      this.options.logger.error({ path, code: (err as NodeJS.ErrnoException).code }, 'the front-desk file\'s folder cannot be watched: fix FRONT_DESK_FILE, then restart to pick up edits');
    }
  }

  private watchFolder(path: string, name: string): FSWatcher {
    return watch(dirname(path), (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => {
        this.load(path).then(
          () => this.options.logger.info({ path }, 'front desk reloaded'),
          (err: Error) => this.options.logger.warn({ path, problems: (err as IvrError).problems, message: err.message }, 'front desk file is invalid; the previous one stays in force'),
        );
      }, 150);
    });
  }

  async start(): Promise<void> {
    this.unsubscribe = this.options.bus.subscribe((event) => this.onEvent(event));
    this.engine.start();
    await this.engine.resume();
  }

  stop(): void {
    this.unsubscribe?.();
    this.engine.stop();
    this.watcher?.close();
    clearTimeout(this.reloadTimer);
  }

  async idle(): Promise<void> {
    await this.engine.idle();
  }

  /** What the front desk did today (newest first). */
  async handledSince(since: Date): Promise<HandledCall[]> {
    const all = await this.options.store.list<HandledCall>(FRONT_DESK_LOG);
    return all.map((i) => i.value).filter((h) => h.at >= since.toISOString()).sort((a, b) => b.at.localeCompare(a.at));
  }

  private onEvent(event: CommsEvent): void {
    if (event.type !== CALL_EVENTS.incoming) return;
    const incoming = event;
    if (incoming.meetingInfo || incoming.incomingContext) return; // meeting and policy-recording invitations are not front-desk calls
    void this.handleIncoming(incoming);
  }

  private async handleIncoming(event: CallIncomingEvent): Promise<void> {
    const compiled = this.current?.compiled;
    const caller = callerOf(event);
    const now = (this.options.now ?? (() => new Date()))();
    if (!compiled) {
      this.options.logger.warn({ callId: event.callId }, 'no valid front desk is loaded; rejecting the call');
      await this.options.calls.reject(event.callId, 'busy').catch(() => undefined);
      return this.record({ callId: event.callId, at: now.toISOString(), caller, rule: 'none', action: 'reject', detail: 'no front desk loaded' });
    }
    const decision = decideIncoming(compiled, caller, now);
    const entry: HandledCall = { callId: event.callId, at: now.toISOString(), caller, rule: decision.rule, action: decision.action };
    try {
      switch (decision.action) {
        case 'reject':
          entry.detail = decision.reason;
          await this.options.calls.reject(event.callId, decision.reason);
          break;
        case 'redirect':
          entry.detail = decision.targets.map((t) => t.displayName ?? t.userId ?? t.phone).join(', ') + (decision.voicemail ? ' (voicemail)' : '');
          await this.options.calls.redirect(event.callId, { targets: decision.targets.map(toCallTarget), voicemail: decision.voicemail, timeoutSeconds: decision.timeoutSeconds });
          break;
        case 'enqueue':
          entry.detail = decision.queue;
          // The queue answers it (or, full and overflowing to voicemail, redirects it unanswered).
          if (!this.options.queues) throw new IvrError('ivr/menu-failed', 'the front desk names a queue, but no queue service is running');
          await this.options.queues.enqueue(event.callId, decision.queue, { answer: true });
          break;
        case 'answer':
          entry.detail = decision.menu;
          await this.engine.attach(event.callId, decision.menu);
          await this.options.calls.answer(event.callId);
          break;
      }
    } catch (err) {
      const e = err as { code?: string; message?: string };
      entry.error = e.code ?? 'error';
      this.options.logger.error({ callId: event.callId, code: e.code, message: e.message }, 'front desk could not act on an incoming call');
    }
    await this.record(entry);
  }

  private async record(entry: HandledCall): Promise<void> {
    await this.options.store.put(FRONT_DESK_LOG, `${entry.at}:${entry.callId}`, entry);
    this.options.bus.publish({ type: FRONT_DESK_EVENTS.handled, ...entry });
  }

  /** A front-desk prompt's audio (per-language texts pick `language`'s; files as loaded): the call queues speak with it. */
  promptAudio(prompt: Prompt, _language?: string): Promise<PromptRef> {
    return this.prompt(prompt);
  }

  private async prompt(prompt: Prompt): Promise<PromptRef> {
    if ('text' in prompt) return this.options.prompts.speak(prompt.text);
    const wav = this.current?.loaded.promptFiles.get(prompt.file);
    return wav ? this.options.prompts.file(wav) : this.options.prompts.stock('menu');
  }

  /** Synthesizes every text prompt ahead of the first call, so answering never waits on speech. */
  private async warmPrompts(): Promise<void> {
    const desk = this.current?.compiled.desk;
    if (!desk) return;
    const texts = new Set<string>();
    if ('text' in SORRY_PROMPT) texts.add(SORRY_PROMPT.text);
    for (const menu of Object.values(desk.menus)) {
      for (const p of [menu.prompt, menu.retryPrompt, ...Object.values(menu.options).map((o) => (o && 'prompt' in o ? o.prompt : undefined))]) {
        if (p && 'text' in p) texts.add(p.text);
      }
    }
    for (const text of texts) await this.options.prompts.speak(text).catch(() => undefined);
  }
}

function callerOf(event: CallIncomingEvent): PersonIdentity {
  const identity = event.source?.identity ?? {};
  const user = identity.user as { id?: string; displayName?: string } | undefined;
  const phone = identity.phone as { id?: string; displayName?: string } | undefined;
  return {
    userId: user?.id ?? undefined,
    phone: phone?.id ?? undefined,
    displayName: user?.displayName ?? phone?.displayName ?? undefined,
  };
}
