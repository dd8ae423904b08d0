// What the emulator lets an app subscribe to, with Graph's rules for each resource: callRecords (created/updated, up to
// 4,230 minutes, CallRecords.Read.All, application only) and presence (updated, up to 60 minutes, one user or ≤ 650 by
// $filter=id in; delegated Presence.Read.All only — changenotifications-for-presence lists application as "Not
// supported" — and with or without resource data) and, on beta only, a meeting's call events
// (changenotifications-for-onlinemeeting: communications/onlineMeetings(joinWebUrl='{joinWebUrl encoded once more}')/
// meetingCallEvents, updated, up to 3 days, application OnlineMeetings.Read.All or .ReadWrite.All, delegated not
// supported).

import { GraphError } from '../graph/graph-error.js';
import type { GraphVersion } from '../graph/graph-area.js';
import type { GraphPrincipal } from '../graph/graph-auth.js';
import type { SubscriptionKind } from './subscription-model.js';

export interface ResourceRule {
  kind: SubscriptionKind;
  maxMinutes: number;
  changeTypes: readonly string[];
  application: readonly string[];
  delegated: readonly string[];
  /** Whether includeResourceData (encrypted notifications) is offered for the resource. */
  resourceData: boolean;
  presenceIds?: string[];
  /** meetingCallEvents: the meeting's joinWebUrl as Graph prints it (the resource's value decoded once). */
  joinWebUrl?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_PRESENCE_SUBSCRIPTION_IDS = 650;

/** The longest a meetingCallEvents subscription lives: 3 days. */
export const MAX_MEETING_CALL_EVENTS_MINUTES = 4320;
const MEETING_CALL_EVENTS = /^communications\/onlineMeetings\(joinWebUrl='([^']*)'\)\/meetingCallEvents$/i;

export function resourceRule(resource: string, version: GraphVersion = 'v1.0'): ResourceRule {
  const path = resource.trim().replace(/^\/+/, '');
  const meeting = MEETING_CALL_EVENTS.exec(path);
  if (meeting) {
    if (version !== 'beta') throw invalid('meetingCallEvents subscriptions are offered on beta only: POST https://graph.microsoft.com/beta/subscriptions.');
    return { kind: 'meetingCallEvents', maxMinutes: MAX_MEETING_CALL_EVENTS_MINUTES, changeTypes: ['updated'], application: ['OnlineMeetings.Read.All', 'OnlineMeetings.ReadWrite.All'], delegated: [], resourceData: true, joinWebUrl: meetingJoinUrl(meeting[1]!) };
  }
  if (/^communications\/callRecords$/i.test(path)) {
    return { kind: 'callRecords', maxMinutes: 4230, changeTypes: ['created', 'updated'], application: ['CallRecords.Read.All'], delegated: [], resourceData: false };
  }
  const presence = { kind: 'presence' as const, maxMinutes: 60, changeTypes: ['updated'], application: [], delegated: ['Presence.Read.All', 'Presence.ReadWrite.All'], resourceData: true };
  const single = /^communications\/presences\/([^/?]+)$/i.exec(path);
  if (single) {
    const id = decodeURIComponent(single[1]!);
    if (!GUID.test(id)) throw invalid(`'${id}' is not a user object id (a GUID).`);
    return { ...presence, presenceIds: [id.toLowerCase()] };
  }
  const many = /^communications\/presences\?\$filter=id\s+in\s+\((.*)\)$/i.exec(path);
  if (many) {
    const ids = many[1]!.split(',').map((s) => s.trim().replace(/^'(.*)'$/, '$1'));
    if (ids.length === 0 || ids.some((id) => !GUID.test(id))) throw invalid('The presence filter must list user object ids: communications/presences?$filter=id in (\'{id}\',\'{id}\').');
    if (ids.length > MAX_PRESENCE_SUBSCRIPTION_IDS) throw invalid(`A presence subscription covers at most ${MAX_PRESENCE_SUBSCRIPTION_IDS} users.`);
    return { ...presence, presenceIds: ids.map((id) => id.toLowerCase()) };
  }
  throw invalid(`The resource '${resource}' is not one the emulator supports for subscriptions: use communications/callRecords, communications/presences/{id}, communications/presences?$filter=id in ('{id}',…) or (beta) communications/onlineMeetings(joinWebUrl='{joinWebUrl}')/meetingCallEvents.`);
}

