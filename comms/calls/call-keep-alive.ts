// keepAlive wired to the call store: each live call's next keepAlive is kept on it (nextKeepAliveAt), a call the
// app asked to end is hung up again instead of kept alive, and a keepAlive answered 404 ends the call here.
import * as callActions from './call-actions.js';
import { isLive } from './call-session.js';
import { KeepAliveScheduler } from './keep-alive.js';
import type { CallOperations } from './call-operations.js';
import type { CallStore } from './call-store.js';
import type { CallCore } from './call-core.js';

export function createCallKeepAlive(core: CallCore, calls: () => CallStore): KeepAliveScheduler {
  return new KeepAliveScheduler({
    intervalMs: core.options.keepAliveIntervalMs,
    scheduler: core.options.scheduler,
    stillLive: async (callId) => {
      const session = await calls().get(callId);
      return session !== undefined && isLive(session);
    },
    timers: core.timers,
    now: core.now,
    logger: core.logger,
    // Calls.Initiate.All · call-keepalive. A call the app asked to end is never kept alive: the hang-up is repeated
    // instead (DELETE is harmless to repeat; its 404 ends the call here), so no open line is held indefinitely.
    send: async (callId) => {
      const session = await calls().get(callId);
      if (session?.endRequestedAt) {
        await callActions.hangUp(core.graph, callId);
        await calls().setState(callId, 'terminating');
        return;
      }
      await callActions.keepAlive(core.graph, callId);
    },
    onEnded: async (callId) => {
      core.logger.info({ callId }, 'keepAlive found the call gone; marking it terminated');
      await calls().markEnded(callId);
    },
    onScheduled: async (callId, dueAt) => {
      await calls().update(callId, (s) => ({ ...s, nextKeepAliveAt: core.iso(dueAt) }));
    },
  });
}

/** call-keepalive, on demand (the scheduler does it every interval anyway). */
export async function sendKeepAlive(core: CallCore, parts: { ops: CallOperations; calls: CallStore; keepAlive: KeepAliveScheduler }, callId: string): Promise<void> {
  await parts.ops.requireLive(callId);
  await parts.ops.step(callId, 'keepAlive', () => callActions.keepAlive(core.graph, callId));
  if (!core.stopped) {
    const due = parts.keepAlive.track(callId);
    await parts.calls.update(callId, (s) => ({ ...s, nextKeepAliveAt: core.iso(due) }));
  }
}
