// Graph onlineMeetings on behalf of an organizer (application permission): create, get by id, find by join link or
// join meeting id, createOrGet by externalId, delete; and the `Meeting` summary the rest of the app uses.
// Application permission needs a tenant application access policy granted to the organizer: without it Graph answers
// 403 "No application access policy found for this app", which GraphClient reports as `graph/access-policy-missing`
// (its advice names New-CsApplicationAccessPolicy / Grant-CsApplicationAccessPolicy).
import { z } from 'zod';
import type { CreateOnlineMeetingRequest, Graph, WireMeetingParticipantInfo } from '../../graph-models/index.js';
import { GraphError, type GraphClient } from '../graph/index.js';
import { MeetingError } from './meeting-error.js';

export type MeetingRole = Exclude<Graph.OnlineMeetingRole, 'unknownFutureValue'>;

export interface MeetingPerson {
  userId?: string;
  displayName?: string;
  upn?: string;
  tenantId?: string;
  role?: string;
}

export interface Meeting {
  id: string;
  subject?: string;
  start?: string;
  end?: string;
  joinWebUrl?: string;
  organizer?: MeetingPerson;
  attendees: MeetingPerson[];
  chatInfo?: { threadId: string; messageId: string; replyChainMessageId?: string };
  joinMeetingId?: string;
  passcode?: string;
  externalId?: string;
}

export interface MeetingAttendeeInput {
  /** Entra object id of the user. */
  userId: string;
  upn?: string;
  role?: MeetingRole;
}

export interface CreateMeetingInput {
  /** Entra object id of the organizer: the user the app acts for (needs the access policy). */
  organizerId: string;
  subject?: string;
  start?: Date | string;
  end?: Date | string;
  attendees?: MeetingAttendeeInput[];
  /** Require the generated passcode when joining by meeting id. */
  passcodeRequired?: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Meeting ids seen: base64 (`MSpkYzE3…`) or `{organizerOid}_19:meeting_…@thread.v2`. */
const MEETING_ID = /^[A-Za-z0-9_:@=+/.-]{1,512}$/;
const JOIN_MEETING_ID = /^\d{6,20}$/;
const ROLES: MeetingRole[] = ['attendee', 'presenter', 'coorganizer', 'producer'];
const MAX_ATTENDEES = 500;

function invalid(message: string): MeetingError {
  return new MeetingError('meetings/invalid-argument', message);
}

function checkUserId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !GUID.test(value)) throw invalid(`${what} must be a user's object id (a GUID)`);
  return value;
}

function checkMeetingId(value: unknown): string {
  if (typeof value !== 'string' || !MEETING_ID.test(value) || /^\.+$/.test(value)) throw invalid('meetingId must be an onlineMeeting id');
  return value;
}

function checkText(value: unknown, what: string, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > max || /[\u0000-\u001f\u007f]/.test(value)) throw invalid(`${what} must be text of at most ${max} characters`);
  return value;
}

function toIso(value: Date | string | undefined, what: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' && value.length <= 64 ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw invalid(`${what} must be a date and time`);
  return new Date(ms).toISOString();
}

function meetingsPath(organizerId: string, ...rest: string[]): string {
  return ['/users', encodeURIComponent(checkUserId(organizerId, 'organizerId')), 'onlineMeetings', ...rest].join('/');
}

function meetingBody(input: CreateMeetingInput): CreateOnlineMeetingRequest {
  if (!input || typeof input !== 'object') throw invalid('the meeting details must be an object');
  const body: CreateOnlineMeetingRequest = {};
  const subject = checkText(input.subject, 'subject', 1024);
  if (subject !== undefined) body.subject = subject;
  const start = toIso(input.start, 'start');
  const end = toIso(input.end, 'end');
  if ((start === undefined) !== (end === undefined)) throw invalid('start and end go together: give both or neither');
  if (start !== undefined && end !== undefined) {
    if (Date.parse(end) <= Date.parse(start)) throw invalid('end must be after start');
    body.startDateTime = start;
    body.endDateTime = end;
  }
  if (input.attendees !== undefined) {
    if (!Array.isArray(input.attendees) || input.attendees.length > MAX_ATTENDEES) throw invalid(`attendees must be a list of at most ${MAX_ATTENDEES} people`);
    body.participants = {
      attendees: input.attendees.map((a, i) => {
        if (!a || typeof a !== 'object') throw invalid(`attendee ${i + 1} must be an object`);
        const attendee: WireMeetingParticipantInfo = { identity: { user: { id: checkUserId(a.userId, `attendee ${i + 1} userId`) } } };
        const upn = checkText(a.upn, `attendee ${i + 1} upn`, 320);
        if (upn !== undefined) attendee.upn = upn;
        if (a.role !== undefined) {
          if (!ROLES.includes(a.role)) throw invalid(`attendee ${i + 1} role must be one of ${ROLES.join(', ')}`);
          attendee.role = a.role;
        }
        return attendee;
      }),
    };
  }
  if (input.passcodeRequired !== undefined) body.joinMeetingIdSettings = { isPasscodeRequired: Boolean(input.passcodeRequired) };
  return body;
}

