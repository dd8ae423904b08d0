// Deadlines on notifications: a call that stays establishing, transferring or terminating longer than it should is
// re-read from Graph (its notification may have been lost), and the owner decides what happens next. One timer per
// watched call; nothing is polled for calls that move on as they should.
import type { TimerHandle, Timers } from '../runtime/clock.js';

export interface CallWatchdogOptions {
  timers: Timers;
  checkMs: number;
  /** Re-reads the call; resolves true to keep watching it. */
  check(callId: string): Promise<boolean>;
  logger: { warn(obj: object, msg?: string): void };
}

export class CallWatchdog {
  private readonly handles = new Map<string, TimerHandle>();
  private stopped = false;

  constructor(private readonly options: CallWatchdogOptions) {}

  watch(callId: string): void {
    if (this.stopped || this.handles.has(callId)) return;
    const handle = this.options.timers.setTimeout(() => {
      this.handles.delete(callId);
      this.options
        .check(callId)
        .then((again) => {
          if (again) this.watch(callId);
        })
        .catch((err: Error) => this.options.logger.warn({ callId, message: err?.message }, 'could not re-check a call'));
    }, this.options.checkMs);
    this.handles.set(callId, handle);
  }

  unwatch(callId: string): void {
    const handle = this.handles.get(callId);
    if (handle !== undefined) this.options.timers.clearTimeout(handle);
    this.handles.delete(callId);
  }

  start(): void {
    this.stopped = false;
  }

  stop(): void {
    this.stopped = true;
    for (const handle of this.handles.values()) this.options.timers.clearTimeout(handle);
    this.handles.clear();
  }
}
