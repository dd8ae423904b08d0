// What the emulator lets an app subscribe to, with Graph's rules for each resource: callRecords (created/updated, up to
// 4,230 minutes, CallRecords.Read.All, application only) and presence (updated, up to 60 minutes, one user or ≤ 650 by
// $filter=id in; delegated Presence.Read.All only — changenotifications-for-presence lists application as "Not
// supported" — and with or without resource data).

import { GraphError } from '../graph/graph-error.js';
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
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_PRESENCE_SUBSCRIPTION_IDS = 650;

export function resourceRule(resource: string): ResourceRule {
  const path = resource.trim().replace(/^\/+/, '');
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
  throw invalid(`The resource '${resource}' is not one the emulator supports for subscriptions: use communications/callRecords, communications/presences/{id} or communications/presences?$filter=id in ('{id}',…).`);
}

export function requireSubscribePermission(principal: GraphPrincipal, rule: ResourceRule): void {
  const granted = (principal.kind === 'application' ? principal.roles : principal.scopes).map((g) => g.toLowerCase());
  const needed = principal.kind === 'application' ? rule.application : rule.delegated;
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