// ---- reading Graph's onlineMeeting --------------------------------------------------------------------------------

const identity = z.object({ id: z.string().max(256).nullish(), displayName: z.string().max(1024).nullish(), tenantId: z.string().max(256).nullish() }).loose();
const participantInfo = z
  .object({
    identity: z.record(z.string(), z.unknown()).nullish(),
    upn: z.string().max(1024).nullish(),
    role: z.string().max(64).nullish(),
  })
  .loose();
const onlineMeetingSchema = z
  .object({
    id: z.string().min(1).max(1024),
    subject: z.string().max(4096).nullish(),
    startDateTime: z.string().max(64).nullish(),
    endDateTime: z.string().max(64).nullish(),
    joinWebUrl: z.string().max(8192).nullish(),
    externalId: z.string().max(1024).nullish(),
    participants: z.object({ organizer: participantInfo.nullish(), attendees: z.array(participantInfo).max(10_000).nullish() }).loose().nullish(),
    chatInfo: z
      .object({ threadId: z.string().max(512).nullish(), messageId: z.string().max(128).nullish(), replyChainMessageId: z.string().max(128).nullish() })
      .loose()
      .nullish(),
    joinMeetingIdSettings: z
      .object({ joinMeetingId: z.string().max(64).nullish(), passcode: z.string().max(64).nullish(), isPasscodeRequired: z.boolean().nullish() })
      .loose()
      .nullish(),
  })
  .loose();

function toPerson(info: z.infer<typeof participantInfo> | null | undefined): MeetingPerson | undefined {
  if (!info) return undefined;
  const person: MeetingPerson = {};
  const ids = info.identity ?? {};
  // user first; guests, phones and apps can be organizers/attendees too.
  for (const kind of ['user', 'guest', 'acsUser', 'spoolUser', 'phone', 'application']) {
    const parsed = identity.safeParse(ids[kind]);
    if (!parsed.success || !parsed.data) continue;
    if (parsed.data.id) person.userId = parsed.data.id;
    if (parsed.data.displayName) person.displayName = parsed.data.displayName;
    if (parsed.data.tenantId) person.tenantId = parsed.data.tenantId;
    break;
  }
  if (info.upn) person.upn = info.upn;
  if (info.role) person.role = info.role;
  return person;
}

/** An onlineMeeting as Graph answers it → Meeting. Throws MeetingError('meetings/invalid-response'). */
export function toMeeting(body: unknown): Meeting {
  const parsed = onlineMeetingSchema.safeParse(body);
  if (!parsed.success) throw new MeetingError('meetings/invalid-response', 'Graph answered with an online meeting that is not valid');
  const m = parsed.data;
  const meeting: Meeting = { id: m.id, attendees: [] };
  if (m.subject) meeting.subject = m.subject;
  if (m.startDateTime) meeting.start = m.startDateTime;
  if (m.endDateTime) meeting.end = m.endDateTime;
  if (m.joinWebUrl) meeting.joinWebUrl = m.joinWebUrl;
  if (m.externalId) meeting.externalId = m.externalId;
  const organizer = toPerson(m.participants?.organizer);
  if (organizer) meeting.organizer = organizer;
  for (const a of m.participants?.attendees ?? []) {
    const person = toPerson(a);
    if (person) meeting.attendees.push(person);
  }
  if (m.chatInfo?.threadId) {
    meeting.chatInfo = { threadId: m.chatInfo.threadId, messageId: m.chatInfo.messageId ?? '0' };
    if (m.chatInfo.replyChainMessageId) meeting.chatInfo.replyChainMessageId = m.chatInfo.replyChainMessageId;
  }
  if (m.joinMeetingIdSettings?.joinMeetingId) meeting.joinMeetingId = m.joinMeetingIdSettings.joinMeetingId;
  if (m.joinMeetingIdSettings?.passcode) meeting.passcode = m.joinMeetingIdSettings.passcode;
  return meeting;
}

