// A conversation's participants, as a Map that reports who joins and who leaves: presence, call records and Teams
// meeting events follow every path that adds or removes a participant without each flow having to tell them.

import type { Participant } from './call-model.js';

export type ParticipantChange = 'added' | 'removed';

export class ParticipantMap extends Map<string, Participant> {
  private onChange?: (change: ParticipantChange, participant: Participant) => void;

  constructor(onChange: (change: ParticipantChange, participant: Participant) => void) {
    super();
    this.onChange = onChange;
  }

  override set(id: string, participant: Participant): this {
    const isNew = !this.has(id);
    super.set(id, participant);
    if (isNew) this.onChange?.('added', participant);
    return this;
  }

  override delete(id: string): boolean {
    const participant = this.get(id);
    const deleted = super.delete(id);
    if (participant) this.onChange?.('removed', participant);
    return deleted;
  }

  override clear(): void {
    for (const id of [...this.keys()]) this.delete(id);
  }
}
