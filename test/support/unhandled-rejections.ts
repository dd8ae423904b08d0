// Collects the promise rejections nobody handled while a test runs: in the app each one marks the process damaged
// (server/process-guard.ts), so a test asserts there were none.
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface RejectionWatch {
  /** Lets pending promise chains settle (Node reports a rejection only once the microtask queue is empty), then stops listening. */
  stop(): Promise<unknown[]>;
}

export function watchUnhandledRejections(): RejectionWatch {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on('unhandledRejection', listener);
  return {
    async stop() {
      for (let i = 0; i < 5; i += 1) await nextTurn();
      process.off('unhandledRejection', listener);
      return seen;
    },
  };
}
