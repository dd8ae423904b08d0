// The front desk at work: loads the rules file (and reloads it on change, keeping the last valid one), decides every
// incoming call within the answer window, answers into IVR menus, and keeps a log of what it did with each call.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { applicationInstanceOf, CALL_EVENTS, type CallIncomingEvent, type CallService } from '../calls/index.js';
import type { PromptService, PromptRef } from '../speech/index.js';
import type { CommsEvent, EventBus, Store } from '../store/index.js';
import { loadFrontDeskFile, type LoadedFrontDesk } from './front-desk-file.js';
import { compileFrontDesk, decideIncoming, type CompiledFrontDesk, type Decision, type PersonIdentity, type PersonResolver } from './front-desk-rules.js';
import type { Prompt } from './front-desk-schema.js';
import { IvrError } from './ivr-error.js';
import { warnOnFailure, type InstanceRegistry, type Scheduler } from '../runtime/index.js';
import { FRONT_DESK_EVENTS, IVR_EVENTS, type SpokenDecision } from './ivr-events.js';
import type { Menu } from './front-desk-schema.js';
import { inSpan, TRACE_ATTRIBUTES } from '../runtime/tracing.js';
import { MenuEngine, SORRY_PROMPT, toCallTarget, type IvrDeadlines, type QueueHandoff } from './menu-engine.js';
import { callLanguage, deskLanguages, menuPrompts, promptText } from './prompt-language.js';
import { queuePrompts } from '../queues/queue-checks.js';
import type { SpokenReplyListener } from './spoken-reply.js';

export const FRONT_DESK_LOG = 'front-desk-log';

export interface HandledCall {
  callId: string;
  at: string;
  caller: PersonIdentity;
  rule: string;
  action: Decision['action'];
  detail?: string;
  error?: string;
  /** How a spoken reply routed the call ("Routed to billing — spoken, confident"); never what was said. */
  routed?: string;
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
  /** Distributed mode: the durable timers that carry each menu's watch (a takeover when no event comes). */
  scheduler?: Scheduler;
  /** Call queues (comms/queues): where `enqueue` rules and menu options hand calls over. */
  queues?: QueueHandoff;
  /** Hears spoken replies in menus with `speech`; without it those menus take keys only. */
  listener?: SpokenReplyListener;
}

export class FrontDesk {
  private readonly options: FrontDeskOptions;
  private readonly engine: MenuEngine;
  private current?: { loaded: LoadedFrontDesk; compiled: CompiledFrontDesk };
  private unsubscribe?: () => void;
  private watcher?: FSWatcher;
  private reloadTimer?: NodeJS.Timeout;
  /** Call id → its front-desk log key, for the calls this instance answered lately. */
  private readonly logKeys = new Map<string, string>();

  constructor(options: FrontDeskOptions) {
    this.options = options;
    this.engine = new MenuEngine({
      calls: options.calls,
      bus: options.bus,
      frontDesk: () => this.current?.compiled,
      prompt: (p, language) => this.prompt(p, language),
      logger: options.logger,
      timers: options.timers,
      deadlines: options.deadlines,
      cluster: options.cluster,
      scheduler: options.scheduler,
      callQueues: options.queues,
      listener: options.listener,
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
    if (event.type === IVR_EVENTS.step && event.step === 'spoken' && event.routed && event.menu) {
      void this.noteRouting(event.callId, describeRouting(event.routed, this.current?.compiled.desk.menus[event.menu]));
      return;
    }
    if (event.type !== CALL_EVENTS.incoming) return;
    const incoming = event;
    if (incoming.meetingInfo || incoming.incomingContext) return; // meeting and policy-recording invitations are not front-desk calls
    // handleIncoming logs a failure to act on the call; writing the day's log may still fail (the store).
    void inSpan('front-desk decide', { attributes: { [TRACE_ATTRIBUTES.callId]: incoming.callId } }, () => this.handleIncoming(incoming)).catch(
      warnOnFailure(this.options.logger, 'could not record what the front desk did with a call', { callId: incoming.callId }),
    );
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
        case 'redirect': {
          // Graph redirects to a phone number only a call to the application instance (the bot's PSTN number).
          const viaInstance = applicationInstanceOf({ direction: 'incoming', ...(event.targets ? { targets: event.targets } : {}) }) !== undefined;
          const targets = viaInstance ? decision.targets : decision.targets.filter((t) => t.userId);
          entry.detail = targets.map((t) => t.displayName ?? t.userId ?? t.phone).join(', ') + (decision.voicemail ? ' (voicemail)' : '');
          if (targets.length < decision.targets.length) {
            entry.detail += `${targets.length > 0 ? '; ' : ''}phone numbers skipped: the call did not come to the application instance`;
            this.options.logger.warn({ callId: event.callId, rule: decision.rule }, 'a redirect to a phone number needs a call to the application instance (PSTN_APPLICATION_INSTANCE_ID); the phone targets are skipped');
          }
          if (targets.length === 0) {
            await this.options.calls.reject(event.callId, 'busy');
            break;
          }
          await this.options.calls.redirect(event.callId, { targets: targets.map(toCallTarget), voicemail: decision.voicemail, timeoutSeconds: decision.timeoutSeconds });
          break;
        }
        case 'enqueue':
          entry.detail = decision.queue;
          // The queue answers it (or, full and overflowing to voicemail, redirects it unanswered).
          if (!this.options.queues) throw new IvrError('ivr/menu-failed', 'the front desk names a queue, but no queue service is running');
          await this.options.queues.enqueue(event.callId, decision.queue, { answer: true });
          break;
        case 'answer': {
          // The language the menus speak: the rule's, else the caller's Teams language, else the front desk's.
          const language = callLanguage(compiled.desk, decision.language, event.source?.languageId ?? undefined);
          entry.detail = language === compiled.desk.language ? decision.menu : `${decision.menu} (${language})`;
          await this.engine.attach(event.callId, decision.menu, language);
          await this.options.calls.answer(event.callId);
          break;
        }
      }
    } catch (err) {
      const e = err as { code?: string; message?: string };
      entry.error = e.code ?? 'error';
      this.options.logger.error({ callId: event.callId, code: e.code, message: e.message }, 'front desk could not act on an incoming call');
    }
    await this.record(entry);
  }

