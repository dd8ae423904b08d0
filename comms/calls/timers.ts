// The clock and timer seam of comms/calls: production uses the real ones, tests inject a simulated clock so
// keepAlive schedules and operation timeouts run hours of call time in milliseconds.

export type TimerHandle = unknown;

export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export const systemTimers: Timers = {
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    // Scheduled comms work never holds the process open on its own; the HTTP server does that.
    handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
