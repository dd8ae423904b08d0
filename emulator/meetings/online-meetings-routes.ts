// Graph's onlineMeetings (application-post-onlinemeetings, onlinemeeting-get, onlinemeeting-createorget,
// onlinemeeting-update, onlinemeeting-delete) under /users/{userId} (application permissions, behind the application
// access policy) and /me (delegated). Lookups by JoinWebUrl or joinMeetingId answer a collection, as Graph does.
// Permissions: OnlineMeetings.ReadWrite.All / OnlineMeetings.Read.All (application), OnlineMeetings.ReadWrite /
// OnlineMeetings.Read (delegated).

import { parseGraphBody } from '../calls/graph-request-schemas.js';
import type { Json } from '../calls/call-model.js';
import type { UserDirectory } from '../directory/user-directory.js';
import type { EmulatedUser } from '../emulator-options.js';
import type { GraphContext, GraphPermissions, GraphResult, GraphRoute } from '../graph/graph-area.js';
import { GraphError } from '../graph/graph-error.js';
import type { AccessPolicy } from './access-policy.js';
import type { MeetingAttendee, OnlineMeetingRecord } from './meeting-model.js';
import { createMeetingSchema, createOrGetSchema, IGNORED_ON_CREATE, updateMeetingSchema, updatableSettings, type MeetingParticipantInfo } from './meeting-request-schemas.js';
import { defaultMeetingSettings, onlineMeetingJson, videoTeleconferenceId } from './meeting-shapes.js';
import type { MeetingStore } from './meeting-store.js';

const WRITE: GraphPermissions = { application: ['OnlineMeetings.ReadWrite.All'], delegated: ['OnlineMeetings.ReadWrite'] };
const READ: GraphPermissions = {
  application: ['OnlineMeetings.Read.All', 'OnlineMeetings.ReadWrite.All'],
  delegated: ['OnlineMeetings.Read', 'OnlineMeetings.ReadWrite'],
};
const HOUR_MS = 3_600_000;
const FILTER_EXPECTED = "Filter expression expected - /onlineMeetings?$filter={ParameterName} eq '{id}'.";

export interface OnlineMeetingsDeps {
  store: MeetingStore;
  directory: UserDirectory;
  policy: AccessPolicy;
  tenantId: string;
  /** Told when a meeting is created, updated or deleted (events for the console). */
  changed(kind: 'created' | 'updated' | 'deleted', meeting: OnlineMeetingRecord): void;
}

export function onlineMeetingsRoutes(deps: OnlineMeetingsDeps): GraphRoute[] {
  const routes: GraphRoute[] = [];
  for (const base of ['/users/:userId/onlineMeetings', '/me/onlineMeetings']) {
    routes.push(
      { method: 'POST', path: base, permissions: WRITE, handle: (ctx) => create(deps, ctx) },
      { method: 'GET', path: base, permissions: READ, handle: (ctx) => list(deps, ctx) },
      ...['createOrGet', 'microsoft.graph.createOrGet'].map((action): GraphRoute => ({
        method: 'POST', path: `${base}/${action}`, permissions: WRITE, handle: (ctx) => createOrGet(deps, ctx),
      })),
      { method: 'GET', path: `${base}/:meetingId`, permissions: READ, handle: (ctx) => get(deps, ctx) },
      { method: 'PATCH', path: `${base}/:meetingId`, permissions: WRITE, handle: (ctx) => update(deps, ctx) },
      { method: 'DELETE', path: `${base}/:meetingId`, permissions: WRITE, handle: (ctx) => remove(deps, ctx) },
    );
  }
  // onlinemeeting-get Example 1: by VTC conference id, application tokens only (no application access policy).
  routes.push({ method: 'GET', path: '/communications/onlineMeetings', permissions: { application: READ.application, delegated: [] }, handle: (ctx) => byVideoTeleconferenceId(deps, ctx) });
  return routes;
}

/**
 * GET /communications/onlineMeetings/?$filter=VideoTeleconferenceId eq '{id}'. The page says the answer is "a
 * collection that contains only one onlineMeeting" while its example prints the bare object; the emulator answers
 * the collection, as for JoinWebUrl (chosen), empty when no meeting has that id.
 */
function byVideoTeleconferenceId(deps: OnlineMeetingsDeps, ctx: GraphContext): GraphResult {
  if (ctx.principal.kind !== 'application') throw new GraphError(403, 'Forbidden', 'Looking a meeting up by VideoTeleconferenceId needs an application token.');
  let filter: string | undefined;
  for (const [key, value] of ctx.request.query) if (key.toLowerCase() === '$filter') filter = value;
  const clause = filter === undefined ? null : /^\s*VideoTeleconferenceId\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
  if (!clause) throw new GraphError(400, 'BadRequest', "Filter expression expected - /communications/onlineMeetings?$filter=VideoTeleconferenceId eq '{id}'.");
  const id = clause[1]!.replace(/''/g, "'");
  const found = deps.store.list().find((m) => videoTeleconferenceId(m) === id);
  return { status: 200, json: { '@odata.context': `${ctx.graphUrl}/$metadata#communications/onlineMeetings`, value: found ? [onlineMeetingJson(found, deps.tenantId)] : [] } };
}