  private async record(entry: HandledCall): Promise<void> {
    const key = `${entry.at}:${entry.callId}`;
    this.logKeys.set(entry.callId, key);
    if (this.logKeys.size > 10_000) this.logKeys.delete(this.logKeys.keys().next().value!);
    await this.options.store.put(FRONT_DESK_LOG, key, entry);
    this.options.bus.publish({ type: FRONT_DESK_EVENTS.handled, ...entry });
  }

  /** Adds how the call was routed to its log entry (the entry of a call answered before a restart is looked up). */
  private async noteRouting(callId: string, routed: string): Promise<void> {
    try {
      const key = this.logKeys.get(callId) ?? (await this.options.store.list<HandledCall>(FRONT_DESK_LOG)).find((i) => i.value.callId === callId)?.key;
      if (!key) return;
      const updated = await this.options.store.update<HandledCall>(FRONT_DESK_LOG, key, (entry) => (entry ? { ...entry, routed } : undefined));
      if (updated.written && updated.value) this.options.bus.publish({ type: FRONT_DESK_EVENTS.handled, ...updated.value });
    } catch (err) {
      this.options.logger.warn({ callId, message: (err as Error).message }, 'could not note how a call was routed');
    }
  }

  /** A front-desk prompt's audio (per-language texts pick `language`'s; files as loaded): the call queues speak with it. */
  promptAudio(prompt: Prompt, language?: string): Promise<PromptRef> {
    return this.prompt(prompt, language);
  }

  /** A prompt in the call's language (texts given per language pick theirs; the voice follows the text's language). */
  private async prompt(prompt: Prompt, language: string | undefined): Promise<PromptRef> {
    if ('text' in prompt) {
      const deskLanguage = this.current?.compiled.desk.language ?? 'en-US';
      const chosen = promptText(prompt.text, language ?? deskLanguage, deskLanguage);
      return this.options.prompts.speak(chosen.text, 'menu', chosen.language);
    }
    const wav = this.current?.loaded.promptFiles.get(prompt.file);
    return wav ? this.options.prompts.file(wav) : this.options.prompts.stock('menu');
  }

  /** Synthesizes every text prompt, in every language the front desk speaks, so answering never waits on speech. */
  async warmPrompts(): Promise<void> {
    const desk = this.current?.compiled.desk;
    if (!desk) return;
    const languages = [...deskLanguages(desk)];
    // Menus and the queues' greetings and action prompts: the first caller into a queue does not wait for speech.
    const prompts: Prompt[] = [SORRY_PROMPT, ...[...menuPrompts(desk)].map((p) => p.prompt), ...[...queuePrompts(desk.queues ?? {})].map((p) => p.prompt as Prompt)];
    const seen = new Set<string>();
    for (const prompt of prompts) {
      if (!('text' in prompt)) continue;
      for (const language of languages) {
        const key = `${language}\u0000${JSON.stringify(prompt.text)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        await this.prompt(prompt, language).catch(() => undefined);
      }
    }
  }
}

/** "Routed to billing — spoken, confident" / "Routed to reception — caller upset": the decision, never the words. */
export function describeRouting(routed: SpokenDecision, menu: Menu | undefined): string {
  const sure = routed.confidence >= 0.75 ? 'confident' : 'unsure';
  if (routed.outcome === 'intent') return `Routed to ${routed.intent} — spoken, ${sure}`;
  if (routed.outcome === 'upset') {
    const action = typeof menu?.speech === 'object' ? menu.speech.onNegative : undefined;
    const where = action?.action === 'transfer' ? action.to : action?.action === 'menu' ? `menu "${action.menu}"` : action?.action ?? 'a person';
    return `Routed to ${where} — caller upset`;
  }
  return 'Spoken reply not understood — asked again';
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
