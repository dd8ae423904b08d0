// Each emulated person's Teams presence: it follows what they do — in a call Busy/InACall, in a meeting
// Busy/InAConferenceCall, otherwise Available/Available — unless the control API has set it. Watches every
// conversation through the calling service, and tells listeners (presence subscriptions) when a presence changes.

import type { CallKind, Conversation, Participant } from '../calls/call-model.js';
import type { ConversationObserver } from '../calls/calls-engine.js';
import type { UserDirectory } from '../directory/user-directory.js';

/** The wire values (PascalCase), from the presence resource. */
export const AVAILABILITY = ['Available', 'AvailableIdle', 'Away', 'BeRightBack', 'Busy', 'BusyIdle', 'DoNotDisturb', 'Offline', 'PresenceUnknown'] as const;
export const ACTIVITY = [
  'Available', 'Away', 'BeRightBack', 'Busy', 'DoNotDisturb', 'InACall', 'InAConferenceCall', 'Inactive', 'InAMeeting', 'Offline',
  'OffWork', 'OutOfOffice', 'PresenceUnknown', 'Presenting', 'UrgentInterruptionsOnly',
] as const;

export interface Presence {
  availability: string;
  activity: string;
}

export const UNKNOWN_PRESENCE: Presence = { availability: 'PresenceUnknown', activity: 'PresenceUnknown' };

type Listener = (personId: string, presence: Presence) => void;

export class PresenceBook implements ConversationObserver {
  /** person id (lower case) → conversation id → the conversation's kind. */
  private readonly activity = new Map<string, Map<string, CallKind>>();
  private readonly ids = new Map<string, string>();
  private readonly overrides = new Map<string, Presence>();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly directory: UserDirectory) {}

  /** A person's presence, or undefined for someone the tenant does not know (not in the directory, in no call). */
  get(personId: string): (Presence & { id: string; overridden: boolean }) | undefined {
    const key = personId.toLowerCase();
    const user = this.directory.find(personId);
    const id = user?.id ?? this.ids.get(key);
    if (!id) return undefined;
    const override = this.overrides.get(id.toLowerCase());
    return { id, ...(override ?? this.derived(id.toLowerCase())), overridden: override !== undefined };
  }

  /** Sets a presence that holds until cleared (PUT /emulator/people/{id}/presence). */
  set(personId: string, presence: Presence): void {
    this.changing(personId, () => this.overrides.set(personId.toLowerCase(), { ...presence }));
  }

  /** Back to the presence that follows calls and meetings. */
  clear(personId: string): void {
    this.changing(personId, () => this.overrides.delete(personId.toLowerCase()));
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  participantAdded(conversation: Conversation, participant: Participant): void {
    const id = participant.personId;
    if (participant.kind !== 'person' || !id) return;
    this.changing(id, () => {
      const key = id.toLowerCase();
      this.ids.set(key, id);
      let conversations = this.activity.get(key);
      if (!conversations) this.activity.set(key, (conversations = new Map()));
      conversations.set(conversation.id, conversation.kind);
    });
  }

  participantRemoved(conversation: Conversation, participant: Participant): void {
    const id = participant.personId;
    if (participant.kind !== 'person' || !id) return;
    this.changing(id, () => {
      const key = id.toLowerCase();
      const conversations = this.activity.get(key);
      conversations?.delete(conversation.id);
      if (conversations?.size === 0) {
        this.activity.delete(key);
        // Generated attendees stop existing for presence once they leave; directory people stay Available.
        if (!this.directory.find(id)) this.ids.delete(key);
      }
    });
  }

  private derived(key: string): Presence {
    const kinds = [...(this.activity.get(key)?.values() ?? [])];
    if (kinds.includes('meeting')) return { availability: 'Busy', activity: 'InAConferenceCall' };
    if (kinds.length > 0) return { availability: 'Busy', activity: 'InACall' };
    return { availability: 'Available', activity: 'Available' };
  }

  private changing(personId: string, change: () => void): void {
    const before = this.get(personId);
    change();
    const after = this.get(personId);
    const id = after?.id ?? before?.id ?? personId;
    const now = after ?? UNKNOWN_PRESENCE;
    if (before?.availability === now.availability && before?.activity === now.activity) return;
    for (const listener of this.listeners) {
      try {
        listener(id, { availability: now.availability, activity: now.activity });
      } catch {
        // a failing listener must not stop the others
      }
    }
  }
}
