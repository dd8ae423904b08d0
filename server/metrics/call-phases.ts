// The four phases of every call (Azure's guidance for calling bots: time to notify, to answer, to connect, to first
// audio), from bus events and Graph answers, as one histogram and one summary log line per call when it ends.
//   incoming: notify (notification received → call processed and announced), answer (→ Graph accepted the answer),
//             connect (→ established), first_prompt (→ Graph accepted the first playPrompt: the caller hears it)
//   outgoing: create (create request sent → Graph created the call), ringing (→ ringing, when Graph reports it),
//             answered (→ established), first_prompt (→ first playPrompt accepted)
// Each phase is observed once, as soon as both its ends are known. The call id is in the log line, never a label.
import { Histogram, type Registry } from 'prom-client';
import { CALLS_COLLECTION, type CallSession } from '../../comms/calls/index.js';
import type { GraphAttempt } from '../../comms/graph/index.js';
import type { CommsEvent, EventBus, Store } from '../../comms/store/index.js';
import type { Logger } from '../logger.js';

type Direction = 'incoming' | 'outgoing';
type Point = 'sent' | 'received' | 'announced' | 'answered' | 'created' | 'ringing' | 'established' | 'firstPrompt';

/** Each phase: its name, where it starts (first known of the list) and where it ends. */
const PHASES: Record<Direction, Array<{ phase: string; from: Point[]; to: Point }>> = {
  incoming: [
    { phase: 'notify', from: ['received'], to: 'announced' },
    { phase: 'answer', from: ['announced'], to: 'answered' },
    { phase: 'connect', from: ['answered'], to: 'established' },
    { phase: 'first_prompt', from: ['established'], to: 'firstPrompt' },
  ],
  outgoing: [
    { phase: 'create', from: ['sent'], to: 'created' },
    { phase: 'ringing', from: ['created'], to: 'ringing' },
    { phase: 'answered', from: ['ringing', 'created'], to: 'established' },
    { phase: 'first_prompt', from: ['established'], to: 'firstPrompt' },
  ],
};

/** Calls followed at once; beyond this the oldest is dropped (a call whose end was never heard). */
const MAX_TRACKED = 10_000;
const PHASE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 10, 15, 30, 60];
// A speech menu's first prompt is the prompt of its recordResponse (played before the recording starts).
const PLAY_PROMPT = /^\/communications\/calls\/([^/]+)\/(?:playPrompt|recordResponse)$/;
const CREATE_CALL = /^\/communications\/calls$/;

interface Tracked {
  direction: Direction;
  points: Partial<Record<Point, number>>;
  observed: Set<string>;
  callChainId?: string;
}

export class CallPhases {
  private readonly histogram: Histogram<'direction' | 'phase'>;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly calls = new Map<string, Tracked>();
  private readonly unsubscribes: Array<() => void> = [];

  constructor(options: { registry: Registry; logger: Logger; now?: () => number }) {
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.histogram = new Histogram({
      name: 'switchboard_call_phase_seconds',
      help: 'The four phases of a call: incoming notify/answer/connect/first_prompt, outgoing create/ringing/answered/first_prompt',
      labelNames: ['direction', 'phase'],
      buckets: PHASE_BUCKETS,
      registers: [options.registry],
    });
  }

  /**
   * A call is followed by the instance that announced it (incoming) or created it (outgoing); its state changes are
   * heard from every instance (distributed mode: another instance may process its notifications).
   */
  watch(bus: EventBus, store: Store): void {
    this.unsubscribes.push(
      bus.on('call.incoming', (event) => this.onEvent(event, store)),
      bus.on('call.state', (event) => this.onEvent(event, store), { scope: 'cluster' }),
    );
  }

  close(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.calls.clear();
  }