/** The user the request acts for: /me (delegated only) or /users/{id} (the access policy applies to app tokens). */
function actingUser(deps: OnlineMeetingsDeps, ctx: GraphContext): EmulatedUser {
  const pathUser = ctx.params.userId;
  if (pathUser === undefined) {
    if (ctx.principal.kind !== 'delegated' || !ctx.principal.userId) {
      throw new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
    }
    const me = deps.directory.find(ctx.principal.userId);
    if (!me) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${ctx.principal.userId}' does not exist or one of its queried reference-property objects are not present.`);
    return me;
  }
  const user = deps.directory.find(pathUser);
  if (!user) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${pathUser}' does not exist or one of its queried reference-property objects are not present.`);
  if (ctx.principal.kind === 'application') deps.policy.require(ctx.principal.appId, user.id);
  else if (ctx.principal.userId?.toLowerCase() !== user.id.toLowerCase()) {
    throw new GraphError(403, 'Forbidden', 'A delegated token can act only on the signed-in user\'s meetings: use /me/onlineMeetings.');
  }
  return user;
}

function entityContext(ctx: GraphContext, user: EmulatedUser): string {
  return `${ctx.graphUrl}/$metadata#users('${user.id}')/onlineMeetings/$entity`;
}

function reply(deps: OnlineMeetingsDeps, ctx: GraphContext, user: EmulatedUser, status: number, meeting: OnlineMeetingRecord): GraphResult {
  return { status, json: onlineMeetingJson(meeting, deps.tenantId, entityContext(ctx, user)) };
}

function create(deps: OnlineMeetingsDeps, ctx: GraphContext): GraphResult {
  const user = actingUser(deps, ctx);
  const body = parseGraphBody(ctx.request, createMeetingSchema, 'onlineMeeting', { allowed: [...Object.keys(createMeetingSchema.shape), ...IGNORED_ON_CREATE] });
  const { start, end } = meetingTimes(body.startDateTime ?? undefined, body.endDateTime ?? undefined);
  const settings = defaultMeetingSettings();
  for (const key of Object.keys(updatableSettings)) {
    const value = (body as Record<string, unknown>)[key];
    if (value !== undefined) settings[key] = key === 'lobbyBypassSettings' ? { ...(settings[key] as Json), ...(value as Json) } : value;
  }
  if (body.isBroadcast) settings.isBroadcast = true;
  const meeting = deps.store.create({
    organizerId: user.id,
    organizerUpn: user.userPrincipalName,
    tenantId: deps.tenantId,
    subject: body.subject ?? null,
    startDateTime: start,
    endDateTime: end,
    isPasscodeRequired: body.joinMeetingIdSettings?.isPasscodeRequired === true,
    attendees: attendees(deps, body.participants?.attendees ?? []),
    ...(body.externalId ? { externalId: body.externalId } : {}),
    settings,
  });
  deps.changed('created', meeting);
  return reply(deps, ctx, user, 201, meeting);
}

function createOrGet(deps: OnlineMeetingsDeps, ctx: GraphContext): GraphResult {
  const user = actingUser(deps, ctx);
  const body = parseGraphBody(ctx.request, createOrGetSchema, 'createOrGet');
  const existing = deps.store.byExternalId(user.id, body.externalId);
  if (existing) return reply(deps, ctx, user, 200, existing);
  const { start, end } = meetingTimes(body.startDateTime ?? undefined, body.endDateTime ?? undefined);
  const meeting = deps.store.create({
    organizerId: user.id,
    organizerUpn: user.userPrincipalName,
    tenantId: deps.tenantId,
    subject: body.subject ?? null,
    startDateTime: start,
    endDateTime: end,
    isPasscodeRequired: false,
    attendees: attendees(deps, body.participants?.attendees ?? []),
    externalId: body.externalId,
    settings: defaultMeetingSettings(),
  });
  deps.changed('created', meeting);
  return reply(deps, ctx, user, 201, meeting);
}

function get(deps: OnlineMeetingsDeps, ctx: GraphContext): GraphResult {
  const user = actingUser(deps, ctx);
  return reply(deps, ctx, user, 200, visibleMeeting(deps, user, ctx.params.meetingId!));
}

