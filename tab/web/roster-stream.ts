// The side panel's live feed: a fetch-streamed SSE connection with the user's token and Last-Event-ID. When the
// connection drops (or goes quiet past the server's heartbeats) it says "reconnecting" and tries again with growing
// pauses, resuming where it stopped; the server replays what was missed or says `reset` (reload the snapshot).
import { ApiError, errorFrom, type TokenSource } from './api-client.js';
import { SseParser } from './sse-parser.js';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface RosterStreamOptions {
  url: string;
  /** Where to resume from (the snapshot's position). */
  lastEventId: string;
  token: TokenSource;
  onMessage(type: string, data: unknown): void;
  onStatus(status: StreamStatus): void;
  /** Not worth retrying (signed out, not a member any more). */
  onFatal(err: ApiError): void;
  /** No bytes for this long (heartbeats come every 15 s) counts as a dropped connection. */
  quietMs?: number;
}

const BACKOFF_MS = [500, 1_000, 2_000, 4_000, 8_000];

export class RosterStream {
  private controller: AbortController | undefined;
  private stopped = false;
  private failures = 0;
  private position: string;
  private wake: (() => void) | undefined;

  constructor(private readonly options: RosterStreamOptions) {
    this.position = options.lastEventId;
  }

  get lastEventId(): string {
    return this.position;
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
    this.wake?.();
    this.options.onStatus('stopped');
  }

  /** Retry now instead of waiting out the pause (e.g. the browser came back online). */
  retryNow(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    let refreshToken = false;
    while (!this.stopped) {
      this.options.onStatus(this.failures === 0 ? 'connecting' : 'reconnecting');
      const outcome = await this.connectOnce(refreshToken);
      if (this.stopped) return;
      refreshToken = outcome === 'unauthorized';
      if (outcome === 'fatal') return;
      this.failures += 1;
      this.options.onStatus('reconnecting');
      await this.pause(BACKOFF_MS[Math.min(this.failures - 1, BACKOFF_MS.length - 1)]!);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async connectOnce(refreshToken: boolean): Promise<'ended' | 'unauthorized' | 'fatal'> {
    const controller = new AbortController();
    this.controller = controller;
    let quiet: ReturnType<typeof setTimeout> | undefined;
    const quietMs = this.options.quietMs ?? 45_000;
    const arm = () => {
      clearTimeout(quiet);
      quiet = setTimeout(() => controller.abort(), quietMs);
    };
    try {
      const token = await this.options.token(refreshToken);
      arm();
      const res = await fetch(this.options.url, {
        headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'last-event-id': this.position },
        cache: 'no-store',
        signal: controller.signal,
      });
      if (res.status === 401) return refreshToken ? this.fatal(await errorFrom(res)) : 'unauthorized';
      if (res.status === 403 || res.status === 404) return this.fatal(await errorFrom(res));
      if (!res.ok || !res.body) return 'ended';
      this.failures = 0;
      this.options.onStatus('live');
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return 'ended';
        arm();
        for (const message of parser.push(value)) {
          if (message.id !== undefined) this.position = message.id;
          let data: unknown = undefined;
          try {
            data = message.data ? JSON.parse(message.data) : undefined;
          } catch {
            continue;
          }
          this.options.onMessage(message.event, data);
          if (this.stopped) return 'ended';
        }
      }
    } catch {
      return 'ended';
    } finally {
      clearTimeout(quiet);
      controller.abort();
    }
  }

  private fatal(err: ApiError): 'fatal' {
    this.options.onFatal(err);
    return 'fatal';
  }
}
