// The local Bot Connector (the serviceUrl in every activity the emulator sends: {url}/connector/): records what the bot
// sends — new activities, replies, updates, deletes, proactive conversations — answers member and meeting lookups
// (botbuilder's TeamsInfo) from the emulated tenant, in the Bot Connector REST API's shapes.

import { randomUUID } from 'node:crypto';
import type { Json } from '../calls/call-model.js';
import type { CallsEngine } from '../calls/calls-engine.js';
import type { EmulatedUser } from '../emulator-options.js';
import type { EmulatorRequest, HttpReply, RouteParams } from '../http/http-types.js';
import type { Area } from '../http/request-pipeline.js';
import { RouteTable } from '../http/route-table.js';
import { teamsMeetingId } from '../meetings/join-link.js';
import type { MeetingRooms } from '../meetings/meeting-rooms.js';
import type { MeetingStore } from '../meetings/meeting-store.js';
import type { ChatConversation, ConnectorStore } from './connector-store.js';
import { meetingConversationAccount, teamsChannelAccount } from './teams-activities.js';
import { aadObjectIdOf, personalConversationId, teamsUserId, type ActivityIds } from './teams-ids.js';

export const CONNECTOR_PREFIX = '/connector';

export interface ConnectorDeps {
  store: ConnectorStore;
  engine: CallsEngine;
  rooms: MeetingRooms;
  meetings: MeetingStore;
  ids: ActivityIds;
  tenantId: string;
  serviceUrl: string;
  emit(type: string, fields: Record<string, unknown>): void;
}

type Handler = (request: EmulatorRequest, params: RouteParams) => HttpReply;

class ConnectorError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function createConnectorArea(deps: ConnectorDeps): Area {
  const routes = new RouteTable<Handler>();
  const v3 = `${CONNECTOR_PREFIX}/v3/conversations`;
  routes
    .add('POST', v3, (r) => createConversation(deps, r))
    .add('POST', `${v3}/:conversationId/activities`, (r, p) => botSends(deps, r, p, 'send'))
    .add('POST', `${v3}/:conversationId/activities/:activityId`, (r, p) => botSends(deps, r, p, 'reply'))
    .add('PUT', `${v3}/:conversationId/activities/:activityId`, (r, p) => botSends(deps, r, p, 'update'))
    .add('DELETE', `${v3}/:conversationId/activities/:activityId`, (_r, p) => botDeletes(deps, p))
    .add('GET', `${v3}/:conversationId/members`, (_r, p) => ok(members(deps, p.conversationId!).map((u) => teamsChannelAccount(u, deps.tenantId))))
    .add('GET', `${v3}/:conversationId/pagedmembers`, (_r, p) => ok({ members: members(deps, p.conversationId!).map((u) => teamsChannelAccount(u, deps.tenantId)), continuationToken: null }))
    .add('GET', `${v3}/:conversationId/members/:memberId`, (_r, p) => ok(teamsChannelAccount(member(deps, p.conversationId!, p.memberId!), deps.tenantId)))
    .add('GET', `${CONNECTOR_PREFIX}/v1/meetings/:meetingId`, (_r, p) => meetingInfo(deps, p.meetingId!))
    .add('GET', `${CONNECTOR_PREFIX}/v1/meetings/:meetingId/participants/:participantId`, (_r, p) => meetingParticipant(deps, p.meetingId!, p.participantId!));

  return {
    name: 'connector',
    observed: true,
    owns: (path) => path.toLowerCase() === CONNECTOR_PREFIX || path.toLowerCase().startsWith(`${CONNECTOR_PREFIX}/`),
    headers: () => ({ 'content-type': JSON_TYPE }),
    statusReply: (_request, status) => errorReply(new ConnectorError(status, status === 413 ? 'MessageSizeTooBig' : status === 429 ? 'Throttled' : 'ServiceError', `The connector answered ${status}.`)),
    async handle(request) {
      const match = routes.resolve(request.method, request.path);
      try {
        if (match.kind === 'not-found') throw new ConnectorError(404, 'NotFound', `No Bot Connector operation at ${request.method} ${request.path}.`);
        if (match.kind === 'method-not-allowed') throw new ConnectorError(405, 'MethodNotAllowed', `${request.method} is not allowed on ${request.path}.`);
        return match.handler(request, match.params);
      } catch (err) {
        if (err instanceof ConnectorError) return errorReply(err);
        throw err;
      }
    },
  };
}

function ok(json: unknown, status = 200): HttpReply {
  return { status, json, headers: { 'content-type': JSON_TYPE } };
}

function errorReply(err: ConnectorError): HttpReply {
  return { status: err.status, json: { error: { code: err.code, message: err.message } }, headers: { 'content-type': JSON_TYPE } };
}

