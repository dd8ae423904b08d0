// What follows a change of a stored call: its events (state, tones heard; a roster's difference) and the timers that
// depend on its state (the watchdog, keepAlive, operations that can no longer complete).
import type { CallEvent } from './call-events.js';
import { CALL_EVENTS } from './call-events.js';
import type { CallRecord, CallRoster } from './call-session.js';
import type { CallWatchdog } from './call-watchdog.js';
import type { KeepAliveScheduler } from './keep-alive.js';
import type { OperationTracker } from './operation-tracker.js';
import { diffRoster, isEmptyDiff } from './roster-diff.js';
import { WATCHED_STATES, type CallCore } from './call-core.js';

export class CallChanges {
  constructor(
    private readonly core: CallCore,
    private readonly parts: { watchdog: CallWatchdog; keepAlive: KeepAliveScheduler; tracker: OperationTracker },
  ) {}

  publish(event: CallEvent): void {
    this.core.bus.publish({ ...event, at: this.core.iso(this.core.now()) });
  }

  async afterChange(before: CallRecord, after: CallRecord): Promise<void> {
    const callId = after.id;
    if (before.state !== after.state) {
      this.publish({
        type: CALL_EVENTS.state,
        callId,
        state: after.state,
        previous: before.state,
        ...(after.resultInfo ? { resultInfo: after.resultInfo } : {}),
        ...(after.terminationReason ? { terminationReason: after.terminationReason } : {}),
      });
      if (WATCHED_STATES.has(after.state)) this.parts.watchdog.watch(callId);
      else this.parts.watchdog.unwatch(callId);
      if (after.state === 'terminated') {
        this.parts.keepAlive.untrack(callId);
        await this.parts.tracker.failCall(callId);
        this.core.logger.info({ callId, resultInfo: after.resultInfo }, 'call ended');
      }
    }
    const heard = new Set(before.toneHistory.map((t) => t.sequenceId));
    for (const tone of after.toneHistory) {
      if (!heard.has(tone.sequenceId)) this.publish({ type: CALL_EVENTS.tone, callId, tone: tone.tone, sequenceId: tone.sequenceId });
    }
  }

  /** What follows a change of a call's roster: the people who joined, left or changed, as one event. */
  afterRosterChange(callId: string, before: CallRoster, after: CallRoster): void {
    if (before.participants === after.participants) return;
    const diff = diffRoster(before.participants, after.participants);
    if (!isEmptyDiff(diff)) this.publish({ type: CALL_EVENTS.participants, callId, ...diff, count: after.participants.length });
  }
}
