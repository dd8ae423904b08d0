// The preconditions Graph enforces before acting on a call, as Graph-style errors: the call's state, its kind
// (group-only actions), service-hosted media, an allowed callbackUri, and the application roles a request needs.

import { GraphError } from '../graph/graph-error.js';
import type { GraphPrincipal } from '../graph/graph-auth.js';
import type { EmulatedCall } from './call-model.js';
import { isConnected } from './calls-engine.js';
import { ALLOWED_URL_RULE, isAllowedServiceUrl } from './local-urls.js';

export function requireConnected(call: EmulatedCall, action: string): void {
  if (!isConnected(call)) throw new GraphError(409, 'conflict', `Cannot ${action}: the call is ${call.state}, not established.`);
}

export function requireState(call: EmulatedCall, state: EmulatedCall['state'], action: string): void {
  if (call.state !== state) throw new GraphError(409, 'conflict', `Cannot ${action}: the call is ${call.state}, not ${state}.`);
}

export function requireGroup(call: EmulatedCall, action: string): void {
  if (call.kind === 'peerToPeer') throw new GraphError(400, 'BadRequest', `${action} is only supported for group calls.`);
}

export function requireServiceHostedMedia(call: EmulatedCall, action: string): void {
  if (call.mediaHosting !== 'service') {
    throw new GraphError(400, 'BadRequest', `${action} is supported only for calls that are initiated with serviceHostedMediaConfig.`);
  }
}

export function requireCallbackUri(value: string | undefined, field = 'callbackUri'): void {
  if (value !== undefined && !isAllowedServiceUrl(value)) throw new GraphError(400, 'BadRequest', `${field} '${value}' is not valid: it ${ALLOWED_URL_RULE}.`);
}

/** Graph's role names, with the misspelled plural forms several doc pages print. */
export const ROLE = {
  initiate: ['Calls.Initiate.All'],
  initiateGroup: ['Calls.InitiateGroupCall.All', 'Calls.InitiateGroupCalls.All'],
  joinGroup: ['Calls.JoinGroupCall.All', 'Calls.JoinGroupCalls.All', 'Calls.JoinGroupCallAsGuest.All', 'Calls.JoinGroupCallsasGuest.All', 'Calls.JoinGroupCalls.Chat'],
  accessMedia: ['Calls.AccessMedia.All'],
} as const;

/** Any calling role: mid-call actions are checked when the call is created. */
export const ANY_CALLS_ROLE: readonly string[] = [...ROLE.initiate, ...ROLE.initiateGroup, ...ROLE.joinGroup, ...ROLE.accessMedia];

export function requireRole(principal: GraphPrincipal, roles: readonly string[]): void {
  const granted = principal.roles.map((r) => r.toLowerCase());
  if (!roles.some((r) => granted.includes(r.toLowerCase()))) {
    throw new GraphError(403, 'Authorization_RequestDenied', `Insufficient privileges to complete the operation: the app needs one of ${roles.join(', ')}.`);
  }
}