  /** Graph answers: a created call (outgoing, its create request's duration) and a call's first accepted prompt. */
  onGraphAttempt(o: GraphAttempt): void {
    if (o.method !== 'POST' || o.status === undefined || o.status < 200 || o.status >= 300) return;
    const at = this.now();
    if (CREATE_CALL.test(o.path) && o.resourceId) {
      const call = this.track(o.resourceId, 'outgoing');
      call.points.sent ??= at - o.durationMs;
      call.points.created ??= at;
      this.advance(call);
      return;
    }
    const prompt = PLAY_PROMPT.exec(o.path);
    if (prompt) {
      const callId = decodeURIComponent(prompt[1]!);
      const call = this.calls.get(callId);
      if (call && call.points.firstPrompt === undefined) {
        call.points.firstPrompt = at;
        this.advance(call);
      }
    }
  }

  private onEvent(event: CommsEvent, store: Store): void {
    if (event.type !== 'call.incoming' && event.type !== 'call.state') return;
    const { callId } = event;
    if (!callId) return;
    const at = Date.parse(event.at);
    if (event.type === 'call.incoming') {
      const call = this.track(callId, 'incoming');
      call.points.announced ??= at;
      if (event.callChainId) call.callChainId = event.callChainId;
      // The session's createdAt is when the incoming-call notification arrived.
      void store
        .get<CallSession>(CALLS_COLLECTION, callId)
        .then((session) => {
          const received = session ? Date.parse(session.createdAt) : NaN;
          if (Number.isFinite(received) && this.calls.get(callId) === call) {
            call.points.received ??= received;
            this.advance(call);
          }
        })
        .catch(() => undefined);
      this.advance(call);
      return;
    }
    const call = this.calls.get(callId);
    if (!call) return;
    if (event.state === 'establishing' && event.previous === 'incoming') call.points.answered ??= at;
    else if (event.state === 'ringing') call.points.ringing ??= at;
    else if (event.state === 'established') call.points.established ??= at;
    this.advance(call);
    if (event.state === 'terminated') this.end(callId, call);
  }

  private track(callId: string, direction: Direction): Tracked {
    let call = this.calls.get(callId);
    if (!call) {
      if (this.calls.size >= MAX_TRACKED) this.calls.delete(this.calls.keys().next().value as string);
      call = { direction, points: {}, observed: new Set() };
      this.calls.set(callId, call);
    }
    return call;
  }

  /** Observes every phase whose two ends are now known, once. */
  private advance(call: Tracked): void {
    for (const { phase, from, to } of PHASES[call.direction]) {
      if (call.observed.has(phase)) continue;
      const start = this.start(call, from);
      const end = call.points[to];
      if (start === undefined || end === undefined) continue;
      call.observed.add(phase);
      this.histogram.observe({ direction: call.direction, phase }, Math.max(0, end - start) / 1000);
    }
  }

  private start(call: Tracked, from: Point[]): number | undefined {
    for (const point of from) if (call.points[point] !== undefined) return call.points[point];
    return undefined;
  }

  /** The one summary line of a call: its phase durations (those it reached) and its ids. No media, no tokens. */
  private end(callId: string, call: Tracked): void {
    this.calls.delete(callId);
    const phasesMs: Record<string, number> = {};
    for (const { phase, from, to } of PHASES[call.direction]) {
      const start = this.start(call, from);
      const end = call.points[to];
      if (start !== undefined && end !== undefined) phasesMs[phase] = Math.max(0, Math.round(end - start));
    }
    const first = call.direction === 'incoming' ? call.points.received ?? call.points.announced : call.points.sent;
    const untilFirstPromptMs = first !== undefined && call.points.firstPrompt !== undefined ? Math.round(call.points.firstPrompt - first) : undefined;
    this.logger.info(
      { callId, ...(call.callChainId ? { callChainId: call.callChainId } : {}), direction: call.direction, phasesMs, ...(untilFirstPromptMs !== undefined ? { untilFirstPromptMs } : {}) },
      'call phases',
    );
  }
}
