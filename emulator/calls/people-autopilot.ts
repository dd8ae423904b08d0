// People on auto in the calls they answered by themselves: when a prompt the bot plays ends while the bot listens for
// keys (subscribeToTone), they press 1, once per call — what a person does when a reminder asks "press 1 to confirm".
// Calls a person places (the console's "Call the bot") and calls they answered by hand are never touched.

import type { CallingEvent } from './calling-events.js';
import type { CallsEngine } from './calls-engine.js';
import { AUTO_KEY } from './people-behavior.js';
import { pressKeys } from './people-actions.js';

/** How long a person takes to press the key after the prompt ends, in media time (divided by mediaSpeed). */
const KEY_DELAY_MS = 1_000;
const MAX_TRACKED_CALLS = 1_000;

export class PeopleAutopilot {
  /** callId → the people on auto who answered it and have not pressed yet. */
  private readonly waiting = new Map<string, Set<string>>();

  constructor(private readonly engine: CallsEngine) {
    engine.events.subscribe((event) => this.on(event));
  }

  private on(event: CallingEvent): void {
    const callId = typeof event.callId === 'string' ? event.callId : undefined;
    if (!callId) return;
    if (event.type === 'person.ring-ended' && event.outcome === 'answered' && event.auto === true && typeof event.person === 'string') {
      const people = this.waiting.get(callId) ?? new Set<string>();
      people.add(event.person);
      this.waiting.set(callId, people);
      if (this.waiting.size > MAX_TRACKED_CALLS) this.waiting.delete(this.waiting.keys().next().value!);
    } else if (event.type === 'call.ended') {
      this.waiting.delete(callId);
    } else if (event.type === 'operation.finished' && event.operationType === 'playPrompt' && event.status === 'completed') {
      this.promptEnded(callId);
    }
  }

  private promptEnded(callId: string): void {
    const people = this.waiting.get(callId);
    const call = this.engine.calls.get(callId);
    if (!people || !call || !call.toneSubscribed || call.state === 'terminated') return;
    this.waiting.delete(callId);
    const delay = Math.round(KEY_DELAY_MS / this.engine.options.mediaSpeed);
    for (const personId of people) {
      this.engine.scheduler.after(delay, () => {
        // Still on auto (the console may have switched them to manual meanwhile) and still in the call.
        if (call.state === 'terminated' || this.engine.behaviors.get(personId).onCall !== 'auto') return;
        if (!this.engine.personIn(call.conversation, personId)) return;
        try {
          pressKeys(this.engine, call, personId, AUTO_KEY);
        } catch (err) {
          this.engine.deps.logger.warn({ callId, err: (err as Error).message }, 'emulator: a person on auto could not press their key');
        }
      });
    }
  }
}