function body(request: EmulatorRequest): Json {
  const text = request.rawBody.toString('utf8');
  try {
    const parsed = text.trim() ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Json;
  } catch {
    // fall through
  }
  throw new ConnectorError(400, 'BadSyntax', 'The request body is not a JSON object.');
}

/** The chat for an id: one the connector knows, or a meeting chat (19:meeting_…@thread.v2) the tenant has. */
function conversation(deps: ConnectorDeps, id: string): ChatConversation {
  const known = deps.store.conversation(id);
  if (known) return known;
  const meeting = deps.meetings.byThread(id);
  if (meeting || deps.engine.findMeetingConversation(id)) {
    return deps.store.addConversation({ id: meeting?.threadId ?? id, kind: 'meeting', tenantId: deps.tenantId, memberIds: [], threadId: meeting?.threadId ?? id, createdBy: 'emulator', createdAt: new Date().toISOString() });
  }
  throw new ConnectorError(404, 'ConversationNotFound', `Conversation '${id}' was not found.`);
}

function botSends(deps: ConnectorDeps, request: EmulatorRequest, params: RouteParams, operation: 'send' | 'reply' | 'update'): HttpReply {
  const chat = conversation(deps, params.conversationId!);
  const activity = body(request);
  if (typeof activity.type !== 'string') throw new ConnectorError(400, 'BadArgument', 'An activity needs a type (message, typing, …).');
  if (operation === 'update') {
    const original = deps.store.findActivity(chat.id, params.activityId!);
    if (!original || original.direction !== 'from-bot') throw new ConnectorError(404, 'ActivityNotFound', `Activity '${params.activityId}' was not sent by the bot in this conversation.`);
  }
  const activityId = operation === 'update' ? params.activityId! : deps.ids.next();
  const appId = botAppId(activity);
  const record = deps.store.record({
    conversationId: chat.id,
    activityId,
    direction: 'from-bot',
    operation,
    ...(appId ? { appId } : {}),
    ...(operation === 'reply' ? { replyToId: params.activityId! } : typeof activity.replyToId === 'string' ? { replyToId: activity.replyToId } : {}),
    activity: { ...activity, id: activityId },
  });
  deps.emit('activity.from-bot', { conversationId: chat.id, activityId, operation, activityType: activity.type, seq: record.seq });
  return ok({ id: activityId });
}

function botDeletes(deps: ConnectorDeps, params: RouteParams): HttpReply {
  const chat = conversation(deps, params.conversationId!);
  const original = deps.store.findActivity(chat.id, params.activityId!);
  if (!original || original.direction !== 'from-bot' || original.operation === 'delete') {
    throw new ConnectorError(404, 'ActivityNotFound', `Activity '${params.activityId}' was not sent by the bot in this conversation.`);
  }
  deps.store.record({ conversationId: chat.id, activityId: params.activityId!, direction: 'from-bot', operation: 'delete', ...(original.appId ? { appId: original.appId } : {}), activity: null });
  deps.emit('activity.from-bot', { conversationId: chat.id, activityId: params.activityId, operation: 'delete' });
  return { status: 200, headers: { 'content-type': JSON_TYPE }, text: '' };
}

/** POST /v3/conversations (proactive messages): a personal chat with one member, or a group chat. */
function createConversation(deps: ConnectorDeps, request: EmulatorRequest): HttpReply {
  const params = body(request);
  const appId = botAppId(params) ?? botAppId({ from: params.bot }) ?? undefined;
  const listed = Array.isArray(params.members) ? (params.members as Json[]) : [];
  if (listed.length === 0) throw new ConnectorError(400, 'BadArgument', 'members must name at least one user to start a conversation with.');
  const memberIds = listed.map((m, i) => {
    const id = typeof m.id === 'string' ? aadObjectIdOf(m.id) : undefined;
    const user = id ? deps.rooms.person(id) : undefined;
    if (!user) throw new ConnectorError(400, 'BadArgument', `members[${i}] is not a user of this tenant.`);
    return user.id;
  });
  const group = params.isGroup === true || memberIds.length > 1;
  const id = group ? `19:${randomUUID().replace(/-/g, '')}@thread.v2` : personalConversationId(memberIds[0]!, appId ?? '');
  deps.store.addConversation({ id, kind: group ? 'groupChat' : 'personal', tenantId: deps.tenantId, memberIds, ...(appId ? { appId } : {}), createdBy: 'bot', createdAt: new Date().toISOString() });
  const reply: Json = { id, serviceUrl: deps.serviceUrl };
  deps.store.record({ conversationId: id, activityId: '', direction: 'from-bot', operation: 'create-conversation', ...(appId ? { appId } : {}), activity: params });
  if (params.activity && typeof params.activity === 'object') {
    const activityId = deps.ids.next();
    deps.store.record({ conversationId: id, activityId, direction: 'from-bot', operation: 'send', ...(appId ? { appId } : {}), activity: { ...(params.activity as Json), id: activityId } });
    reply.activityId = activityId;
  }
  deps.emit('activity.from-bot', { conversationId: id, operation: 'create-conversation' });
  return ok(reply, 201);
}

