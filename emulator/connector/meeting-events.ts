// Teams meeting events for the bot: meetingStart when a meeting's call begins (its first participant joins),
// meetingParticipantJoin / meetingParticipantLeave as people come and go (batched: joins and leaves within the batch
// window travel in one activity's members[], in the order they happened), meetingEnd when the last one leaves.
// Sent to every app that has a messaging endpoint.

import type { Conversation, Participant } from '../calls/call-model.js';
import type { ConversationObserver } from '../calls/calls-engine.js';
import type { Cancel, Scheduler } from '../calls/scheduler.js';
import type { EmulatedUser } from '../emulator-options.js';
import { joinWebUrl } from '../meetings/join-link.js';
import type { MeetingRooms } from '../meetings/meeting-rooms.js';
import type { MeetingStore } from '../meetings/meeting-store.js';
import type { BotMessenger } from './bot-messenger.js';
import { meetingLifecycleActivity, meetingParticipantsActivity, type ActivityContext, type MeetingFacts, type MeetingMember } from './teams-activities.js';
import type { ActivityIds } from './teams-ids.js';

export interface MessagingApp {
  clientId: string;
  displayName: string;
  messagingEndpointUrl?: string | undefined;
}

export interface MeetingEventsDeps {
  rooms: MeetingRooms;
  store: MeetingStore;
  apps(): readonly MessagingApp[];
  messenger: BotMessenger;
  ids: ActivityIds;
  scheduler: Scheduler;
  serviceUrl: string;
  tenantId: string;
  batchMs: number;
}

interface Pending {
  items: Array<{ joined: boolean; member: MeetingMember }>;
  timer?: Cancel;
}

/** Used in a meeting's join link when the emulator does not know who organized it. */
const UNKNOWN_ORGANIZER = '00000000-0000-0000-0000-000000000000';

export class MeetingEvents implements ConversationObserver {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly deps: MeetingEventsDeps) {}

  participantAdded(conversation: Conversation, participant: Participant): void {
    const threadId = conversation.threadId;
    if (conversation.kind !== 'meeting' || !threadId) return;
    if (conversation.participants.size === 1) {
      this.flush(threadId);
      const from = participant.personId ? this.deps.rooms.person(participant.personId) : undefined;
      this.lifecycle(threadId, 'start', from);
    }
    if (participant.kind === 'person') this.queue(threadId, true, participant);
  }

  participantRemoved(conversation: Conversation, participant: Participant, emptied: boolean): void {
    const threadId = conversation.threadId;
    if (conversation.kind !== 'meeting' || !threadId) return;
    if (participant.kind === 'person') this.queue(threadId, false, participant);
    if (emptied) {
      this.flush(threadId);
      this.lifecycle(threadId, 'end', undefined);
    }
  }

  private facts(threadId: string): MeetingFacts & { organizerId?: string } {
    const meeting = this.deps.store.byThread(threadId);
    if (meeting) return { threadId, title: meeting.subject ?? '', joinUrl: meeting.joinWebUrl, meetingType: 'Scheduled', organizerId: meeting.organizerId };
    return { threadId, title: '', joinUrl: joinWebUrl(threadId, this.deps.tenantId, UNKNOWN_ORGANIZER), meetingType: 'Adhoc' };
  }

  private lifecycle(threadId: string, which: 'start' | 'end', from: EmulatedUser | undefined): void {
    const facts = this.facts(threadId);
    const at = new Date().toISOString();
    for (const app of this.targets()) {
      const activity = meetingLifecycleActivity(this.context(app), this.deps.ids.next(), which, facts, from, at);
      this.deps.messenger.post(app.messagingEndpointUrl!, app.clientId, threadId, activity);
    }
  }

  private queue(threadId: string, joined: boolean, participant: Participant): void {
    if (this.targets().length === 0) return;
    const user = (participant.personId ? this.deps.rooms.person(participant.personId) : undefined) ?? {
      id: participant.personId ?? participant.id,
      displayName: participant.displayName,
      givenName: participant.displayName.split(' ')[0] ?? participant.displayName,
      surname: participant.displayName.split(' ').slice(1).join(' '),
      userPrincipalName: '',
      mail: '',
    };
    const facts = this.facts(threadId);
    const meeting = this.deps.store.byThread(threadId);
    const attendee = meeting?.attendees.find((a) => a.userId.toLowerCase() === user.id.toLowerCase());
    const role = facts.organizerId?.toLowerCase() === user.id.toLowerCase() ? 'Organizer' : attendee?.role === 'presenter' ? 'Presenter' : 'Attendee';
    let pending = this.pending.get(threadId);
    if (!pending) this.pending.set(threadId, (pending = { items: [] }));
    pending.items.push({ joined, member: { user, role } });
    pending.timer ??= this.deps.scheduler.after(this.deps.batchMs, () => this.flush(threadId));
  }

  /** Sends what is pending, one activity per run of joins or leaves (order kept). */
  private flush(threadId: string): void {
    const pending = this.pending.get(threadId);
    if (!pending) return;
    pending.timer?.();
    this.pending.delete(threadId);
    const facts = this.facts(threadId);
    const runs: Array<{ joined: boolean; members: MeetingMember[] }> = [];
    for (const item of pending.items) {
      const last = runs.at(-1);
      if (last && last.joined === item.joined) last.members.push(item.member);
      else runs.push({ joined: item.joined, members: [item.member] });
    }
    for (const app of this.targets()) {
      for (const run of runs) {
        const activity = meetingParticipantsActivity(this.context(app), this.deps.ids.next(), run.joined, facts, run.members);
        this.deps.messenger.post(app.messagingEndpointUrl!, app.clientId, threadId, activity);
      }
    }
  }

  private targets(): MessagingApp[] {
    return this.deps.apps().filter((a) => a.messagingEndpointUrl);
  }

  private context(app: MessagingApp): ActivityContext {
    return { serviceUrl: this.deps.serviceUrl, tenantId: this.deps.tenantId, appId: app.clientId, appName: app.displayName };
  }
}
