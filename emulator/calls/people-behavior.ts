// What each emulated person does when the bot calls, invites or transfers to them: ring until someone acts through
// the control API (manual, the default), answer, decline, be busy, or let it ring out (ignore).

export type OnCallBehavior = 'manual' | 'answer' | 'decline' | 'busy' | 'ignore';

export interface PersonBehavior {
  onCall: OnCallBehavior;
  /** How long an answering/declining person lets it ring first. */
  answerDelayMs: number;
}

export const DEFAULT_ANSWER_DELAY_MS = 500;

export class PeopleBehavior {
  private readonly behaviors = new Map<string, PersonBehavior>();

  get(personId: string): PersonBehavior {
    return this.behaviors.get(personId.toLowerCase()) ?? { onCall: 'manual', answerDelayMs: DEFAULT_ANSWER_DELAY_MS };
  }

  set(personId: string, behavior: { onCall: OnCallBehavior; answerDelayMs?: number | undefined }): PersonBehavior {
    const value = { onCall: behavior.onCall, answerDelayMs: behavior.answerDelayMs ?? DEFAULT_ANSWER_DELAY_MS };
    this.behaviors.set(personId.toLowerCase(), value);
    return value;
  }
}
