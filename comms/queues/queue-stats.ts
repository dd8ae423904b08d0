// Today's figures per queue, counted as things happen (compare-and-set increments, so instances may share them):
// callers who entered, were answered (and within the service level), abandoned, timed out, overflowed; waits and
// handle times. Service level = answered within serviceLevelSeconds ÷ answered (Asterisk's SL).
import type { QueueCore } from './queue-core.js';
import type { DayCounters } from './queue-store.js';
import type { QueueDayStats } from './queue-status.js';

export type CountedEvent =
  | { kind: 'entered' }
  | { kind: 'answered'; waitedMs: number; serviceLevelSeconds: number }
  | { kind: 'abandoned'; waitedMs: number }
  | { kind: 'timed-out'; waitedMs: number }
  | { kind: 'overflowed' }
  | { kind: 'no-agents' }
  | { kind: 'callback-requested' }
  | { kind: 'handled'; ms: number };

export function count(c: DayCounters, e: CountedEvent): DayCounters {
  const next = { ...c };
  switch (e.kind) {
    case 'entered':
      next.entered += 1;
      break;
    case 'answered':
      next.answered += 1;
      next.answeredWaitMs += e.waitedMs;
      if (e.waitedMs <= e.serviceLevelSeconds * 1000) next.answeredWithinServiceLevel += 1;
      next.longestWaitMs = Math.max(next.longestWaitMs, e.waitedMs);
      break;
    case 'abandoned':
      next.abandoned += 1;
      next.longestWaitMs = Math.max(next.longestWaitMs, e.waitedMs);
      break;
    case 'timed-out':
      next.timedOut += 1;
      next.longestWaitMs = Math.max(next.longestWaitMs, e.waitedMs);
      break;
    case 'overflowed':
      next.overflowed += 1;
      break;
    case 'no-agents':
      next.noAgents = (next.noAgents ?? 0) + 1;
      break;
    case 'callback-requested':
      next.callbacksRequested += 1;
      break;
    case 'handled':
      next.handled += 1;
      next.handledMs += e.ms;
      break;
  }
  return next;
}

export function dayStats(c: DayCounters, serviceLevelSeconds: number): QueueDayStats {
  return {
    date: c.day,
    entered: c.entered,
    answered: c.answered,
    abandoned: c.abandoned,
    timedOut: c.timedOut,
    overflowed: c.overflowed,
    noAgents: c.noAgents ?? 0,
    callbacksRequested: c.callbacksRequested,
    answeredWithinServiceLevel: c.answeredWithinServiceLevel,
    serviceLevelSeconds,
    serviceLevel: c.answered === 0 ? null : c.answeredWithinServiceLevel / c.answered,
    averageWaitSeconds: c.answered === 0 ? null : Math.round(c.answeredWaitMs / c.answered / 100) / 10,
    longestWaitSeconds: Math.round(c.longestWaitMs / 1000),
  };
}

export class QueueStats {
  constructor(private readonly core: QueueCore) {}

  async record(queue: string, e: CountedEvent): Promise<void> {
    const day = this.core.day();
    await this.core.store.updateCounters(queue, day, (c) => count(c, e)).catch((err: { message?: string }) => this.core.logger.warn({ queue, kind: e.kind, message: err?.message }, 'a queue figure could not be counted'));
  }

  /** Mean seconds from connected to free again today, when known. */
  async averageHandleSeconds(queue: string): Promise<number | undefined> {
    const c = await this.core.store.counters(queue, this.core.day());
    return c && c.handled > 0 ? c.handledMs / c.handled / 1000 : undefined;
  }
}
