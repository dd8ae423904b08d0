// How to join a meeting: what a join request may name (a link, an online meeting, a join meeting id, the meeting
// chat), checked and turned into what Graph's create-call needs — and which of those the app knows for a meeting.
import type { MeetingToJoin } from '../calls/index.js';
import type { GraphClient } from '../graph/index.js';
import { isMeetingThreadId, parseJoinLink, type JoinLink } from './join-link.js';
import { MeetingError } from './meeting-error.js';
import { getOnlineMeeting } from './online-meetings.js';
import type { MeetingRecord } from './meeting-records.js';
import { invalid } from './meeting-core.js';

export type JoinInput =
  | { link: string }
  | { meetingId: string; organizerId: string }
  | { joinMeetingId: string; passcode?: string }
  | { threadId: string; organizerId: string; tenantId: string; messageId?: string };

export interface JoinTarget {
  lockKey: string;
  meeting: MeetingToJoin;
  details: Partial<MeetingRecord>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const JOIN_MEETING_ID = /^\d{6,20}$/;
const PASSCODE = /^[A-Za-z0-9]{1,64}$/;

/**
 * The best way to join a meeting from what the app knows of it (its record, else a join link from the online meeting
 * or the meeting chat): the online meeting, the meeting chat, a link, the join meeting id. Undefined: none is known.
 */
export function joinInputFor(known: { record?: MeetingRecord; joinLinks?: Array<string | undefined> }): JoinInput | undefined {
  const r = known.record;
  if (r?.onlineMeetingId && r.organizerId) return { meetingId: r.onlineMeetingId, organizerId: r.organizerId };
  if (r?.threadId && r.organizerId && r.tenantId) return { threadId: r.threadId, organizerId: r.organizerId, tenantId: r.tenantId, ...(r.messageId ? { messageId: r.messageId } : {}) };
  const link = r?.joinWebUrl ?? known.joinLinks?.reduce<string | undefined>((found, l) => found ?? l, undefined);
  if (link) return { link };
  if (r?.joinMeetingId) return { joinMeetingId: r.joinMeetingId };
  return undefined;
}

export async function resolveJoinTarget(graph: GraphClient, options: { tenantId?: string; allowedTenants?: string[] }, input: JoinInput): Promise<JoinTarget> {
  if (!input || typeof input !== 'object') throw invalid('say which meeting to join');
  if ('link' in input) {
    const link: JoinLink = parseJoinLink(input.link, { allowedTenants: options.allowedTenants });
    if (link.kind === 'meet') return byJoinMeetingId(options, link.meetingId, link.passcode, { joinWebUrl: link.url });
    return byThread(
      options,
      { threadId: link.threadId, messageId: link.messageId, organizerId: link.organizerId, tenantId: link.tenantId, replyChainMessageId: link.replyChainMessageId },
      { joinWebUrl: link.url },
    );
  }
  if ('joinMeetingId' in input) return byJoinMeetingId(options, input.joinMeetingId, input.passcode, {});
  if ('meetingId' in input) {
    const meeting = await getOnlineMeeting(graph, input.organizerId, input.meetingId);
    if (!meeting.chatInfo) throw new MeetingError('meetings/invalid-response', 'Graph gave the meeting without its chat; it cannot be joined this way');
    const tenantId = meeting.organizer?.tenantId ?? (meeting.joinWebUrl ? tenantFromLink(meeting.joinWebUrl) : undefined) ?? options.tenantId;
    if (!tenantId) throw invalid('the organizer\'s tenant is unknown: set the app tenant');
    return byThread(
      options,
      {
        threadId: meeting.chatInfo.threadId,
        messageId: meeting.chatInfo.messageId,
        organizerId: input.organizerId,
        tenantId,
        replyChainMessageId: meeting.chatInfo.replyChainMessageId,
      },
      {
        onlineMeetingId: meeting.id,
        ...(meeting.subject ? { subject: meeting.subject } : {}),
        ...(meeting.joinWebUrl ? { joinWebUrl: meeting.joinWebUrl } : {}),
        ...(meeting.joinMeetingId ? { joinMeetingId: meeting.joinMeetingId } : {}),
      },
    );
  }
  if ('threadId' in input) return byThread(options, { ...input }, {});
  throw invalid('say which meeting to join: a link, a meeting id, a join meeting id or the meeting chat');
}

function byThread(
  options: { allowedTenants?: string[] },
  m: { threadId: string; messageId?: string; organizerId: string; tenantId: string; replyChainMessageId?: string },
  details: Partial<MeetingRecord>,
): JoinTarget {
  if (!isMeetingThreadId(m.threadId)) throw invalid('threadId must be a Teams meeting chat id (19:…@thread.v2)');
  if (typeof m.organizerId !== 'string' || !GUID.test(m.organizerId)) throw invalid('organizerId must be the organizer\'s object id (a GUID)');
  if (typeof m.tenantId !== 'string' || !GUID.test(m.tenantId)) throw invalid('tenantId must be a GUID');
  if (m.messageId !== undefined && !/^\d{1,20}$/.test(m.messageId)) throw invalid('messageId must be digits');
  const tenantId = m.tenantId.toLowerCase();
  const allowed = options.allowedTenants?.map((t) => t.toLowerCase());
  if (allowed && !allowed.includes(tenantId)) throw new MeetingError('meetings/invalid-join-link', 'the meeting belongs to another organization');
  const meeting: MeetingToJoin = {
    kind: 'organizer',
    organizerId: m.organizerId,
    tenantId,
    threadId: m.threadId,
    messageId: m.messageId ?? '0',
    ...(m.replyChainMessageId ? { replyChainMessageId: m.replyChainMessageId } : {}),
  };
  return {
    lockKey: m.threadId,
    meeting,
    details: {
      ...details,
      threadId: m.threadId,
      messageId: m.messageId ?? '0',
      organizerId: m.organizerId,
      tenantId,
      ...(m.replyChainMessageId ? { replyChainMessageId: m.replyChainMessageId } : {}),
    },
  };
}

function byJoinMeetingId(options: { tenantId?: string }, joinMeetingId: string, passcode: string | undefined, details: Partial<MeetingRecord>): JoinTarget {
  if (typeof joinMeetingId !== 'string' || !JOIN_MEETING_ID.test(joinMeetingId)) throw invalid('joinMeetingId must be the digits of the meeting id');
  if (passcode !== undefined && (typeof passcode !== 'string' || !PASSCODE.test(passcode))) throw invalid('passcode must be letters and digits');
  const tenantId = options.tenantId;
  if (!tenantId) throw invalid('joining by meeting id needs the app tenant (MicrosoftAppTenantId)');
  return {
    lockKey: `joinMeetingId:${joinMeetingId}`,
    // The passcode goes to Graph and nowhere else: it is not stored.
    meeting: { kind: 'joinMeetingId', joinMeetingId, tenantId, ...(passcode !== undefined ? { passcode } : {}) },
    details: { ...details, joinMeetingId, tenantId },
  };
}

function tenantFromLink(link: string): string | undefined {
  try {
    const parsed = parseJoinLink(link);
    return parsed.kind === 'meetup-join' ? parsed.tenantId : undefined;
  } catch {
    return undefined;
  }
}
