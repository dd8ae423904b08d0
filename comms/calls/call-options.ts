// What CallService is configured with and what its callers pass to it: dependencies, deadlines, inputs of placing
// calls and of operations, and what a recording returns.
import type { GraphClient, HttpTransport } from '../graph/index.js';
import type { AppendLog, EventBus, Store } from '../store/index.js';
import type { Scheduler } from '../runtime/index.js';
import type { Clock, Timers } from '../runtime/clock.js';
import type { Logger } from '../runtime/logger.js';
import type * as callActions from './call-actions.js';
import type { JsonObject } from './call-session.js';
import type { CallTarget } from './call-targets.js';
import type { ResultInfo } from './graph-shapes.js';

export interface CallServiceOptions {
  graph: GraphClient;
  store: Store;
  bus: EventBus;
  logger: Logger;
  /** Where Graph sends this app's call notifications (the calling webhook). */
  callbackUri: string;
  appId: string;
  /** The app's home tenant: the tenant of calls it places unless told otherwise. */
  tenantId?: string;
  /** Used to download recordings. */
  transport: HttpTransport;
  /** Hosts recordings may be downloaded from (exact or `*.domain`). */
  recordingHosts: string[];
  /** Local mode only: loopback hosts (e.g. the emulator's `127.0.0.1:3979`) recordings may come from. */
  recordingLoopbackHosts?: string[];
  maxRecordingBytes?: number;
  now?: Clock;
  timers?: Timers;
  keepAliveIntervalMs?: number;
  /** Durable timers (the runtime's): keepAlive is a job on them, in memory or, distributed, fired by any instance. Default: in-memory timers of its own. */
  scheduler?: Scheduler;
  operationTimeoutMs?: number;
  /** How long processed notifications are remembered to drop redeliveries. */
  inboxRetentionMs?: number;
  /**
   * How much recorded-but-not-applied work the inbox holds in memory (a notification counts 1, a roster 1 per 100
   * people more); beyond it notifications are only in the store and read back from it when the backlog is worked
   * off — back-pressure that never drops one. Default 500 (about 45 full 1,000-person rosters).
   */
  inboxMaxHeld?: number;
  /**
   * Where the webhook records full rosters, as the bytes they came in, instead of the store (one instance with the
   * embedded store: a local append-only log is ~20× cheaper than turning a 1,000-person roster into JSON again and
   * inserting it). Without it (distributed mode, tests) rosters are recorded in the store like everything else.
   */
  rosterLog?: AppendLog;
  /**
   * Acknowledging first: while webhook requests are being read and answered (see CallService.receiving), applying
   * waits — but no notification waits longer than this for it (default 2 s; Graph allows 3 s for the ack, 15 s to
   * answer a call).
   */
  ackFirstMaxLagMs?: number;
  /**
   * Answers first: while new incoming calls wait to be applied or answered, a webhook batch without one waits before
   * it is recorded and acknowledged — at most this long (default 500 ms, 0 turns it off). In a burst of calls most of
   * the requests are the answered calls' establishing and established notifications: recording them first put every
   * later caller's answer behind them (measured: a burst of 100 calls answered ~20 % sooner with it).
   */
  answersFirstMaxWaitMs?: number;
  /** How long notifications for a call not (yet) known are kept, in case its create request is still answering. */
  orphanTtlMs?: number;
  /** Runs inbox processing after the acknowledgement (default setImmediate). */
  defer?: (fn: () => void) => void;
  /** Deadlines and retry limits (tests shorten them). */
  deadlines?: CallDeadlines;
}

export interface CallDeadlines {
  /** Graph's answer window, from the arrival of the incoming-call notification (default 15 s). */
  answerWindowMs?: number;
  /** A call still establishing, transferring or terminating after this long is re-read from Graph (default 10 s). */
  stateCheckMs?: number;
  /** An answered call not established, or a hang-up not confirmed, after this long is ended again (default 30 s). */
  giveUpMs?: number;
  /** Attempts per request when Graph answers 429/503 or the outcome is re-checked (default 4). */
  maxAttempts?: number;
  /** Backoff base when a 429/503 carries no Retry-After (default 500 ms). */
  retryBaseMs?: number;
  /** Claims of creates whose outcome is unknown are kept this long (default 1 day). */
  claimRetentionMs?: number;
}

export const DEFAULT_DEADLINES: Required<CallDeadlines> = {
  answerWindowMs: 15_000,
  stateCheckMs: 10_000,
  giveUpMs: 30_000,
  maxAttempts: 4,
  retryBaseMs: 500,
  claimRetentionMs: 24 * 3600_000,
};

export interface PlaceCallInput {
  /**
   * The caller's id for this call (URL-safe, ≤ 100 characters). With it a create whose answer is lost is found again
   * instead of placed twice: placeCall then throws calls/outcome-unknown and publishes call.adopted when it turns up.
   */
  correlationId?: string;
  source?: CallTarget;
  subject?: string;
  tenantId?: string;
  preFetchMedia?: callActions.MediaInfoInput[];
  purpose?: string;
  context?: JsonObject;
  callbackUri?: string;
}

export interface OperationOptions {
  clientContext?: string;
  timeoutMs?: number;
  /**
   * After a dropped connection or a timeout Graph may or may not have started the operation. 'repeat' sends it again
   * (for requests whose repetition is harmless to the caller); the default 'fail' throws calls/outcome-unknown.
   */
  onAmbiguous?: 'repeat' | 'fail';
}

export interface RecordedResponse {
  audio: Buffer;
  contentType: string;
  resultInfo?: ResultInfo;
  completionReason?: string;
}