/** GET …/onlineMeetings needs a $filter on JoinWebUrl or joinMeetingIdSettings/joinMeetingId; the answer is a collection. */
function list(deps: OnlineMeetingsDeps, ctx: GraphContext): GraphResult {
  const user = actingUser(deps, ctx);
  let filter: string | undefined;
  for (const [key, value] of ctx.request.query) if (key.toLowerCase() === '$filter') filter = value;
  if (filter === undefined) throw new GraphError(400, 'BadRequest', FILTER_EXPECTED);
  const clause = /^\s*([A-Za-z/]+)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
  if (!clause) throw new GraphError(400, 'BadRequest', FILTER_EXPECTED);
  const property = clause[1]!.toLowerCase();
  const value = clause[2]!.replace(/''/g, "'");
  let found: OnlineMeetingRecord | undefined;
  if (property === 'joinweburl') found = deps.store.byJoinUrl(value);
  else if (property === 'joinmeetingidsettings/joinmeetingid') found = deps.store.byJoinMeetingId(value);
  else throw new GraphError(400, 'BadRequest', `Filter on '${clause[1]}' is not supported: use JoinWebUrl or joinMeetingIdSettings/joinMeetingId.`);
  const meetings = found && canSee(user, found) ? [onlineMeetingJson(found, deps.tenantId)] : [];
  return { status: 200, json: { '@odata.context': `${ctx.graphUrl}/$metadata#users('${user.id}')/onlineMeetings`, value: meetings } };
}

function update(deps: OnlineMeetingsDeps, ctx: GraphContext): GraphResult {
  const user = actingUser(deps, ctx);
  const meeting = visibleMeeting(deps, user, ctx.params.meetingId!);
  if (meeting.organizerId.toLowerCase() !== user.id.toLowerCase()) throw new GraphError(403, 'Forbidden', 'Only the organizer can update the meeting.');
  const body = parseGraphBody(ctx.request, updateMeetingSchema, 'onlineMeeting', { allowed: Object.keys(updateMeetingSchema.shape) });
  if ((body.startDateTime === undefined) !== (body.endDateTime === undefined)) {
    throw new GraphError(400, 'BadRequest', 'startDateTime and endDateTime must be updated together.');
  }
  if (body.participants?.organizer) throw new GraphError(400, 'BadRequest', 'The organizer of a meeting cannot be changed.');
  if (body.startDateTime !== undefined && body.endDateTime !== undefined) {
    const { start, end } = meetingTimes(body.startDateTime, body.endDateTime);
    meeting.startDateTime = start;
    meeting.endDateTime = end;
  }
  if (body.subject !== undefined) meeting.subject = body.subject;
  if (body.participants?.attendees) meeting.attendees = attendees(deps, body.participants.attendees);
  for (const key of Object.keys(updatableSettings)) {
    const value = (body as Record<string, unknown>)[key];
    if (value === undefined) continue;
    meeting.settings[key] = key === 'lobbyBypassSettings' ? { ...(meeting.settings[key] as Json), ...(value as Json) } : value;
  }
  deps.changed('updated', meeting);
  return reply(deps, ctx, user, 200, meeting);
}

function remove(deps: OnlineMeetingsDeps, ctx: GraphContext): GraphResult {
  const user = actingUser(deps, ctx);
  const meeting = visibleMeeting(deps, user, ctx.params.meetingId!);
  if (meeting.organizerId.toLowerCase() !== user.id.toLowerCase()) throw new GraphError(403, 'Forbidden', 'Only the organizer can delete the meeting.');
  deps.store.delete(meeting.id);
  deps.changed('deleted', meeting);
  return { status: 204 };
}

function visibleMeeting(deps: OnlineMeetingsDeps, user: EmulatedUser, meetingId: string): OnlineMeetingRecord {
  const meeting = deps.store.get(meetingId);
  if (!meeting) throw new GraphError(404, 'NotFound', `The online meeting '${meetingId}' was not found.`);
  if (!canSee(user, meeting)) throw new GraphError(404, 'NotFound', `Organizer Id mismatch User Id: ${user.id}.`);
  return meeting;
}

/** The organizer and the invited attendees may read a meeting (onlinemeeting-get). */
function canSee(user: EmulatedUser, meeting: OnlineMeetingRecord): boolean {
  const id = user.id.toLowerCase();
  return meeting.organizerId.toLowerCase() === id || meeting.attendees.some((a) => a.userId.toLowerCase() === id);
}

/** Defaults and checks (onlinemeeting-createorget): none → now and +1 h; start only → +1 h; end without start, or end before start → 400. */
function meetingTimes(startText: string | undefined, endText: string | undefined): { start: string; end: string } {
  if (startText === undefined && endText !== undefined) throw new GraphError(400, 'BadRequest', 'endDateTime cannot be given without startDateTime.');
  const start = startText === undefined ? Date.now() : Date.parse(startText);
  const end = endText === undefined ? start + HOUR_MS : Date.parse(endText);
  if (end < start) throw new GraphError(400, 'BadRequest', 'endDateTime must not be earlier than startDateTime.');
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}

function attendees(deps: OnlineMeetingsDeps, infos: MeetingParticipantInfo[]): MeetingAttendee[] {
  return infos.map((info, i) => {
    const id = info.identity?.user?.id ?? (info.upn ? deps.directory.find(info.upn)?.id : undefined);
    if (!id) throw new GraphError(400, 'BadRequest', `participants.attendees[${i}] needs identity.user.id (or the upn of a user in the tenant).`);
    const known = deps.directory.find(id);
    return { userId: known?.id ?? id, upn: info.upn ?? known?.userPrincipalName ?? null, role: info.role ?? null };
  });
}