function botAppId(activity: Json): string | undefined {
  const from = activity.from as Json | undefined;
  const id = typeof from?.id === 'string' ? from.id : undefined;
  return id?.startsWith('28:') ? id.slice(3) : id;
}

/** The people in a chat: its members, and for a meeting chat the organizer, the attendees and whoever is in it now. */
function members(deps: ConnectorDeps, conversationId: string): EmulatedUser[] {
  const chat = conversation(deps, conversationId);
  const ids = new Set<string>(chat.memberIds.map((id) => id.toLowerCase()));
  const out: EmulatedUser[] = [];
  const add = (id: string | undefined) => {
    if (!id) return;
    const user = deps.rooms.person(id);
    if (user && !out.some((u) => u.id.toLowerCase() === user.id.toLowerCase())) out.push(user);
  };
  if (chat.threadId) {
    const meeting = deps.meetings.byThread(chat.threadId);
    add(meeting?.organizerId);
    for (const a of meeting?.attendees ?? []) add(a.userId);
    for (const p of deps.engine.findMeetingConversation(chat.threadId)?.participants.values() ?? []) if (p.kind === 'person') add(p.personId);
  }
  for (const id of ids) add(id);
  return out;
}

function member(deps: ConnectorDeps, conversationId: string, memberId: string): EmulatedUser {
  const id = aadObjectIdOf(memberId)?.toLowerCase();
  const found = members(deps, conversationId).find((u) => u.id.toLowerCase() === id);
  if (!found) throw new ConnectorError(404, 'MemberNotFound', `'${memberId}' is not a member of conversation '${conversationId}'.`);
  return found;
}

/** GET /v1/meetings/{meetingId} (TeamsInfo.getMeetingInfo): details, the meeting chat and the organizer. */
function meetingInfo(deps: ConnectorDeps, meetingId: string): HttpReply {
  const ref = resolveMeeting(deps, meetingId);
  const organizer = ref.meeting ? deps.rooms.person(ref.meeting.organizerId) : undefined;
  return ok({
    details: {
      id: teamsMeetingId(ref.threadId),
      msGraphResourceId: ref.meeting?.id ?? null,
      scheduledStartTime: ref.meeting?.startDateTime ?? null,
      scheduledEndTime: ref.meeting?.endDateTime ?? null,
      joinUrl: ref.meeting?.joinWebUrl ?? null,
      title: ref.meeting?.subject ?? '',
      type: ref.meeting ? 'Scheduled' : 'Adhoc',
    },
    conversation: meetingConversationAccount(ref.threadId, deps.tenantId),
    organizer: organizer ? { id: teamsUserId(organizer.id), aadObjectId: organizer.id, objectId: organizer.id, tenantId: deps.tenantId } : null,
  });
}

/** GET /v1/meetings/{meetingId}/participants/{participantId} (TeamsInfo.getMeetingParticipant). */
function meetingParticipant(deps: ConnectorDeps, meetingId: string, participantId: string): HttpReply {
  const ref = resolveMeeting(deps, meetingId);
  const id = aadObjectIdOf(participantId)?.toLowerCase();
  const user = members(deps, ref.threadId).find((u) => u.id.toLowerCase() === id);
  if (!user) throw new ConnectorError(404, 'NotFound', `Participant '${participantId}' is not in meeting '${meetingId}'.`);
  const inMeeting = [...(deps.engine.findMeetingConversation(ref.threadId)?.participants.values() ?? [])].some((p) => p.personId?.toLowerCase() === id);
  const attendee = ref.meeting?.attendees.find((a) => a.userId.toLowerCase() === id);
  const role = ref.meeting?.organizerId.toLowerCase() === id ? 'Organizer' : attendee?.role === 'presenter' ? 'Presenter' : 'Attendee';
  return ok({
    user: teamsChannelAccount(user, deps.tenantId),
    meeting: { role, inMeeting },
    conversation: meetingConversationAccount(ref.threadId, deps.tenantId),
  });
}

function resolveMeeting(deps: ConnectorDeps, meetingId: string): ReturnType<MeetingRooms['resolve']> {
  try {
    return deps.rooms.resolve(meetingId);
  } catch {
    throw new ConnectorError(404, 'NotFound', `Meeting '${meetingId}' was not found.`);
  }
}
