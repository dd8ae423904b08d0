// The calling service's timers (answer windows, ringing, keep-alive, media playback): every timer is tracked so the
// emulator can close without leaving work behind, and a throwing callback is logged instead of crashing the process.

import type { EmulatorLogger } from '../emulator-options.js';

export type Cancel = () => void;

export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly logger: EmulatorLogger) {}

  /** Runs fn after ms (unless closed or cancelled first). */
  after(ms: number, fn: () => void): Cancel {
    if (this.closed) return () => {};
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        fn();
      } catch (err) {
        this.logger.error({ err: (err as Error).message }, 'emulator calling timer failed');
      }
    }, Math.max(0, ms));
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** Resolves after ms; rejects with the signal's reason when aborted (or at once when the scheduler is closed). */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      if (this.closed) return reject(new Error('closed'));
      const onAbort = () => {
        cancel();
        reject(signal!.reason);
      };
      const cancel = this.after(ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
