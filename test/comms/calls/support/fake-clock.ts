// A simulated clock and timer queue for comms/calls tests: advance() runs due timers in time order, letting the
// promise chains they start settle in between, so hours of call time pass in milliseconds.
import type { Timers } from '../../../../comms/runtime/index.js';

interface Pending {
  id: number;
  at: number;
  fn: () => void;
}

export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

export class FakeClock implements Timers {
  private t: number;
  private nextId = 1;
  private pending: Pending[] = [];

  constructor(start = Date.UTC(2025, 0, 6, 9, 0, 0)) {
    this.t = start;
  }

  readonly now = (): number => this.t;

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    this.pending.push({ id, at: this.t + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  get timerCount(): number {
    return this.pending.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number, settleRounds = 10): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      const due = this.pending.filter((p) => p.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
      await settle(settleRounds);
    }
    this.t = target;
    await settle(settleRounds);
  }
}
