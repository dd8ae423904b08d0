// Teams meeting coordinates as Microsoft prints them: the chat thread id (19:meeting_…@thread.v2), the long join link
// (meetup-join with lower-case escapes and a {"Tid","Oid"} context), the onlineMeeting id (base64 of
// "1*{organizer}*0**{thread}") and the meeting id Teams puts in channelData (base64 of "0#{thread}#0").

import { randomUUID } from 'node:crypto';

export function newThreadId(): string {
  for (;;) {
    const token = Buffer.from(randomUUID()).toString('base64');
    if (/^[A-Za-z0-9]+$/.test(token)) return `19:meeting_${token}@thread.v2`;
  }
}

/** Percent-encodes the way Teams writes join links: lower-case hex escapes. */
function teamsEncode(text: string): string {
  return encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
}

export function joinWebUrl(threadId: string, tenantId: string, organizerId: string): string {
  const context = teamsEncode(JSON.stringify({ Tid: tenantId, Oid: organizerId }));
  return `https://teams.microsoft.com/l/meetup-join/${teamsEncode(threadId)}/0?context=${context}`;
}

/** The thread id inside a join link, or undefined when it is not a meetup-join link. */
export function threadIdFromJoinUrl(url: string): string | undefined {
  const match = /\/l\/meetup-join\/([^/?]+)/i.exec(fullyDecoded(url));
  return match?.[1];
}

/** A join link with every layer of percent-encoding removed, lower-cased: equal links compare equal however encoded. */
export function canonicalJoinUrl(url: string): string {
  return fullyDecoded(url.trim()).toLowerCase();
}

function fullyDecoded(text: string): string {
  let current = text;
  for (let i = 0; i < 4; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return current;
    }
    if (next === current) return current;
    current = next;
  }
  return current;
}

/** The onlineMeeting id: base64url of "1*{organizerId}*0**{threadId}" (Graph's ids are this, in standard base64). */
export function onlineMeetingId(organizerId: string, threadId: string): string {
  return Buffer.from(`1*${organizerId}*0**${threadId}`).toString('base64url');
}

/** The meeting id Teams gives apps (channelData.meeting.id, the tab's context.meeting.id): base64 of "0#{thread}#0". */
export function teamsMeetingId(threadId: string): string {
  return Buffer.from(`0#${threadId}#0`).toString('base64');
}

/** The thread id inside a Teams meeting id, or undefined. */
export function threadIdFromTeamsMeetingId(meetingId: string): string | undefined {
  const text = Buffer.from(meetingId, 'base64').toString('utf8');
  const match = /^0#(19:.+@thread\.[a-z0-9]+)#0$/i.exec(text);
  return match?.[1];
}

export function isThreadId(value: string): boolean {
  return /^19:.+@thread\.[a-z0-9]+$/i.test(value);
}
