// The onlineMeetings the emulated tenant has: created through Graph (or createOrGet), found by id, chat thread, join
// link (however it is encoded), join meeting id, or organizer + externalId; updated and deleted.

import { randomInt } from 'node:crypto';
import type { Json } from '../calls/call-model.js';
import { canonicalJoinUrl, joinWebUrl, newThreadId, onlineMeetingId } from './join-link.js';
import type { MeetingAttendee, OnlineMeetingRecord } from './meeting-model.js';

export interface NewMeeting {
  organizerId: string;
  organizerUpn: string | null;
  tenantId: string;
  subject: string | null;
  startDateTime: string;
  endDateTime: string;
  isPasscodeRequired: boolean;
  attendees: MeetingAttendee[];
  externalId?: string;
  settings: Json;
}

const PASSCODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

export class MeetingStore {
  private readonly meetings = new Map<string, OnlineMeetingRecord>();

  create(input: NewMeeting): OnlineMeetingRecord {
    const threadId = newThreadId();
    const meeting: OnlineMeetingRecord = {
      id: onlineMeetingId(input.organizerId, threadId),
      organizerId: input.organizerId,
      organizerUpn: input.organizerUpn,
      ...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
      subject: input.subject,
      creationDateTime: new Date().toISOString(),
      startDateTime: input.startDateTime,
      endDateTime: input.endDateTime,
      threadId,
      joinWebUrl: joinWebUrl(threadId, input.tenantId, input.organizerId),
      joinMeetingId: this.uniqueJoinMeetingId(),
      passcode: input.isPasscodeRequired ? passcode() : null,
      isPasscodeRequired: input.isPasscodeRequired,
      conferenceId: String(randomInt(100_000_000, 999_999_999)),
      attendees: input.attendees,
      settings: input.settings,
    };
    this.meetings.set(meeting.id, meeting);
    return meeting;
  }

  get(id: string): OnlineMeetingRecord | undefined {
    return this.meetings.get(id) ?? [...this.meetings.values()].find((m) => m.id.toLowerCase() === id.toLowerCase());
  }

  byThread(threadId: string): OnlineMeetingRecord | undefined {
    const key = threadId.toLowerCase();
    return [...this.meetings.values()].find((m) => m.threadId.toLowerCase() === key);
  }

  byJoinUrl(url: string): OnlineMeetingRecord | undefined {
    const key = canonicalJoinUrl(url);
    return [...this.meetings.values()].find((m) => canonicalJoinUrl(m.joinWebUrl) === key);
  }

  byJoinMeetingId(joinMeetingId: string): OnlineMeetingRecord | undefined {
    const digits = joinMeetingId.replace(/\s+/g, '');
    return [...this.meetings.values()].find((m) => m.joinMeetingId === digits);
  }

  byExternalId(organizerId: string, externalId: string): OnlineMeetingRecord | undefined {
    const organizer = organizerId.toLowerCase();
    return [...this.meetings.values()].find((m) => m.organizerId.toLowerCase() === organizer && m.externalId === externalId);
  }

  delete(id: string): boolean {
    const meeting = this.get(id);
    return meeting ? this.meetings.delete(meeting.id) : false;
  }

  list(): OnlineMeetingRecord[] {
    return [...this.meetings.values()];
  }

  /** Meetings read back from the emulator's saved state (start-up only). */
  restore(meetings: OnlineMeetingRecord[]): void {
    for (const meeting of meetings) this.meetings.set(meeting.id, meeting);
  }

  private uniqueJoinMeetingId(): string {
    for (;;) {
      const id = `${randomInt(1, 10)}${String(randomInt(0, 100_000_000_000)).padStart(11, '0')}`;
      if (!this.byJoinMeetingId(id)) return id;
    }
  }
}

function passcode(): string {
  let out = '';
  for (let i = 0; i < 6; i++) out += PASSCODE_ALPHABET[randomInt(0, PASSCODE_ALPHABET.length)];
  return out;
}
