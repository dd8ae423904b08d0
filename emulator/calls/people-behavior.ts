// What each emulated person does when the bot calls, invites or transfers to them: answer by themselves (auto: after
// a couple of rings; on a call answered that way they press 1 once when a prompt ends while the bot listens for keys),
// ring until someone acts through the console or control API (manual), answer, decline, be busy, or let it ring out
// (ignore). People nobody set follow the emulator's default (option peopleAnswer: manual unless told otherwise).

import { DEFAULT_PEOPLE_ANSWER_DELAY_MS } from '../emulator-options.js';

export type OnCallBehavior = 'auto' | 'manual' | 'answer' | 'decline' | 'busy' | 'ignore';

export interface PersonBehavior {
  onCall: OnCallBehavior;
  /** How long an answering/declining person lets it ring first. */
  answerDelayMs: number;
}

export interface PeopleDefaults {
  onCall: 'auto' | 'manual';
  /** How long a person on auto lets it ring ("a couple of rings"). */
  autoAnswerDelayMs: number;
}

export const DEFAULT_ANSWER_DELAY_MS = 500;
/** The key a person on auto presses when the bot asks (a reminder's "press 1 to confirm"). */
export const AUTO_KEY = '1';

export class PeopleBehavior {
  private readonly behaviors = new Map<string, PersonBehavior>();
  private readonly listeners = new Set<() => void>();
  readonly defaults: PeopleDefaults;

  constructor(defaults: Partial<PeopleDefaults> = {}) {
    this.defaults = { onCall: defaults.onCall ?? 'manual', autoAnswerDelayMs: defaults.autoAnswerDelayMs ?? DEFAULT_PEOPLE_ANSWER_DELAY_MS };
  }

  get(personId: string): PersonBehavior {
    return this.behaviors.get(personId.toLowerCase()) ?? this.defaultBehavior();
  }

  /** The person follows the emulator's default (nobody set their behaviour). */
  isDefault(personId: string): boolean {
    return !this.behaviors.has(personId.toLowerCase());
  }

  set(personId: string, behavior: { onCall: OnCallBehavior; answerDelayMs?: number | undefined }): PersonBehavior {
    const value = { onCall: behavior.onCall, answerDelayMs: behavior.answerDelayMs ?? this.delayFor(behavior.onCall) };
    this.behaviors.set(personId.toLowerCase(), value);
    for (const listener of this.listeners) listener();
    return value;
  }

  /** Told after every change (the emulator's saved state). */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** Everyone whose behaviour was set (the emulator's saved state). */
  snapshot(): Array<{ personId: string } & PersonBehavior> {
    return [...this.behaviors].map(([personId, b]) => ({ personId, ...b }));
  }

  restore(saved: Array<{ personId: string } & PersonBehavior>): number {
    for (const { personId, onCall, answerDelayMs } of saved) this.behaviors.set(personId.toLowerCase(), { onCall, answerDelayMs });
    return saved.length;
  }

  private defaultBehavior(): PersonBehavior {
    return { onCall: this.defaults.onCall, answerDelayMs: this.delayFor(this.defaults.onCall) };
  }

  private delayFor(onCall: OnCallBehavior): number {
    return onCall === 'auto' ? this.defaults.autoAnswerDelayMs : DEFAULT_ANSWER_DELAY_MS;
  }
}
