// The process's metrics (Prometheus text format at GET /metrics, see metrics-route.ts): HTTP requests per route,
// Graph requests per operation, the store, notification lag, calls, meetings, IVR steps, call queues (waits by
// outcome, offers, callers waiting and agents by state read at scrape time), the four phases of every
// call (call-phases.ts), and Node's own (event-loop delay, memory, GC). One registry per Switchboard, never the
// global one: tests run several apps in one process. Node's own are the process's: collected once, into a registry
// every Switchboard of the process merges into its answer.
import type { Request, Response } from 'restify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { INBOX_COLLECTION } from '../../comms/calls/index.js';
import type { GraphAttempt, GraphObserver, GraphRetryWait } from '../../comms/graph/index.js';
import { MEETING_EVENTS } from '../../comms/meetings/index.js';
import { IVR_EVENTS } from '../../comms/ivr/index.js';
import { QUEUE_EVENTS, type QueueStatus } from '../../comms/queues/index.js';
import type { CommsEvent, EventBus, Store, StoreUpdate } from '../../comms/store/index.js';
import type { Logger } from '../logger.js';
import { CallPhases } from './call-phases.js';
import { BoundedNames, graphOperationPath } from './operation-name.js';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const STORE_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const ROSTER_SIZES = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];
/** Queue waits: from a few seconds to the half hour a helpdesk would call a disaster. */
const WAIT_SECONDS = [5, 10, 20, 30, 60, 120, 180, 300, 600, 900, 1800];
/** The queue changes counted (the rest are moves inside a wait, seen in the gauges). */
const COUNTED_QUEUE_CHANGES = new Set(['joined', 'overflowed', 'no-agents', 'callback-requested', 'callback-failed', 'returned']);
const ENDED_WAITS: Record<string, string> = { connected: 'answered', abandoned: 'abandoned', 'timed-out': 'timed_out' };
const AGENT_STATES = ['idle', 'offered', 'connecting', 'connected', 'wrap-up'] as const;
/** Live calls remembered at most (a call whose end was never heard is dropped first). */
const MAX_LIVE_TRACKED = 100_000;

let processMetrics: Registry | undefined;
/** Node's default metrics, once per process (each collector starts an event-loop monitor that is never stopped). */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

export class Metrics {
  readonly registry = new Registry();
  readonly phases: CallPhases;
  private readonly operations = new BoundedNames();
  private readonly routes = new BoundedNames();
  private readonly codes = new BoundedNames(50);
  private readonly unsubscribes: Array<() => void> = [];
  private readonly liveCalls = new Set<string>();
  private readonly meetingSizes = new Map<string, number>();

