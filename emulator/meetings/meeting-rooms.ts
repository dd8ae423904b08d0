// Meetings as places people are in: resolves a meeting (onlineMeeting id, chat thread id, or the Teams meeting id) to
// the calling service's meeting conversation, and lets emulated people join, leave, mute, raise a hand and share —
// with or without the bot there. Roster updates to the bot's legs are coalesced (scheduleRoster).

import type { Conversation, Participant } from '../calls/call-model.js';
import type { CallsEngine } from '../calls/calls-engine.js';
import { EmulatorError } from '../emulator-error.js';
import type { EmulatedUser } from '../emulator-options.js';
import { isThreadId, threadIdFromJoinUrl, threadIdFromTeamsMeetingId } from './join-link.js';
import type { OnlineMeetingRecord } from './meeting-model.js';
import type { MeetingStore } from './meeting-store.js';

export interface MeetingRef {
  threadId: string;
  meeting?: OnlineMeetingRecord;
}

const MAX_GUESTS = 20_000;

export class MeetingRooms {
  /** Generated attendees by id, so activities and call records can name them after they leave. */
  private readonly guests = new Map<string, EmulatedUser>();

  constructor(
    private readonly engine: CallsEngine,
    private readonly store: MeetingStore,
  ) {}

  /** An onlineMeeting id, its chat thread id, its join link or the Teams meeting id (base64 "0#thread#0"). */
  resolve(reference: string): MeetingRef {
    const meeting = this.store.get(reference) ?? this.store.byThread(reference) ?? this.store.byJoinUrl(reference);
    if (meeting) return { threadId: meeting.threadId, meeting };
    const thread = isThreadId(reference) ? reference : threadIdFromJoinUrl(reference) ?? threadIdFromTeamsMeetingId(reference);
    if (thread) {
      const known = this.store.byThread(thread);
      return known ? { threadId: known.threadId, meeting: known } : { threadId: thread };
    }
    throw new EmulatorError('emulator/unknown-meeting', `There is no meeting '${reference}': use an onlineMeeting id, a chat thread id (19:meeting_…@thread.v2) or a join link. GET /emulator/meetings lists them.`, 404);
  }

  /** A directory person or a generated attendee, by id or UPN. */
  person(id: string): EmulatedUser | undefined {
    return this.engine.person(id) ?? this.guests.get(id.toLowerCase());
  }

  conversation(ref: MeetingRef): Conversation {
    return this.engine.meetingConversation(ref.threadId);
  }

  join(ref: MeetingRef, user: EmulatedUser, options: { synthetic?: boolean } = {}): Participant {
    const conversation = this.conversation(ref);
    if (this.engine.personIn(conversation, user.id)) {
      throw new EmulatorError('emulator/already-in-meeting', `${user.displayName} is already in the meeting.`, 409);
    }
    if (options.synthetic) {
      if (this.guests.size >= MAX_GUESTS) this.guests.delete(this.guests.keys().next().value!);
      this.guests.set(user.id.toLowerCase(), user);
    }
    const participant = this.engine.addPerson(conversation, user);
    if (options.synthetic) participant.synthetic = true;
    this.engine.events.emit('person.joined', { threadId: ref.threadId, person: user.id, participantId: participant.id, meeting: true });
    this.engine.scheduleRoster(conversation);
    return participant;
  }

  leave(ref: MeetingRef, who: string): Participant {
    const conversation = this.conversation(ref);
    const participant = this.participant(conversation, who);
    conversation.participants.delete(participant.id);
    this.engine.events.emit('person.left', { threadId: ref.threadId, person: participant.personId, participantId: participant.id, meeting: true });
    this.engine.scheduleRoster(conversation);
    return participant;
  }

  setMuted(ref: MeetingRef, who: string, muted: boolean): Participant {
    return this.change(ref, who, (p) => {
      if (p.isMuted === muted) return false;
      p.isMuted = muted;
      return muted ? 'person.muted' : 'person.unmuted';
    });
  }

  /** Graph's participant has no raised-hand property: the emulator keeps it (console, tests) and the bot's roster does not change. */
  setHand(ref: MeetingRef, who: string, raised: boolean): Participant {
    const conversation = this.conversation(ref);
    const participant = this.participant(conversation, who);
    if ((participant.handRaised ?? false) !== raised) {
      participant.handRaised = raised;
      this.engine.events.emit(raised ? 'person.hand-raised' : 'person.hand-lowered', { threadId: ref.threadId, person: participant.personId });
    }
    return participant;
  }

  /**
   * Screen sharing: the participant gets (or loses) a videoBasedScreenSharing stream in the roster, and the meeting's
   * contentSharingSession starts, changes presenter or ends (legs with isContentSharingNotificationEnabled are told).
   */
  setSharing(ref: MeetingRef, who: string, sharing: boolean): Participant {
    const conversation = this.conversation(ref);
    return this.change(ref, who, (p) => {
      if (!this.engine.contentSharing.share(conversation, p, sharing)) return false;
      return sharing ? 'person.sharing-started' : 'person.sharing-stopped';
    });
  }

  /** The person's participant in the meeting: by directory id or UPN, synthetic person id, or participant id. */
  participant(conversation: Conversation, who: string): Participant {
    const key = who.toLowerCase();
    const directoryId = this.engine.person(who)?.id.toLowerCase();
    for (const p of conversation.participants.values()) {
      if (p.kind !== 'person') continue;
      if (p.id.toLowerCase() === key || p.personId?.toLowerCase() === key || (directoryId && p.personId?.toLowerCase() === directoryId)) return p;
    }
    throw new EmulatorError('emulator/person-not-in-meeting', `'${who}' is not in the meeting.`, 409);
  }

  private change(ref: MeetingRef, who: string, apply: (p: Participant) => string | false): Participant {
    const conversation = this.conversation(ref);
    const participant = this.participant(conversation, who);
    const event = apply(participant);
    if (event) {
      this.engine.events.emit(event, { threadId: ref.threadId, person: participant.personId });
      this.engine.scheduleRoster(conversation);
    }
    return participant;
  }
}