/**
 * The joinWebUrl inside a meetingCallEvents resource. Graph wants the join link (which already holds %3a, %40, %7b…)
 * URL-encoded once more: `https%3A%2F%2Fteams.microsoft.com%2Fl%2Fmeetup-join%2F19%253ameeting_…`. Decoding once gives
 * the link as Graph prints it; a value that is the link itself (not encoded again) is refused.
 */
function meetingJoinUrl(value: string): string {
  const again = 'URL-encode the whole joinWebUrl once more (its %3a becomes %253a, https: becomes https%3A)';
  if (/^https?:\/\//i.test(value) || /[/?&=]/.test(value)) throw invalid(`The joinWebUrl in the resource is not URL-encoded: ${again}.`);
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    throw invalid(`The joinWebUrl in the resource is not a valid URL-encoded value: ${again}.`);
  }
  if (!/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\/19%3ameeting_[^/]+%40thread\.v2\/0\?context=/i.test(decoded)) {
    throw invalid(`The joinWebUrl in the resource, decoded once, is not a Teams meeting join link (https://teams.microsoft.com/l/meetup-join/19%3ameeting_…%40thread.v2/0?context=…): ${again}.`);
  }
  return decoded;
}

export function requireSubscribePermission(principal: GraphPrincipal, rule: ResourceRule): void {
  const granted = (principal.kind === 'application' ? principal.roles : principal.scopes).map((g) => g.toLowerCase());
  const needed = principal.kind === 'application' ? rule.application : rule.delegated;
  if (needed.length === 0 && rule.kind === 'meetingCallEvents') {
    // changenotifications-for-onlinemeeting: delegated "Not supported" (the wording of the presence refusal, mirrored).
    throw new GraphError(403, 'ExtensionError', 'Operation: Create; Exception: [Status Code: Forbidden; Reason: Subscribing to meetingCallEvents is supported with application permissions only (OnlineMeetings.Read.All or OnlineMeetings.ReadWrite.All); delegated tokens are not supported.]');
  }
  if (needed.length === 0 && rule.kind === 'presence') {
    // What Graph answers an app-only token here (microsoftgraph/nodejs-webhooks-sample#175; docs-contrib #546, #2583).
    throw new GraphError(403, 'ExtensionError', 'Operation: Create; Exception: [Status Code: Forbidden; Reason: The request is not authorized for this user or application.]');
  }
  if (!needed.some((n) => granted.includes(n.toLowerCase()))) {
    const how = needed.length ? `needs ${needed.join(' or ')}` : `is not supported with ${principal.kind} permissions`;
    throw new GraphError(403, 'ExtensionError', `Operation: Create; Exception: [Status Code: Forbidden; Reason: Subscribing to this resource ${how}.]`);
  }
}

/** changeType: a comma-separated list, each allowed for the resource. */
export function parseChangeTypes(changeType: string, rule: ResourceRule): string[] {
  const types = changeType.split(',').map((t) => t.trim()).filter(Boolean);
  if (types.length === 0) throw invalid('changeType is required.');
  for (const t of types) {
    if (!rule.changeTypes.includes(t)) throw invalid(`changeType '${t}' is not supported for this resource (supported: ${rule.changeTypes.join(', ')}).`);
  }
  return types;
}

/** Minimum subscription lifetime: "any value under 45 minutes after the time of the request is automatically set to 45 minutes after the request time". */
export const MIN_EXPIRATION_MINUTES = 45;

/** The expiration Graph keeps: raised to 45 minutes from now when shorter; past the resource's maximum is 400. */
export function checkExpiration(expiration: string, rule: ResourceRule, now = Date.now()): string {
  const at = Date.parse(expiration);
  if (Number.isNaN(at)) throw new GraphError(400, 'BadRequest', `expirationDateTime '${expiration}' is not a date and time.`);
  if (at - now > rule.maxMinutes * 60_000) throw new GraphError(400, 'ExtensionError', `Subscription expiration can only be ${rule.maxMinutes} minutes in the future.`);
  return new Date(Math.max(at, now + MIN_EXPIRATION_MINUTES * 60_000)).toISOString();
}

function invalid(message: string): GraphError {
  return new GraphError(400, 'InvalidRequest', message);
}