  private readonly httpRequests = new Counter({ name: 'switchboard_http_requests_total', help: 'HTTP requests answered, by route template and status', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
  private readonly httpDuration = new Histogram({ name: 'switchboard_http_request_duration_seconds', help: 'Time to answer an HTTP request, by route template (the calling webhook\'s is its ack time)', labelNames: ['method', 'route'], buckets: SECONDS, registers: [this.registry] });
  private readonly graphRequests = new Counter({ name: 'switchboard_graph_requests_total', help: 'Graph request attempts, by operation and status (network or timeout when there was no answer)', labelNames: ['method', 'operation', 'status'], registers: [this.registry] });
  private readonly graphDuration = new Histogram({ name: 'switchboard_graph_request_duration_seconds', help: 'Latency of one Graph request attempt, by operation', labelNames: ['method', 'operation'], buckets: SECONDS, registers: [this.registry] });
  private readonly graphThrottled = new Counter({ name: 'switchboard_graph_throttled_total', help: 'Graph answers 429 (throttled), by operation', labelNames: ['method', 'operation'], registers: [this.registry] });
  private readonly graphRetryWait = new Counter({ name: 'switchboard_graph_retry_wait_seconds_total', help: 'Seconds waited before repeating a Graph request: as Retry-After asked, or the client\'s own backoff', labelNames: ['reason'], registers: [this.registry] });
  private readonly graphRetries = new Counter({ name: 'switchboard_graph_retries_total', help: 'Graph requests repeated by the client, by why it waited', labelNames: ['reason'], registers: [this.registry] });
  private readonly storeDuration = new Histogram({ name: 'switchboard_store_operation_duration_seconds', help: 'Latency of the store (SQLite, or Redis in distributed mode), by operation', labelNames: ['backend', 'operation'], buckets: STORE_SECONDS, registers: [this.registry] });
  private readonly storeErrors = new Counter({ name: 'switchboard_store_errors_total', help: 'Store operations that failed, by operation', labelNames: ['backend', 'operation'], registers: [this.registry] });
  private readonly notificationLag = new Histogram({ name: 'switchboard_notification_lag_seconds', help: 'Calling notification received (webhook) to processed (applied to the call)', buckets: SECONDS, registers: [this.registry] });
  private readonly callsLive = new Gauge({ name: 'switchboard_calls_live', help: 'Calls (and meeting calls) this instance answered or placed that have not ended yet', registers: [this.registry] });
  private readonly callOperations = new Counter({ name: 'switchboard_call_operations_total', help: 'Call operation notifications (playPrompt, record, invite…), by type and status', labelNames: ['type', 'status'], registers: [this.registry] });
  private readonly callErrors = new Counter({ name: 'switchboard_call_errors_total', help: 'Call errors published, by code', labelNames: ['code'], registers: [this.registry] });
  private readonly meetingsLive = new Gauge({ name: 'switchboard_meetings_live', help: 'Meetings the bot is in (joining or joined)', registers: [this.registry] });
  private readonly meetingParticipants = new Gauge({ name: 'switchboard_meeting_participants', help: 'People in the rosters of the meetings the bot is in, summed', registers: [this.registry] });
  private readonly rosterSize = new Histogram({ name: 'switchboard_meeting_roster_size', help: 'Roster size after each roster change', buckets: ROSTER_SIZES, registers: [this.registry] });
  private readonly queueWait = new Histogram({ name: 'switchboard_queue_wait_seconds', help: 'How long a caller waited in a queue, by how the wait ended: answered (until an agent answered), abandoned (hung up), timed_out', labelNames: ['queue', 'outcome'], buckets: WAIT_SECONDS, registers: [this.registry] });
  private readonly queueChanges = new Counter({ name: 'switchboard_queue_changes_total', help: 'Callers joining a queue, overflowing it, asking for or failing a call-back, returned to the line after a failed handover', labelNames: ['queue', 'change'], registers: [this.registry] });
  private readonly queueOffers = new Counter({ name: 'switchboard_queue_offers_total', help: 'Offers of a caller to an agent, by how each went (ringing, accepted, connected, missed, declined, taken, caller-left, failed)', labelNames: ['queue', 'state'], registers: [this.registry] });
  private queueStatus: (() => Promise<QueueStatus[]>) | undefined;
  private readonly queueWaiting = new Gauge({ name: 'switchboard_queue_callers_waiting', help: 'Callers in line now (waiting, being offered or handed over, or keeping their place for a call-back), read from the store at scrape time', labelNames: ['queue'], registers: [this.registry], collect: () => this.collectQueues() });
  private readonly queueLongestWait = new Gauge({ name: 'switchboard_queue_longest_wait_seconds', help: 'The longest current wait in the queue (0 when nobody waits)', labelNames: ['queue'], registers: [this.registry], collect: () => this.collectQueues() });
  private readonly queueAgents = new Gauge({ name: 'switchboard_queue_agents', help: 'Agents of the queue by state (signed-out agents are not counted), and how many the next caller could be offered to (state="eligible")', labelNames: ['queue', 'state'], registers: [this.registry], collect: () => this.collectQueues() });
  /** One status read per scrape, shared by the three queue gauges (the registry collects metrics concurrently). */
  private queueRead: Promise<void> | undefined;
  private readonly ivrSteps = new Counter({ name: 'switchboard_ivr_steps_total', help: 'IVR steps taken (menu, key, timeout, transfer, hangup…)', labelNames: ['step'], registers: [this.registry] });

  /** Graph hooks for the GraphClient (comms/graph/graph-client.ts). */
  readonly graphObserver: GraphObserver = {
    attempt: (o) => this.onGraphAttempt(o),
    retryWait: (w) => this.onGraphRetryWait(w),
  };

  constructor(logger: Logger, options: { now?: () => number } = {}) {
    processRegistry();
    this.phases = new CallPhases({ registry: this.registry, logger, now: options.now });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  text(): Promise<string> {
    return Registry.merge([this.registry, processRegistry()]).metrics();
  }

  /** The http-server `after` hook: one observation per answered request. */
  readonly observeHttp = (req: Request, res: Response): void => {
    const method = req.method ?? 'GET';
    const template = req.getRoute?.()?.path;
    const route = template === undefined ? 'unmatched' : this.routes.name(String(template));
    const seconds = Math.max(0, Date.now() - req.time()) / 1000;
    this.httpRequests.inc({ method, route, status: String(res.statusCode) });
    this.httpDuration.observe({ method, route }, seconds);
  };

  /** Follows the bus: live calls, meetings, rosters, operations, IVR steps, and the call phases. */
  // Distributed mode: each instance counts the calls it answered or placed and the meetings it joined (so the sum over
  // instances is the cluster's), and hears their end from whichever instance processed it. Events are counted by
  // the instance that published them.
  watch(bus: EventBus, store: Store): void {
    this.unsubscribes.push(
      bus.subscribe((event) => this.onLocalEvent(event)),
      bus.subscribe((event) => this.onClusterEvent(event), { scope: 'cluster' }),
    );
    this.phases.watch(bus, store);
  }

  /**
   * The queue gauges (callers waiting, longest wait, agents by state) are read from the queues' status when scraped:
   * the store is the truth in every mode, so each instance reports the same cluster-wide values (use max(), not sum()).
   */
  watchQueues(status: () => Promise<QueueStatus[]>): void {
    this.queueStatus = status;
  }

  private collectQueues(): Promise<void> {
    this.queueRead ??= this.readQueues().finally(() => {
      this.queueRead = undefined;
    });
    return this.queueRead;
  }

  private async readQueues(): Promise<void> {
    if (!this.queueStatus) return;
    let queues: QueueStatus[];
    try {
      queues = await this.queueStatus();
    } catch {
      return; // the store is down: /readyz says so; the gauges keep their last values
    }
    const now = Date.now();
    this.queueWaiting.reset();
    this.queueLongestWait.reset();
    this.queueAgents.reset();
    for (const q of queues) {
      this.queueWaiting.set({ queue: q.name }, q.waiting.length);
      const oldest = Math.min(now, ...q.waiting.map((w) => Date.parse(w.waitedSince)).filter(Number.isFinite));
      this.queueLongestWait.set({ queue: q.name }, Math.max(0, (now - oldest) / 1000));
      const signedIn = q.agents.filter((a) => a.signedIn);
      for (const state of AGENT_STATES) this.queueAgents.set({ queue: q.name, state }, signedIn.filter((a) => a.state === state).length);
      this.queueAgents.set({ queue: q.name, state: 'eligible' }, signedIn.filter((a) => a.eligible).length);
    }
  }

  /** A Store that measures every operation (and the notification lag, from the inbox's processed records). */
  measureStore(store: Store, backend: string): Store {
    const timed = <T>(operation: string, run: () => Promise<T>): Promise<T> => {
      const stop = this.storeDuration.startTimer({ backend, operation });
      return run().then(
        (value) => {
          stop();
          return value;
        },
        (err: unknown) => {
          stop();
          this.storeErrors.inc({ backend, operation });
          throw err;
        },
      );
    };
    return {
      get: (collection, key) => timed('get', () => store.get(collection, key)),
      put: (collection, key, value) => {
        if (collection === INBOX_COLLECTION) this.onInboxWrite(value);
        return timed('put', () => store.put(collection, key, value));
      },
      putIfAbsent: (collection, key, value) => timed('putIfAbsent', () => store.putIfAbsent(collection, key, value)),
      delete: (collection, key) => timed('delete', () => store.delete(collection, key)),
      list: (collection) => timed('list', () => store.list(collection)),
      update: <T>(collection: string, key: string, change: (current: T | undefined) => T | undefined): Promise<StoreUpdate<T>> => timed('update', () => store.update<T>(collection, key, change)),
      ping: () => timed('ping', () => store.ping()),
      close: () => store.close(),
    };
  }

  close(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.phases.close();
  }

  private onGraphAttempt(o: GraphAttempt): void {
    const operation = this.operations.name(graphOperationPath(o.path));
    const status = o.status !== undefined ? String(o.status) : o.code === 'graph/timeout' ? 'timeout' : 'network';
    this.graphRequests.inc({ method: o.method, operation, status });
    this.graphDuration.observe({ method: o.method, operation }, o.durationMs / 1000);
    if (o.status === 429) this.graphThrottled.inc({ method: o.method, operation });
    // A call this instance created (outgoing, or joining a meeting) is live from Graph's answer on.
    if (o.method === 'POST' && operation === '/communications/calls' && o.resourceId && o.status !== undefined && o.status >= 200 && o.status < 300) {
      this.addCall(o.resourceId);
      this.refreshGauges();
    }
    this.phases.onGraphAttempt(o);
  }

  private onGraphRetryWait(w: GraphRetryWait): void {
    const reason = w.retryAfter ? 'retry_after' : 'backoff';
    this.graphRetries.inc({ reason });
    this.graphRetryWait.inc({ reason }, w.delayMs / 1000);
  }

  private onInboxWrite(value: unknown): void {
    // The tombstone written once a notification was applied: { seq, receivedAt, processedAt }.
    const record = value as { receivedAt?: unknown; processedAt?: unknown } | undefined;
    if (typeof record?.receivedAt !== 'string' || typeof record.processedAt !== 'string') return;
    const lag = Date.parse(record.processedAt) - Date.parse(record.receivedAt);
    if (Number.isFinite(lag) && lag >= 0) this.notificationLag.observe(lag / 1000);
  }

  private onLocalEvent(event: CommsEvent): void {
    switch (event.type) {
      case 'call.incoming':
      case 'call.adopted':
        if (event.callId) this.addCall(event.callId);
        break;
      case 'call.operation':
        this.callOperations.inc({ type: event.operationType || 'unknown', status: event.status || 'unknown' });
        break;
      case 'call.error':
        this.callErrors.inc({ code: this.codes.name(event.code || 'unknown') });
        break;
      case MEETING_EVENTS.state:
        if (event.state !== 'left' && !this.meetingSizes.has(event.meetingKey)) this.meetingSizes.set(event.meetingKey, 0);
        break;
      case MEETING_EVENTS.roster:
        if (typeof event.count === 'number') this.rosterSize.observe(event.count);
        break;
      case IVR_EVENTS.step:
        this.ivrSteps.inc({ step: event.step });
        break;
      case QUEUE_EVENTS.changed: {
        const outcome = ENDED_WAITS[event.change];
        if (outcome && typeof event.waitedSeconds === 'number') this.queueWait.observe({ queue: event.queue, outcome }, Math.max(0, event.waitedSeconds));
        else if (COUNTED_QUEUE_CHANGES.has(event.change)) this.queueChanges.inc({ queue: event.queue, change: event.change.replace(/-/g, '_') });
        return;
      }
      case QUEUE_EVENTS.offer:
        this.queueOffers.inc({ queue: event.queue, state: event.state.replace(/-/g, '_') });
        return;
      default:
        return;
    }
    this.refreshGauges();
  }

  private onClusterEvent(event: CommsEvent): void {
    switch (event.type) {
      case 'call.state':
        if (event.state === 'terminated') this.liveCalls.delete(event.callId);
        break;
      case MEETING_EVENTS.state:
        if (event.state === 'left') this.meetingSizes.delete(event.meetingKey);
        break;
      case MEETING_EVENTS.roster:
        if (typeof event.count === 'number' && this.meetingSizes.has(event.meetingKey)) this.meetingSizes.set(event.meetingKey, event.count);
        break;
      default:
        return;
    }
    this.refreshGauges();
  }

  private addCall(callId: string): void {
    if (this.liveCalls.size >= MAX_LIVE_TRACKED) this.liveCalls.delete(this.liveCalls.values().next().value as string);
    this.liveCalls.add(callId);
  }

  private refreshGauges(): void {
    this.callsLive.set(this.liveCalls.size);
    this.meetingsLive.set(this.meetingSizes.size);
    let people = 0;
    for (const count of this.meetingSizes.values()) people += count;
    this.meetingParticipants.set(people);
  }
}
