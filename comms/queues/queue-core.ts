// What every part of the queue service shares: its options, the stored state, the queues of the front desk in force
// (with their agents resolved to Teams users), the clock and day, the timers' job kinds, and publishing changes.
import type { CallService } from '../calls/index.js';
import type { GraphClient } from '../graph/index.js';
import type { CompiledFrontDesk } from '../ivr/front-desk-rules.js';
import type { Prompt, QueueConfig } from '../ivr/front-desk-schema.js';
import type { Logger } from '../runtime/logger.js';
import type { Scheduler } from '../runtime/scheduler.js';
import type { PromptRef, PromptService } from '../speech/index.js';
import type { EventBus, Store } from '../store/index.js';
import { QUEUE_EVENTS, type OfferState, type QueueChange } from './queue-events.js';
import { QueueStore, type AgentRecord, type QueueEntry } from './queue-store.js';

export interface QueueServiceOptions {
  calls: CallService;
  bus: EventBus;
  store: Store;
  /** Presence reads (Presence.Read.All). */
  graph: GraphClient;
  prompts: PromptService;
  /** Every queue timer (hold cycles, alert times, timeouts, wrap-up, presence polls) is a job here. */
  scheduler: Scheduler;
  /** The front desk in force: its queues and the people they name (re-read at each step). */
  frontDesk: () => CompiledFrontDesk | undefined;
  /** A front-desk prompt's audio (texts per language, files as loaded). */
  promptAudio: (prompt: Prompt, language?: string) => Promise<PromptRef>;
  logger: Logger;
  now?: () => number;
  /** How often agents' presence is read (default 5 s). */
  presencePollMs?: number;
  /** After a caller is handed over, how long presence may take to show the agent in the call (default 30 s). */
  connectGraceMs?: number;
  /** How long a whisper or a short prompt may take to complete (default 60 s). */
  promptTimeoutMs?: number;
}

export interface QueueAgent {
  userId: string;
  displayName: string;
}

export interface CompiledQueue {
  name: string;
  config: QueueConfig;
  /** Agents in the configured order (listed agents first, then the group's members), deduplicated. */
  agents: QueueAgent[];
}

/** The Scheduler job kinds (ids never contain ':', which BullMQ refuses). */
export const JOBS = {
  hold: 'queue.hold',
  alert: 'queue.alert',
  timeout: 'queue.timeout',
  wrapUp: 'queue.wrapup',
  poll: 'queue.poll',
  dispatch: 'queue.dispatch',
} as const;

export class QueueCore {
  readonly store: QueueStore;
  readonly now: () => number;
  readonly presencePollMs: number;
  readonly connectGraceMs: number;
  readonly promptTimeoutMs: number;

  constructor(readonly options: QueueServiceOptions) {
    this.store = new QueueStore(options.store);
    this.now = options.now ?? (() => Date.now());
    this.presencePollMs = options.presencePollMs ?? 5_000;
    this.connectGraceMs = options.connectGraceMs ?? 30_000;
    this.promptTimeoutMs = options.promptTimeoutMs ?? 60_000;
  }

  get calls(): CallService {
    return this.options.calls;
  }

  get logger(): Logger {
    return this.options.logger;
  }

  iso(ms = this.now()): string {
    return new Date(ms).toISOString();
  }

  /** Today in the front desk's time zone, YYYY-MM-DD. */
  day(ms = this.now()): string {
    const zone = this.options.frontDesk()?.desk.timezone ?? 'UTC';
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
  }

  queues(): Map<string, CompiledQueue> {
    const compiled = this.options.frontDesk();
    const out = new Map<string, CompiledQueue>();
    if (!compiled) return out;
    for (const [name, config] of Object.entries(compiled.desk.queues ?? {})) {
      const refs = [...config.agents, ...(config.group ? (compiled.desk.groups[config.group] ?? []) : [])];
      const agents: QueueAgent[] = [];
      for (const ref of refs) {
        const person = compiled.people.get(ref);
        if (!person?.userId || agents.some((a) => a.userId.toLowerCase() === person.userId!.toLowerCase())) continue;
        agents.push({ userId: person.userId, displayName: person.displayName ?? ref });
      }
      out.set(name, { name, config, agents });
    }
    return out;
  }

  queue(name: string): CompiledQueue | undefined {
    return this.queues().get(name);
  }

  /** The queues a person is an agent of. */
  queuesOf(userId: string): CompiledQueue[] {
    return [...this.queues().values()].filter((q) => q.agents.some((a) => a.userId.toLowerCase() === userId.toLowerCase()));
  }

  /** The language announcements are spoken in for this caller. */
  languageOf(entry: Pick<QueueEntry, 'language' | 'queue'>): string {
    return this.queue(entry.queue)?.config.language ?? entry.language ?? this.options.frontDesk()?.desk.language ?? 'en-US';
  }

  freshAgent(userId: string, displayName: string): () => AgentRecord {
    return () => ({ userId, displayName, state: 'idle', since: this.iso(), idleSince: this.iso(0), day: this.day(), answered: 0, missed: 0, declined: 0, updatedAt: this.iso() });
  }

  changed(queue: string, change: QueueChange, ids: { entryId?: string; agentId?: string; waitedSeconds?: number } = {}): void {
    this.options.bus.publish({ type: QUEUE_EVENTS.changed, queue, change, ...ids });
  }

  offer(entry: QueueEntry, agentId: string, state: OfferState, waitedFromMs?: number): void {
    const waited = Math.max(0, Math.round(((waitedFromMs ?? this.now()) - Date.parse(entry.joinedAt)) / 1000));
    this.options.bus.publish({
      type: QUEUE_EVENTS.offer,
      queue: entry.queue,
      entryId: entry.id,
      agentId,
      state,
      waitedSeconds: waited,
      ...(entry.caller.displayName ? { callerName: entry.caller.displayName } : {}),
      callback: entry.callback !== undefined,
    });
  }

  /** Runs a timer job; a failure is logged (the Scheduler logs too) with what it was. */
  schedule(kind: string, id: string, dueAt: number, data: Record<string, unknown> = {}): Promise<void> {
    return this.options.scheduler.schedule(kind, id, dueAt, data).catch((err: { message?: string }) => this.logger.warn({ kind, id, message: err?.message }, 'a queue timer could not be scheduled'));
  }

  /** A dispatch pass of `queue` at `at` (a call-back retry, a backoff). Job ids never hold ':' (BullMQ refuses it). */
  scheduleDispatch(queue: string, at: number): Promise<void> {
    return this.schedule(JOBS.dispatch, `q.${encodeURIComponent(queue)}`, at, { queue });
  }

  cancel(kind: string, id: string): Promise<void> {
    return this.options.scheduler.cancel(kind, id).catch(() => undefined);
  }
}
