// People being rung by the calling service (the bot's outbound call, an invite, a transfer or a redirect target):
// each ring ends exactly once — answered, declined, busy, rung out, cancelled, or no endpoint for an unknown target.

import { randomUUID } from 'node:crypto';
import type { EmulatedUser } from '../emulator-options.js';
import type { PeopleBehavior } from './people-behavior.js';
import type { Cancel, Scheduler } from './scheduler.js';

export type RingReason = 'call' | 'invite' | 'transfer' | 'redirect';
export type RingOutcome = 'answered' | 'declined' | 'busy' | 'unanswered' | 'cancelled' | 'no-endpoint';

export interface Ring {
  id: string;
  personId: string;
  displayName: string;
  /** The bot call this ring belongs to (for a redirect: the redirected incoming call). */
  callId: string;
  reason: RingReason;
  since: string;
  settle(outcome: RingOutcome): void;
}

export class Ringing {
  private readonly rings = new Map<string, Ring>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly behaviors: PeopleBehavior,
  ) {}

  /**
   * Rings a person (or reports 'no-endpoint' for an unknown one, after the current request has been answered),
   * acting on their behaviour; onOutcome runs once (auto: a person on auto answered by themselves).
   */
  start(user: EmulatedUser | undefined, callId: string, reason: RingReason, timeoutMs: number, onOutcome: (outcome: RingOutcome, auto: boolean) => void): Ring | undefined {
    if (!user) {
      this.scheduler.after(0, () => onOutcome('no-endpoint', false));
      return undefined;
    }
    const cancels: Cancel[] = [];
    let done = false;
    const settle = (outcome: RingOutcome, byThemselves = false) => {
      if (done) return;
      done = true;
      for (const cancel of cancels) cancel();
      this.rings.delete(ring.id);
      onOutcome(outcome, byThemselves);
    };
    const ring: Ring = {
      id: randomUUID(),
      personId: user.id,
      displayName: user.displayName,
      callId,
      reason,
      since: new Date().toISOString(),
      settle: (outcome) => settle(outcome),
    };
    this.rings.set(ring.id, ring);
    const behavior = this.behaviors.get(user.id);
    if (behavior.onCall === 'answer') cancels.push(this.scheduler.after(behavior.answerDelayMs, () => ring.settle('answered')));
    if (behavior.onCall === 'auto') cancels.push(this.scheduler.after(behavior.answerDelayMs, () => settle('answered', true)));
    if (behavior.onCall === 'decline') cancels.push(this.scheduler.after(behavior.answerDelayMs, () => ring.settle('declined')));
    if (behavior.onCall === 'busy') cancels.push(this.scheduler.after(0, () => ring.settle('busy')));
    cancels.push(this.scheduler.after(timeoutMs, () => ring.settle('unanswered')));
    return ring;
  }

  find(callId: string, personId: string): Ring | undefined {
    return [...this.rings.values()].find((r) => r.callId === callId && r.personId.toLowerCase() === personId.toLowerCase());
  }

  forCall(callId: string): Ring[] {
    return [...this.rings.values()].filter((r) => r.callId === callId);
  }

  forPerson(personId: string): Ring[] {
    return [...this.rings.values()].filter((r) => r.personId.toLowerCase() === personId.toLowerCase());
  }
}
