// A conversation's participants, as a Map that reports who joins and who leaves: presence, call records and Teams
// meeting events follow every path that adds or removes a participant without each flow having to tell them. Also
// finds a person's participant without a scan (a scripted 10,000-person crowd asks once per join).

import type { Participant } from './call-model.js';

export type ParticipantChange = 'added' | 'removed';

export class ParticipantMap extends Map<string, Participant> {
  private onChange?: (change: ParticipantChange, participant: Participant) => void;
  /** Lower-cased person id → that person's participants, in the order they were added. */
  private readonly byPerson = new Map<string, Participant[]>();

  constructor(onChange: (change: ParticipantChange, participant: Participant) => void) {
    super();
    this.onChange = onChange;
  }

  override set(id: string, participant: Participant): this {
    const isNew = !this.has(id);
    const replaced = this.get(id);
    if (replaced) this.unindex(replaced);
    super.set(id, participant);
    this.index(participant);
    if (isNew) this.onChange?.('added', participant);
    return this;
  }

  override delete(id: string): boolean {
    const participant = this.get(id);
    const deleted = super.delete(id);
    if (participant) this.unindex(participant);
    if (participant) this.onChange?.('removed', participant);
    return deleted;
  }

  override clear(): void {
    for (const id of [...this.keys()]) this.delete(id);
  }

  /** The first participant (in the order added) of this person, whatever the case of the id. */
  ofPerson(personId: string): Participant | undefined {
    return this.byPerson.get(personId.toLowerCase())?.[0];
  }

  private index(participant: Participant): void {
    if (!participant.personId) return;
    const key = participant.personId.toLowerCase();
    const list = this.byPerson.get(key);
    if (list) list.push(participant);
    else this.byPerson.set(key, [participant]);
  }

  private unindex(participant: Participant): void {
    if (!participant.personId) return;
    const key = participant.personId.toLowerCase();
    const list = this.byPerson.get(key);
    if (!list) return;
    const at = list.indexOf(participant);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.byPerson.delete(key);
  }
}