function firstOfCollection(body: unknown): Meeting | undefined {
  const parsed = z.object({ value: z.array(z.unknown()).max(100) }).loose().safeParse(body);
  if (!parsed.success) throw new MeetingError('meetings/invalid-response', 'Graph answered with an online meeting list that is not valid');
  const [first] = parsed.data.value;
  return first === undefined ? undefined : toMeeting(first);
}

/**
 * The `$filter` query written the way onlinemeeting-get prints it: `JoinWebUrl eq '<joinWebUrl URL-encoded>'`, so that
 * after Graph decodes the query once the literal is the meeting's joinWebUrl (whose own %-escapes therefore travel as
 * %25xx). A quote inside the literal is doubled (OData) and then escaped too.
 */
export function joinWebUrlFilter(joinWebUrl: string): string {
  return `$filter=JoinWebUrl%20eq%20'${encodeURIComponent(joinWebUrl.replace(/'/g, "''")).replace(/'/g, '%27')}'`;
}

function notFound(what: string): MeetingError {
  return new MeetingError('meetings/not-found', `No online meeting ${what} was found for this organizer`);
}

/** OnlineMeetings.ReadWrite.All (+ access policy) · application-post-onlinemeetings — 201 with the meeting. */
export async function createOnlineMeeting(graph: GraphClient, input: CreateMeetingInput): Promise<Meeting> {
  const body = meetingBody(input);
  const res = await graph.post<unknown>(meetingsPath(input.organizerId), body);
  return toMeeting(res.body);
}

/**
 * OnlineMeetings.ReadWrite.All (+ access policy) · onlinemeeting-createorget — the meeting with this externalId for this
 * organizer, created (201) when there is none yet (200). Safe to repeat, so it is retried on throttling.
 */
export async function createOrGetOnlineMeeting(
  graph: GraphClient,
  input: CreateMeetingInput & { externalId: string },
): Promise<{ meeting: Meeting; created: boolean }> {
  const body = meetingBody(input);
  const externalId = checkText(input.externalId, 'externalId', 256);
  if (!externalId) throw invalid('externalId is required');
  body.externalId = externalId;
  const res = await graph.post<unknown>(meetingsPath(input.organizerId, 'createOrGet'), body, { repeatable: true });
  return { meeting: toMeeting(res.body), created: res.status === 201 };
}

/** OnlineMeetings.Read.All (+ access policy) · onlinemeeting-get. Throws MeetingError('meetings/not-found'). */
export async function getOnlineMeeting(graph: GraphClient, organizerId: string, meetingId: string): Promise<Meeting> {
  try {
    return toMeeting(await graph.get<unknown>(meetingsPath(organizerId, encodeURIComponent(checkMeetingId(meetingId)))));
  } catch (err) {
    if (err instanceof GraphError && err.code === 'graph/not-found') throw notFound(meetingId);
    throw err;
  }
}

/** OnlineMeetings.Read.All (+ access policy) · onlinemeeting-get (by joinWebUrl; Graph answers a collection). */
export async function findOnlineMeetingByJoinUrl(graph: GraphClient, organizerId: string, joinWebUrl: string): Promise<Meeting | undefined> {
  if (typeof joinWebUrl !== 'string' || joinWebUrl.length === 0 || joinWebUrl.length > 2048 || /[^\x21-\x7e]/.test(joinWebUrl)) {
    throw invalid('joinWebUrl must be a meeting join link');
  }
  return firstOfCollection(await graph.get<unknown>(`${meetingsPath(organizerId)}?${joinWebUrlFilter(joinWebUrl)}`));
}

/** OnlineMeetings.Read.All (+ access policy) · onlinemeeting-get (by joinMeetingIdSettings/joinMeetingId). */
export async function findOnlineMeetingByJoinMeetingId(graph: GraphClient, organizerId: string, joinMeetingId: string): Promise<Meeting | undefined> {
  if (typeof joinMeetingId !== 'string' || !JOIN_MEETING_ID.test(joinMeetingId)) throw invalid('joinMeetingId must be the digits of the meeting id');
  return firstOfCollection(await graph.get<unknown>(`${meetingsPath(organizerId)}?$filter=joinMeetingIdSettings/joinMeetingId%20eq%20'${joinMeetingId}'`));
}

/** OnlineMeetings.ReadWrite.All (+ access policy) · onlinemeeting-delete — 204; false when it was already gone. */
export async function deleteOnlineMeeting(graph: GraphClient, organizerId: string, meetingId: string): Promise<boolean> {
  try {
    await graph.delete(meetingsPath(organizerId, encodeURIComponent(checkMeetingId(meetingId))), { repeatable: true });
    return true;
  } catch (err) {
    if (err instanceof GraphError && err.code === 'graph/not-found') return false;
    throw err;
  }
}
